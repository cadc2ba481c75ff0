"""The site-wide search's API (the page /sok/ in ``views``)."""

import html

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from ninja import Router

from hjulet.core import site_search as finder
from hjulet.core.schemas import ErrorOut, SiteSearchOut
from hjulet.core.search import registry
from hjulet.regions.models import Hub

search_router = Router(tags=["search"])

MAX_PAGE = 1000


def _plain(fragment: str) -> str:
    return html.unescape(strip_tags(fragment))


@search_router.get("", response={200: SiteSearchOut, 400: ErrorOut, 404: ErrorOut})
def site_search(request: HttpRequest, q: str = "", kind: str = "", page: str = "1", hub: str = ""):
    """One search for everything public: initiatives, methods, knowledge summaries, support
    structures, funding calls (open ones first), challenges, ideas and published impact and
    survey reports. The same hits as the page /sok/ for the same person (token or session):
    drafts, hidden ideas and unpublished reports are never found. `kind` limits the hits
    (not the counts) to one kind; `page` is 1-based, 20 hits a page. Each hit's `title` and
    `snippet` are plain text, `title_html` and `snippet_html` escaped HTML with the matching
    words in `<mark>`. An empty `q` gives no hits. `hub` (a regional hub's slug, see
    /api/v1/hubs) puts the hits in the hub's area first, as the page does inside the hub;
    without it the order is the national one. Bad input gives 400 with a Swedish `detail`,
    an unknown hub 404."""
    errors: dict[str, list[str]] = {}
    if len(q) > finder.MAX_QUERY_LENGTH:
        errors["q"] = [
            _("The search text is too long: at most %(max)d characters.")
            % {"max": finder.MAX_QUERY_LENGTH}
        ]
    if kind and not finder.known_kind(kind):
        errors["kind"] = [
            _("Unknown kind “%(kind)s”. Choose one of: %(kinds)s.")
            % {"kind": kind[:40], "kinds": ", ".join(k.code for k in registry.kinds())}
        ]
    number = int(page) if page.isascii() and page.isdigit() else 0
    if not 1 <= number <= MAX_PAGE:
        errors["page"] = [_("The page is a whole number from 1 to %(max)d.") % {"max": MAX_PAGE}]
    if errors:
        raise ValidationError(errors)
    area = None
    if hub:  # an unknown hub: 404 "Hittades inte.", as /api/v1/hubs/{slug}
        area = get_object_or_404(Hub, slug=hub[:100]).area()
    found = finder.find(q, user=request.user, kind=kind, page=number, area=area)
    paginator = found.page.paginator if found.page is not None else None
    return {
        "query": found.query,
        "kind": found.kind,
        "total": found.total,
        "total_all": found.total_all,
        "capped": found.capped,
        "page": found.page.number if found.page is not None else 1,
        "pages": paginator.num_pages if paginator is not None else 0,
        "per_page": finder.PER_PAGE,
        "counts": [
            {"kind": c.code, "label": c.label, "label_plural": c.label_plural, "count": c.count}
            for c in found.counts
        ],
        "hits": [
            {
                "kind": r.kind,
                "kind_label": r.kind_label,
                "id": r.pk,
                "title": r.title,
                "title_html": r.title_html,
                "url": r.url,
                "snippet": _plain(r.snippet_html),
                "snippet_html": r.snippet_html,
                "context": r.context,
            }
            for r in found.results
        ],
    }
