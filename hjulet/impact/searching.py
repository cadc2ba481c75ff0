"""Published impact reports in the site-wide search (``hjulet.core.search.registry``).
A report is indexed when it is published (and again when it changes while published) and
leaves the index when it is withdrawn."""

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from .models import ImpactReport

KIND = "impact_report"
TEXT_FIELDS = ("what", "who", "how_much", "contribution", "risk")


def report_document(report: ImpactReport) -> tuple[str, str]:
    body = [getattr(report, name) for name in TEXT_FIELDS]
    return report.initiative.title, "\n".join(body)


def index_report(report: ImpactReport) -> None:
    registry.index_while_public(KIND, report, report_document, public=report.is_published)


def _published():
    return ImpactReport.objects.filter(is_published=True)


def rebuild() -> int:
    return registry.rebuild_from(KIND, _published().select_related("initiative"), report_document)


def visible_ids(pks: Sequence[int], _user: Any) -> list[int]:
    return registry.visible_among(_published(), pks)


def entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = (
        _published()
        .filter(pk__in=list(pks))
        .select_related("initiative__municipality")
        .only(
            "id",
            "published_at",
            "initiative__slug",
            "initiative__title",
            "initiative__municipality__name",
            "initiative__country",
            "initiative__place",
        )
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda report: reverse("impact:report", args=[report.initiative.slug]),
        title=lambda report: _("Impact report: %(title)s") % {"title": report.initiative.title},
        context=lambda report: registry.context_line(
            report.initiative.place_name, registry.published_on(report.published_at)
        ),
    )


def register_kinds() -> None:
    registry.register(
        SearchableKind(
            code=KIND,
            label=gettext_lazy("Impact report"),
            label_plural=gettext_lazy("Impact reports"),
            visible_ids=visible_ids,
            entries=entries,
            rebuild=rebuild,
            position=80,
        )
    )
