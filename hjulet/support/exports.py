"""The support directory and the funding calls as CSV or XLSX (same filters as the pages);
an XLSX file of more than ``core.exports.XLSX_MAX_ROWS`` rows is built by the worker
(``core.export_jobs``)."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hjulet.core import export_jobs
from hjulet.core.exports import XLSX_MAX_ROWS, download, too_large
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


def _codes(terms: Iterable[Any]) -> str:
    return "; ".join(term.code for term in terms)


def _area(entry: SupportStructure | FundingCall) -> dict[str, Any]:
    return {
        "audiences": "; ".join(entry.audiences),
        "area": entry.scope,
        "counties": _codes(entry.counties.all()),
        "municipalities": _codes(entry.municipalities.all()),
    }


def structure_values(structure: SupportStructure, base_url: str) -> dict[str, Any]:
    """A structure's columns by name: what the exports (``STRUCTURE_HEADER``) and the open
    data collection (its own fields, without the contact person) each take their own of."""
    return {
        "organisation": structure.organisation.name,
        "summary": structure.summary,
        "description": structure.description,
        "services": "; ".join(structure.services),
        **_area(structure),
        "contact_name": structure.contact_name,
        "contact_email": structure.contact_email,
        "phone": structure.phone,
        "website": structure.website,
        "url": base_url + reverse("support:structure-detail", args=[structure.organisation.slug]),
    }


def call_values(call: FundingCall, base_url: str) -> dict[str, Any]:
    """A call's columns by name, for the exports (``CALL_HEADER``) and the open data."""
    return {
        "title": call.title,
        "funder": call.funder.name,
        "purpose": call.purpose,
        "eligibility": call.eligibility,
        "challenges": _codes(call.challenges.all()),
        "sdgs": _codes(call.sdgs.all()),
        **_area(call),
        "amount_min": call.amount_min,
        "amount_max": call.amount_max,
        "co_financing": call.co_financing,
        "opens_on": call.opens_on,
        "deadline": call.deadline,
        "link": call.link,
        "url": base_url + reverse("support:call-detail", args=[call.slug]),
    }


def structure_row(structure: SupportStructure, base_url: str) -> list:
    values = structure_values(structure, base_url)
    return [values[name] for name in STRUCTURE_HEADER]


def call_row(call: FundingCall, base_url: str) -> list:
    values = call_values(call, base_url)
    return [values[name] for name in CALL_HEADER]


def _respond(fmt: str, name: str, header: list, rows) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return download(fmt, header, rows, filename=f"hjulet-{name}-{stamp}.{fmt}", title=name)


def _structures(query: QueryDict) -> QuerySet:
    form = DirectoryFilterForm(query or None)
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.structures(
        municipality=data.get("municipality"),
        need=data.get("need", ""),
        audience=data.get("audience", ""),
    )


def _calls(query: QueryDict) -> QuerySet:
    return selectors.calls(CallFilterForm(query or None).filters())


def _structure_rows(found: QuerySet, base: str) -> Iterator[list]:
    return (structure_row(s, base) for s in found.iterator(chunk_size=CHUNK))


def _call_rows(found: QuerySet, base: str) -> Iterator[list]:
    return (call_row(c, base) for c in found.iterator(chunk_size=CHUNK))


def _stem(name: str) -> str:
    return f"hjulet-{name}-{timezone.localdate().isoformat()}"


def background_structures(query: QueryDict, base_url: str, user: object = None) -> tuple:
    """The support directory that ``query`` selects, for ``core.export_jobs`` (the worker)."""
    rows = _structure_rows(_structures(query), base_url)
    return STRUCTURE_HEADER, rows, "stodstrukturer", _stem("stodstrukturer")


def background_calls(query: QueryDict, base_url: str, user: object = None) -> tuple:
    """The funding calls that ``query`` selects, for ``core.export_jobs`` (the worker)."""
    return CALL_HEADER, _call_rows(_calls(query), base_url), "utlysningar", _stem("utlysningar")


def _export(
    request: HttpRequest, fmt: str, found: QuerySet, rows: Callable, *, name: str, names: tuple
) -> HttpResponse:
    """The export of a list, or for a long list's XLSX the page that offers the worker."""
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    if fmt == "xlsx":
        total = found.count()
        if total > XLSX_MAX_ROWS:
            query = request.GET.urlencode()
            suffix = f"?{query}" if query else ""
            export_name, list_name = names
            return too_large(
                request,
                total=total,
                build_url=reverse(f"support:{export_name}-build", args=["xlsx"]),
                query=query,
                csv_url=reverse(f"support:{export_name}", args=["csv"]) + suffix,
                list_url=reverse(f"support:{list_name}") + suffix,
            )
    base = request.build_absolute_uri("/").rstrip("/")
    header = STRUCTURE_HEADER if name == "stodstrukturer" else CALL_HEADER
    return _respond(fmt, name, header, rows(found, base))


@export_limited
def export_structures(request: HttpRequest, fmt: str) -> HttpResponse:
    found = _structures(request.GET)
    names = ("structure-export", "directory")
    return _export(request, fmt, found, _structure_rows, name="stodstrukturer", names=names)


@export_limited
def export_calls(request: HttpRequest, fmt: str) -> HttpResponse:
    found = _calls(request.GET)
    names = ("call-export", "call-list")
    return _export(request, fmt, found, _call_rows, name="utlysningar", names=names)


def _build(request: HttpRequest, fmt: str, kind: str, found: Callable) -> HttpResponse:
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    query = request.POST.get("query", "")
    job = export_jobs.start_export(
        actor=request.user, kind=kind, fmt=fmt, query=query, total=found(QueryDict(query)).count()
    )
    return redirect("core:export-detail", pk=job.pk)


@login_required
@require_POST
@export_limited
def build_structures(request: HttpRequest, fmt: str) -> HttpResponse:
    """Have the worker make the file of a directory too long for one request."""
    return _build(request, fmt, "support_structures", _structures)


@login_required
@require_POST
@export_limited
def build_calls(request: HttpRequest, fmt: str) -> HttpResponse:
    """Have the worker make the file of a list of calls too long for one request."""
    return _build(request, fmt, "funding_calls", _calls)
