"""Export of any initiative search result to CSV, XLSX or JSON (same filters as the list)."""

from collections.abc import Callable, Iterator, Sequence
from itertools import islice

from django.db.models import Prefetch, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    QueryDict,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone

from hjulet.core.exports import download
from hjulet.core.models import Term
from hjulet.core.ratelimits import export_limited

from . import selectors
from .models import Initiative, Method, PartnerRole

HEADER = [
    "title",
    "summary",
    "municipality_code",
    "municipality",
    "county",
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
#: Initiatives read per round: one query for the rows and one per related list (partners,
#: methods and four kinds of tags), so the queries grow with the chunks, not the rows.
CHUNK = 1000
FORMATS = ("csv", "xlsx", "json")
#: Long texts the export does not show are not read.
NOT_EXPORTED = (
    "description",
    "results",
    "evidence",
    "links",
    "address",
    "municipality__svg_path",
    "municipality__county__svg_path",
)


def _detail_url(base_url: str) -> Callable[[str], str]:
    """The detail page's address for a slug, without resolving the URL once per row."""
    before, after = reverse("knowledge:initiative-detail", args=["slug"]).rsplit("slug", 1)
    return lambda slug: f"{base_url}{before}{slug}{after}"


def row(initiative: Initiative, url: Callable[[str], str]) -> list:
    partnerships = list(initiative.partnerships.all())
    return [
        initiative.title,
        initiative.summary,
        initiative.municipality_id,
        initiative.municipality.name,
        initiative.municipality.county.name,
        initiative.stage.code,
        initiative.start_date,
        initiative.end_date,
        initiative.participants_reached,
        next((p.organisation.name for p in partnerships if p.role == PartnerRole.LEAD), ""),
        "; ".join(
            f"{p.organisation.name} ({p.role})" for p in partnerships if p.role != PartnerRole.LEAD
        ),
        "; ".join(m.title for m in initiative.methods.all()),
        "; ".join(t.code for t in initiative.challenges.all()),
        "; ".join(t.code for t in initiative.target_groups.all()),
        "; ".join(t.code for t in initiative.sdgs.all()),
        initiative.contact_name,
        initiative.contact_email,
        url(initiative.slug),
    ]


def _chunks(ids: Sequence[int] | QuerySet) -> Iterator[list[int]]:
    """The ids in chunks of ``CHUNK``; a lazy query of ids is read chunk by chunk."""
    source = ids.iterator(chunk_size=CHUNK) if isinstance(ids, QuerySet) else iter(ids)
    while chunk := list(islice(source, CHUNK)):
        yield chunk


def _chunk_query() -> QuerySet[Initiative]:
    codes = Term.objects.only("code")
    return (
        selectors.initiative_list_query()
        .defer(*NOT_EXPORTED)
        .prefetch_related(
            Prefetch("methods", queryset=Method.objects.only("title")),
            Prefetch("challenges", queryset=codes),
            Prefetch("target_groups", queryset=codes),
            Prefetch("sdgs", queryset=codes),
        )
    )


def rows_for(ids: Sequence[int] | QuerySet, base_url: str) -> Iterator[list]:
    """Export rows in the order of ``ids``, read a chunk at a time: memory and the number of
    queries per row stay the same however many rows there are."""
    url = _detail_url(base_url)
    for chunk in _chunks(ids):
        by_pk = {i.pk: i for i in _chunk_query().filter(pk__in=chunk)}
        for pk in chunk:
            if pk in by_pk:
                yield row(by_pk[pk], url)


def export_rows(query: QueryDict, base_url: str) -> Iterator[list]:
    """The rows of the list that ``query`` (the list page's filters) selects."""
    filters = selectors.InitiativeFilters.from_query(query)
    return rows_for(selectors.search_initiatives(filters).ids, base_url)


@export_limited
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    rows = export_rows(request.GET, request.build_absolute_uri("/").rstrip("/"))
    stamp = timezone.localdate().isoformat()
    return download(
        fmt, HEADER, rows, filename=f"hjulet-initiativ-{stamp}.{fmt}", title="Initiativ"
    )
