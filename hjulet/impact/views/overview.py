"""An initiative's follow-up at a glance and as XLSX, and the totals of every initiative."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hjulet.core.page_cache import for_visitors
from hjulet.core.ratelimits import export_limited

from .. import exports, selectors
from ._common import _context, _initiative
from .theory import _theory_context


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    return render(
        request,
        "impact/overview.html",
        _context(
            request,
            initiative,
            **_theory_context(initiative),
            indicators=selectors.indicators_of(initiative),
            cycles=selectors.test_cycles_of(initiative),
            analyses=selectors.analyses_of(initiative),
        ),
    )


@export_limited
def follow_up_export(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    return exports.follow_up_xlsx(
        initiative,
        selectors.theory_of(initiative),
        selectors.indicators_of(initiative),
        selectors.test_cycles_of(initiative),
    )


#: Initiatives per page of the totals page's table (all of them fill the XLSX and the API).
TOTALS_PAGE_SIZE = 50


@for_visitors
def totals(request: HttpRequest) -> HttpResponse:
    """The totals, and the initiatives with a published report a page at a time (at
    national scale the whole table was most of a 145 KB page)."""
    data = selectors.totals()
    page = Paginator(selectors.published_reports(), TOTALS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    figures = selectors.stored_figures([i.pk for i in page])
    return render(
        request,
        "impact/totals.html",
        {
            **data,
            "page": page,
            "rows": [(i, figures[i.pk]) for i in page],
            "mine": selectors.initiatives_to_follow_up(request.user),
        },
    )


@export_limited
def totals_export(request: HttpRequest) -> HttpResponse:
    return exports.totals_xlsx(selectors.totals())
