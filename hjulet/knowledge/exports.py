"""Export of any initiative search result to CSV, XLSX or JSON (same filters as the list)."""

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.db.models import Case, QuerySet, When
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hjulet.core import export_jobs
from hjulet.core.exports import XLSX_MAX_ROWS, download, too_large
from hjulet.core.ratelimits import export_limited

from . import selectors
from .models import Initiative, PartnerRole, Partnership

HEADER = [
    "title",
    "summary",
    "municipality_code",
    "municipality",
    "county",
    "country",
    "place",
    "stage",
    "start_date",
    "end_date",
    "participants_reached",
    "lead",
    "partners",
    "methods",
    "challenges",
    "target_groups",
    "sdgs",
    "contact_name",
    "contact_email",
    "url",
]
#: Initiatives read per round: one query for the rows, one for the partners and one per
#: kind of tag, so the queries grow with the chunks, not the rows. Plain tuples, not model
#: instances (whose prefetch caches form cycles that only the garbage collector frees).
CHUNK = 1000
FORMATS = ("csv", "xlsx", "json")
FIELDS = (
    "pk",
    "title",
    "summary",
    "municipality_id",
    "municipality__name",
    "municipality__county__name",
    "country",
    "place",
    "stage__code",
    "start_date",
    "end_date",
    "participants_reached",
    "contact_name",
    "contact_email",
    "slug",
)
TAGS = ("methods", "challenges", "target_groups", "sdgs")


def _detail_url(base_url: str) -> Callable[[str], str]:
    """The detail page's address for a slug, without resolving the URL once per row."""
    before, after = reverse("knowledge:initiative-detail", args=["slug"]).rsplit("slug", 1)
    return lambda slug: f"{base_url}{before}{slug}{after}"


def _chunks(ids: Sequence[int] | QuerySet) -> Iterator[list[int]]:
    """The ids in chunks of ``CHUNK``; a lazy query of ids is read chunk by chunk."""
    source = ids.iterator(chunk_size=CHUNK) if isinstance(ids, QuerySet) else iter(ids)
    while chunk := list(islice(source, CHUNK)):
        yield chunk


def _tags(name: str, chunk: list[int]) -> dict[int, list[str]]:
    """Each initiative's methods (titles) or terms (codes), in the models' own order."""
    through = getattr(Initiative, name).through
    if name == "methods":
        pairs = through.objects.filter(initiative_id__in=chunk).order_by("method__title")
        pairs = pairs.values_list("initiative_id", "method__title")
    else:
        ordering = ("term__vocabulary__position", "term__position", "term__label_sv")
        pairs = through.objects.filter(initiative_id__in=chunk).order_by(*ordering)
        pairs = pairs.values_list("initiative_id", "term__code")
    found = defaultdict(list)
    for initiative_id, value in pairs:
        found[initiative_id].append(value)
    return found


def _partners(chunk: list[int]) -> tuple[dict[int, str], dict[int, list[str]]]:
    lead_first = Case(When(role=PartnerRole.LEAD, then=0), default=1)
    partnerships = (
        Partnership.objects.accepted()
        .filter(initiative_id__in=chunk)
        .order_by(lead_first, "organisation__name")
        .values_list("initiative_id", "organisation__name", "role")
    )
    leads: dict[int, str] = {}
    others = defaultdict(list)
    for initiative_id, name, role in partnerships:
        if role == PartnerRole.LEAD:
            leads.setdefault(initiative_id, name)
        else:
            others[initiative_id].append(f"{name} ({role})")
    return leads, others


def rows_for(ids: Sequence[int] | QuerySet, base_url: str) -> Iterator[list]:
    """Export rows in the order of ``ids``, read a chunk at a time: memory and the number of
    queries per row stay the same however many rows there are."""
    url = _detail_url(base_url)
    for chunk in _chunks(ids):
        found = {
            values[0]: values
            for values in Initiative.objects.filter(pk__in=chunk).order_by().values_list(*FIELDS)
        }
        leads, others = _partners(chunk)
        tags = {name: _tags(name, chunk) for name in TAGS}
        for pk in chunk:
            if pk not in found:
                continue
            _, *values, slug = found[pk]
            yield [
                *values[:11],
                leads.get(pk, ""),
                "; ".join(others.get(pk, ())),
                *("; ".join(tags[name].get(pk, ())) for name in TAGS),
                *values[11:],
                url(slug),
            ]


def export_rows(query: QueryDict, base_url: str) -> Iterator[list]:
    """The rows of the list that ``query`` (the list page's filters) selects."""
    filters = selectors.InitiativeFilters.from_query(query)
    return rows_for(selectors.search_initiatives(filters, exact=True).ids, base_url)


def background_export(
    query: QueryDict, base_url: str, user: object = None
) -> tuple[list[str], Iterator, str, str]:
    """The initiative list that ``query`` selects, for ``core.export_jobs`` (the worker)."""
    stamp = timezone.localdate().isoformat()
    return HEADER, export_rows(query, base_url), "Initiativ", f"hjulet-initiativ-{stamp}"


@login_required
@require_POST
@export_limited
def build(request: HttpRequest, fmt: str) -> HttpResponse:
    """Have the worker make the file of a list too long for one request (the XLSX of more
    than ``XLSX_MAX_ROWS`` initiatives); its page shows the progress and the download."""
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    query = request.POST.get("query", "")
    results = selectors.search_initiatives(
        selectors.InitiativeFilters.from_query(QueryDict(query)), exact=True
    )
    job = export_jobs.start_export(
        actor=request.user, kind="initiatives", fmt=fmt, query=query, total=results.total
    )
    return redirect("core:export-detail", pk=job.pk)


@export_limited
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    results = selectors.search_initiatives(
        selectors.InitiativeFilters.from_query(request.GET), exact=True
    )
    if fmt == "xlsx" and results.total > XLSX_MAX_ROWS:
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        return too_large(
            request,
            total=results.total,
            build_url=reverse("knowledge:initiative-export-build", args=["xlsx"]),
            query=query,
            csv_url=reverse("knowledge:initiative-export", args=["csv"]) + suffix,
            list_url=reverse("knowledge:initiative-list") + suffix,
        )
    rows = rows_for(results.ids, request.build_absolute_uri("/").rstrip("/"))
    stamp = timezone.localdate().isoformat()
    return download(
        fmt, HEADER, rows, filename=f"hjulet-initiativ-{stamp}.{fmt}", title="Initiativ"
    )
