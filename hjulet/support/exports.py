"""The support directory and the funding calls as CSV or XLSX (same filters as the pages)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import reverse
from django.utils import timezone

from hjulet.core.exports import download
from hjulet.core.ratelimits import export_limited

from . import selectors
from .forms import CallFilterForm, DirectoryFilterForm
from .models import FundingCall, SupportStructure

FORMATS = ("csv", "xlsx")
CHUNK = 1000
STRUCTURE_HEADER = [
    "organisation",
    "summary",
    "services",
    "audiences",
    "area",
    "counties",
    "municipalities",
    "contact_name",
    "contact_email",
    "phone",
    "website",
    "url",
]
CALL_HEADER = [
    "title",
    "funder",
    "purpose",
    "challenges",
    "sdgs",
    "audiences",
    "area",
    "counties",
    "municipalities",
    "amount_min",
    "amount_max",
    "co_financing",
    "opens_on",
    "deadline",
    "link",
    "url",
]


def _area(entry: SupportStructure | FundingCall) -> list:
    return [
        entry.scope,
        "; ".join(c.code for c in entry.counties.all()),
        "; ".join(m.code for m in entry.municipalities.all()),
    ]


def structure_row(structure: SupportStructure, base_url: str) -> list:
    return [
        structure.organisation.name,
        structure.summary,
        "; ".join(structure.services),
        "; ".join(structure.audiences),
        *_area(structure),
        structure.contact_name,
        structure.contact_email,
        structure.phone,
        structure.website,
        base_url + reverse("support:structure-detail", args=[structure.organisation.slug]),
    ]


def call_row(call: FundingCall, base_url: str) -> list:
    return [
        call.title,
        call.funder.name,
        call.purpose,
        "; ".join(t.code for t in call.challenges.all()),
        "; ".join(t.code for t in call.sdgs.all()),
        "; ".join(call.audiences),
        *_area(call),
        call.amount_min,
        call.amount_max,
        call.co_financing,
        call.opens_on,
        call.deadline,
        call.link,
        base_url + reverse("support:call-detail", args=[call.slug]),
    ]


def _respond(fmt: str, name: str, header: list, rows) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return download(fmt, header, rows, filename=f"hjulet-{name}-{stamp}.{fmt}", title=name)


@export_limited
def export_structures(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.structures(
        municipality=data.get("municipality"),
        need=data.get("need", ""),
        audience=data.get("audience", ""),
    )
    base = request.build_absolute_uri("/").rstrip("/")
    rows = (structure_row(s, base) for s in found.iterator(chunk_size=CHUNK))
    return _respond(fmt, "stodstrukturer", STRUCTURE_HEADER, rows)


@export_limited
def export_calls(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    form = CallFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CallFilters(
        open_now=data.get("open_now", False),
        municipality=data.get("municipality"),
        audience=data.get("audience", ""),
        challenge=data.get("challenge", ""),
        include_closed=data.get("include_closed", False),
    )
    base = request.build_absolute_uri("/").rstrip("/")
    return _respond(
        fmt,
        "utlysningar",
        CALL_HEADER,
        (call_row(c, base) for c in selectors.calls(filters).iterator(chunk_size=CHUNK)),
    )
