"""Export of any initiative search result to CSV, XLSX or JSON (same filters as the list)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import reverse
from django.utils import timezone

from hjulet.lib.tabular import to_csv, to_json, to_xlsx

from . import selectors
from .models import Initiative, PartnerRole

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
FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "json": ("application/json; charset=utf-8", to_json),
}


def row(initiative: Initiative, base_url: str) -> list:
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
        base_url + reverse("knowledge:initiative-detail", args=[initiative.slug]),
    ]


def rows_for(ids: list[int], base_url: str, batch: int = 500):
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        by_pk = {
            i.pk: i
            for i in selectors.initiative_list_query()
            .prefetch_related("methods", "challenges", "target_groups", "sdgs")
            .filter(pk__in=chunk)
        }
        for pk in chunk:
            if pk in by_pk:
                yield row(by_pk[pk], base_url)


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    content_type, write = FORMATS[fmt]
    ids = list(
        selectors.search_initiatives(selectors.InitiativeFilters.from_query(request.GET)).ids
    )
    rows = rows_for(ids, request.build_absolute_uri("/").rstrip("/"))
    body = write(HEADER, rows, "Initiativ") if fmt == "xlsx" else write(HEADER, rows)
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="hjulet-initiativ-{stamp}.{fmt}"'
    return response
