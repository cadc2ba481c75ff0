"""The pages that draw on every app: the start page and the site-wide search."""

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hjulet.accounts.selectors import platform_figures
from hjulet.arenas.selectors import challenges
from hjulet.core import freshness
from hjulet.core import site_search as finder
from hjulet.core.maps import choropleth
from hjulet.core.page_cache import for_visitors
from hjulet.knowledge import selectors as knowledge
from hjulet.lib.geo import svg_view_box
from hjulet.regions import context as hub_context
from hjulet.support.selectors import CallFilters, calls


@for_visitors
def home(request: HttpRequest) -> HttpResponse:
    """What Hjulet holds, at a glance: figures, the newest initiatives, open calls and
    challenges, the map, and a way in for each kind of visitor. The same for everyone until
    something changes, so computed once per change (``core.freshness``); the page around it
    (who is signed in) is rendered for each request."""
    return render(
        request,
        "site/home.html",
        {
            **freshness.cached("site:home", _home_content),
            "view_box": svg_view_box(),
            "map_title": _("Map of Sweden's counties, shaded by the number of initiatives"),
            "map_id": "home-map",
        },
    )


def _home_content() -> dict[str, Any]:
    """The start page's figures and entries: a fixed number of queries."""
    open_calls = calls(CallFilters(open_now=True))
    open_challenges = challenges(open_only=True)
    counties = knowledge.areas_with_counts(knowledge.initiative_counts("county"), "county")
    legend = choropleth(
        counties,
        count_of=lambda county: county.entry_count,
        describe=_initiatives,
        none_label=_("No initiatives"),
        url_of=lambda county: reverse("knowledge:map") + f"?lan={county.code}",
    )
    return {
        "figures": platform_figures(),
        "knowledge": knowledge.home_overview(),
        "open_calls": list(open_calls[:3]),
        "open_call_count": open_calls.count(),
        "open_challenges": list(open_challenges[:3]),
        "open_challenge_count": open_challenges.count(),
        "areas": counties,
        "legend": legend,
    }


def _initiatives(count: int) -> str:
    return ngettext("%(count)d initiative", "%(count)d initiatives", count) % {"count": count}


@for_visitors
def site_search(request: HttpRequest) -> HttpResponse:
    """/sok/: one search for everything public, with a filter by kind. With htmx, only the
    filter and the results are sent back (the address is pushed, so Back works). Inside a
    regional hub its area's hits come first (``?hela_sverige=1``: the national order)."""
    raw_query = request.GET.get("q", "")
    found = finder.find(
        raw_query,
        user=request.user,
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page"),
        area=hub_context.ordering_area(request),
    )
    chosen = next((c for c in found.counts if c.code == found.kind), None)
    context = {
        "found": found,
        "chosen": chosen,
        "shown_counts": [c for c in found.counts if c.count or c.code == found.kind],
        "too_long": len(raw_query) > finder.MAX_QUERY_LENGTH,
        "max_length": finder.MAX_QUERY_LENGTH,
        "query": _page_query(found.query, found.kind, hub_context.wants_national(request)),
        **hub_context.hub_context(request),
    }
    # Only the filter and the results for htmx; the whole page when htmx restores a page
    # missing from its history cache (Back), and the HTTP cache keeps the two apart.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "site/_search_results.html" if partial else "site/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


def _page_query(q: str, kind: str, national: bool = False) -> str:
    query = QueryDict(mutable=True)
    if q:
        query["q"] = q
    if kind:
        query["kind"] = kind
    if national:
        query[hub_context.NATIONAL_PARAMETER] = "1"
    return query.urlencode()
