"""sitemap.xml: the public pages of every app, and of objects only those anyone may see
(published impact reports, survey reports and knowledge summaries; ideas not hidden or
removed; stories once reviewed). To add a kind of page, add a ``Sitemap`` to ``SITEMAPS``."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from hjulet.accounts.models import Organisation
from hjulet.arenas.models import Arena, Challenge, Idea
from hjulet.core.models import County
from hjulet.impact.models import ImpactReport
from hjulet.knowledge.models import Initiative, Method
from hjulet.scienceshop import selectors as scienceshop_selectors
from hjulet.stories import selectors as stories_selectors
from hjulet.support.models import FundingCall, SupportStructure
from hjulet.surveys.models import Report

#: The lists and overviews anyone can read.
PUBLIC_PAGES = (
    "site:home",
    "knowledge:initiative-list",
    "knowledge:method-list",
    "knowledge:map",
    "support:directory",
    "support:call-list",
    "scienceshop:index",
    "scienceshop:summary-list",
    "impact:totals",
    "arenas:arena-list",
    "arenas:challenge-list",
    "accounts:organisation-list",
    "core:geography",
    "opendata:index",
    "stories:story-list",
)


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> tuple[str, ...]:
        return PUBLIC_PAGES

    def location(self, item: str) -> str:
        return reverse(item)


class ObjectsSitemap(Sitemap):
    """Objects of one kind: ``route`` names the detail page, ``arg`` the attribute (dotted)
    that fills its one argument."""

    route = ""
    arg = "slug"
    limit = 5000

    def objects(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        return self.objects().order_by("pk")

    def location(self, item) -> str:
        value = item
        for name in self.arg.split("."):
            value = getattr(value, name)
        return reverse(self.route, args=[value])

    def lastmod(self, item):
        return getattr(item, "updated_at", None)


def _objects(route: str, query, arg: str = "slug") -> type[ObjectsSitemap]:
    return type(
        f"{route.replace(':', '_').replace('-', '_')}_sitemap",
        (ObjectsSitemap,),
        {"route": route, "arg": arg, "objects": lambda self: query()},
    )


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PagesSitemap,
    "initiatives": _objects("knowledge:initiative-detail", lambda: Initiative.objects.all()),
    "methods": _objects("knowledge:method-detail", lambda: Method.objects.all()),
    "support": _objects(
        "support:structure-detail",
        lambda: SupportStructure.objects.select_related("organisation"),
        "organisation.slug",
    ),
    "calls": _objects("support:call-detail", lambda: FundingCall.objects.all()),
    "organisations": _objects("accounts:organisation-detail", lambda: Organisation.objects.all()),
    "arenas": _objects("arenas:arena-detail", lambda: Arena.objects.all()),
    "challenges": _objects("arenas:challenge-detail", lambda: Challenge.objects.all()),
    "ideas": _objects(
        "arenas:idea-detail",
        lambda: Idea.objects.filter(is_hidden=False, is_removed=False),
        "pk",
    ),
    "summaries": _objects(
        "scienceshop:summary-detail", scienceshop_selectors.published_summaries, "pk"
    ),
    "impact": _objects(
        "impact:report",
        lambda: ImpactReport.objects.filter(is_published=True).select_related("initiative"),
        "initiative.slug",
    ),
    "survey_reports": _objects("surveys:report", lambda: Report.objects.filter(is_published=True)),
    "stories": _objects("stories:story-detail", stories_selectors.published_stories, "pk"),
    "research": _objects("stories:report-detail", stories_selectors.reports, "pk"),
    "counties": _objects("core:county-detail", lambda: County.objects.all(), "code"),
}
