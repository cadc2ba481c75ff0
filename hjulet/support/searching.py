"""Support structures and funding calls in the site-wide search
(``hjulet.core.search.registry``). Both are public from the moment they are saved; among the
funding calls a search finds, the open ones come first."""

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from .models import FundingCall, SupportStructure

STRUCTURE = "support_structure"
CALL = "funding_call"


def structure_document(structure: SupportStructure) -> tuple[str, str]:
    body = [structure.summary, structure.description, *structure.service_labels]
    return structure.organisation.name, "\n".join(str(part) for part in body)


def call_document(call: FundingCall) -> tuple[str, str]:
    body = [call.purpose, call.eligibility, call.co_financing, call.funder.name]
    return call.title, "\n".join(body)


def index_structure(structure: SupportStructure) -> None:
    registry.index_object(STRUCTURE, structure, structure_document)


def index_call(call: FundingCall) -> None:
    registry.index_object(CALL, call, call_document)


def rebuild_structures() -> int:
    structures = SupportStructure.objects.select_related("organisation")
    return registry.rebuild_from(STRUCTURE, structures, structure_document)


def rebuild_calls() -> int:
    calls = FundingCall.objects.select_related("funder")
    return registry.rebuild_from(CALL, calls, call_document)


def call_ids(pks: Sequence[int], _user: Any) -> list[int]:
    """The calls found, open ones first (each group in the order given)."""
    today = timezone.localdate()
    rows = FundingCall.objects.filter(pk__in=list(pks)).values_list("pk", "opens_on", "deadline")
    is_open = {pk: opens_on <= today <= deadline for pk, opens_on, deadline in rows}
    present = [pk for pk in pks if pk in is_open]
    return [pk for pk in present if is_open[pk]] + [pk for pk in present if not is_open[pk]]


def call_status(call: FundingCall, today=None) -> str:
    """A call's state in a few words: open until …, opens …, closed …."""
    today = today or timezone.localdate()
    if call.opens_on > today:
        return _("opens %(date)s") % {"date": date_format(call.opens_on, "DATE_FORMAT")}
    if call.deadline < today:
        return _("closed %(date)s") % {"date": date_format(call.deadline, "DATE_FORMAT")}
    return _("open until %(date)s") % {"date": date_format(call.deadline, "DATE_FORMAT")}


def _structure_context(structure: SupportStructure) -> str:
    place = structure.organisation.municipality
    services = ", ".join(str(label) for label in structure.service_labels)
    return registry.context_line(str(place.name) if place is not None else "", services)


def structure_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = SupportStructure.objects.filter(pk__in=list(pks)).select_related(
        "organisation", "organisation__municipality"
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda structure: reverse(
            "support:structure-detail", args=[structure.organisation.slug]
        ),
        title=lambda structure: structure.organisation.name,
        context=_structure_context,
    )


def call_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = FundingCall.objects.filter(pk__in=list(pks)).select_related("funder")
    today = timezone.localdate()
    return registry.entries_of(
        found,
        pks,
        url=lambda call: reverse("support:call-detail", args=[call.slug]),
        context=lambda call: f"{call.funder.name} · {call_status(call, today)}",
    )


def calls_in_area(pks: Sequence[int], area: Any) -> list[int]:
    """The funding calls among ``pks`` for a hub's counties or kommuner (one query)."""
    from hjulet.regions.selectors import calls_in_area as covering_area

    calls = FundingCall.objects.filter(covering_area(area), pk__in=list(pks))
    return list(calls.values_list("pk", flat=True))


def register_kinds() -> None:
    registry.register(
        SearchableKind(
            code=STRUCTURE,
            label=gettext_lazy("Support structure"),
            label_plural=gettext_lazy("Support structures"),
            visible_ids=None,
            entries=structure_entries,
            rebuild=rebuild_structures,
            position=40,
        )
    )
    registry.register(
        SearchableKind(
            code=CALL,
            label=gettext_lazy("Funding call"),
            label_plural=gettext_lazy("Funding calls"),
            visible_ids=call_ids,
            entries=call_entries,
            rebuild=rebuild_calls,
            position=50,
            in_area=calls_in_area,
        )
    )
