"""Reads for the support directory, funding calls and advice requests."""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from hjulet.core.models import County, Municipality
from hjulet.knowledge.models import Initiative
from hjulet.regions.permissions import coordinated_codes

from .models import (
    AdviceRequest,
    Audience,
    CallFollow,
    FundingCall,
    Scope,
    Service,
    SupportStructure,
    covering,
)


def structures(
    *, municipality: Municipality | None = None, need: str = "", audience: str = ""
) -> QuerySet[SupportStructure]:
    """The directory: "where am I" (kommun) and "what do I need" (a service). With a kommun,
    the nearest come first: those serving the kommun, then the län, then all of Sweden."""
    found = SupportStructure.objects.select_related(
        "organisation", "organisation__municipality"
    ).prefetch_related("counties", "municipalities")
    if municipality is not None:
        found = found.filter(covering(municipality))
    if need in Service.values:
        found = found.filter(**{f"offers_{need}": True})
    if audience in Audience.values:
        found = found.filter(**{f"for_{audience}": True})
    nearness = Case(
        When(scope=Scope.MUNICIPALITY, then=Value(0)),
        When(scope=Scope.COUNTY, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # The primary key last: an order without ties, so that the pages of the list neither
    # repeat nor skip a structure.
    order = ["organisation__name", "pk"]
    if municipality:
        order.insert(0, "nearness")
    return found.annotate(nearness=nearness).distinct().order_by(*order)


def structure_detail_query() -> QuerySet[SupportStructure]:
    return SupportStructure.objects.select_related("organisation").prefetch_related(
        "counties", "municipalities"
    )


def structure_county_counts() -> tuple[dict[str, int], int]:
    """How many structures serve each län (through the län or one of its kommuner), and how
    many serve all of Sweden."""
    counts: dict[str, set[int]] = {}
    for pk, code in SupportStructure.objects.filter(scope=Scope.COUNTY).values_list(
        "pk", "counties__code"
    ):
        counts.setdefault(code, set()).add(pk)
    for pk, code in SupportStructure.objects.filter(scope=Scope.MUNICIPALITY).values_list(
        "pk", "municipalities__county_id"
    ):
        counts.setdefault(code, set()).add(pk)
    national = SupportStructure.objects.filter(scope=Scope.NATIONAL).count()
    return {code: len(pks) for code, pks in counts.items() if code}, national


def municipalities_with_local_structures(county: County) -> list[Municipality]:
    """The kommuner of a län, each with how many structures serve it in particular."""
    counts: dict[str, int] = {}
    for code in SupportStructure.objects.filter(
        scope=Scope.MUNICIPALITY, municipalities__county=county
    ).values_list("municipalities__code", flat=True):
        if code and code.startswith(county.code):
            counts[code] = counts.get(code, 0) + 1
    municipalities = list(county.municipalities.order_by("name"))
    for municipality in municipalities:
        municipality.entry_count = counts.get(municipality.code, 0)
    return municipalities


def counties_with(counts: dict[str, int]) -> list[County]:
    counties = list(County.objects.order_by("code"))
    for county in counties:
        county.entry_count = counts.get(county.code, 0)
    return counties


# --- funding calls ----------------------------------------------------------------------


@dataclass
class CallFilters:
    open_now: bool = False
    municipality: Municipality | None = None
    audience: str = ""
    challenge: str = ""
    funder: int | None = None
    include_closed: bool = False


def calls(filters: CallFilters, today: datetime.date | None = None) -> QuerySet[FundingCall]:
    """Funding calls; "open now for me" is ``open_now`` with a kommun and an audience."""
    today = today or timezone.localdate()
    found = FundingCall.objects.select_related("funder").prefetch_related(
        "challenges", "sdgs", "counties", "municipalities"
    )
    if filters.open_now:
        found = found.filter(opens_on__lte=today, deadline__gte=today)
    elif not filters.include_closed:
        found = found.filter(deadline__gte=today)
    if filters.municipality is not None:
        found = found.filter(covering(filters.municipality))
    if filters.audience in Audience.values:
        found = found.filter(**{f"for_{filters.audience}": True})
    if filters.challenge:
        found = found.filter(challenges__code=filters.challenge)
    if filters.funder:
        found = found.filter(funder_id=filters.funder)
    if filters.municipality is not None or filters.challenge:
        # Those join many-valued relations: a call would come once per matching row.
        # Otherwise no DISTINCT, which compares every column of every call (PostgreSQL).
        found = found.distinct()
    return found.order_by("deadline", "title", "pk")  # pk: no ties between pages


SECTOR_AUDIENCE = {"ideburen": "ideburen", "offentlig": "public", "privat": "private"}


def for_me_query(user) -> dict[str, str]:
    """ "Open now for me": the kommun and audience of the person's first organisation that has a
    kommun; a person without one is a resident (the kommun is then theirs to choose)."""
    query = {"open_now": "on", "audience": "residents"}
    if not getattr(user, "is_authenticated", False):
        return query
    organisation = (
        user.memberships.select_related("organisation__sector")
        .filter(organisation__municipality__isnull=False)
        .order_by("created_at")
        .first()
    )
    if organisation is not None:
        organisation = organisation.organisation
        query["municipality"] = organisation.municipality_id
        query["audience"] = SECTOR_AUDIENCE.get(organisation.sector.code, "")
    return query


def call_detail_query() -> QuerySet[FundingCall]:
    return FundingCall.objects.select_related("funder").prefetch_related(
        "challenges", "sdgs", "counties", "municipalities"
    )


def calls_for_initiative(
    initiative: Initiative, today: datetime.date | None = None
) -> list[FundingCall]:
    """Open calls whose region covers the initiative's kommun and whose themes share one of
    its challenges (calls with no stated challenge fit every initiative)."""
    today = today or timezone.localdate()
    challenge_ids = list(initiative.challenges.values_list("pk", flat=True))
    found = (
        calls(CallFilters(open_now=True, municipality=initiative.municipality), today)
        .annotate(theme_count=Count("challenges", distinct=True))
        .filter(Q(theme_count=0) | Q(challenges__in=challenge_ids))
    )
    return list(found.distinct())


def followed_call_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(CallFollow.objects.filter(user=user).values_list("call_id", flat=True))


# --- advice requests --------------------------------------------------------------------


def visible_requests(user) -> QuerySet[AdviceRequest]:
    """What this person may see: their own, those routed to their structures, or (for
    coordinators) all."""
    found = AdviceRequest.objects.select_related(
        "asker", "municipality", "municipality__county", "adviser", "organisation"
    ).prefetch_related("routed_to__organisation")
    if not getattr(user, "is_authenticated", False):
        return found.none()
    hub_codes = coordinated_codes(user)
    if hub_codes is None:
        return found
    return found.filter(Q(asker=user) | _handled_by(user, hub_codes)).distinct()


def handled_requests(user) -> QuerySet[AdviceRequest]:
    """The inbox: what this person handles (not what they asked themselves)."""
    found = visible_requests(user)
    hub_codes = coordinated_codes(user)
    if hub_codes is None:
        return found
    return found.filter(_handled_by(user, hub_codes)).distinct()


def _handled_by(user, hub_codes: Iterable[str]) -> Q:
    """Requests routed to this person's structures, given to them as adviser, or from the
    kommuner of the hubs they coordinate."""
    return (
        Q(routed_to__organisation__memberships__user=user)
        | Q(adviser=user)
        | Q(municipality__in=sorted(hub_codes))
    )


@dataclass
class Waiting:
    open_count: int
    new_count: int
    unrouted_count: int
    median_days: float | None
    longest_days: int | None
    by_structure: list[tuple[str, int, int]]  # name, open requests, longest wait in days


def waiting_overview(requests: QuerySet[AdviceRequest]) -> Waiting:
    """Open requests and how long they have waited since they were asked."""
    open_requests = list(requests.exclude(status=AdviceRequest.Status.CLOSED))
    days = [r.waiting_days for r in open_requests]
    per_structure: dict[str, list[int]] = {}
    for request in open_requests:
        for structure in request.routed_to.all():
            per_structure.setdefault(str(structure), []).append(request.waiting_days)
        if request.to_coordinators:
            per_structure.setdefault("", []).append(request.waiting_days)
    return Waiting(
        open_count=len(open_requests),
        new_count=sum(r.status == AdviceRequest.Status.NEW for r in open_requests),
        unrouted_count=sum(r.to_coordinators for r in open_requests),
        median_days=statistics.median(days) if days else None,
        longest_days=max(days) if days else None,
        by_structure=sorted(
            ((name, len(d), max(d)) for name, d in per_structure.items()),
            key=lambda row: (-row[2], row[0]),
        ),
    )


def request_detail_query() -> QuerySet[AdviceRequest]:
    return AdviceRequest.objects.select_related(
        "asker",
        "municipality",
        "municipality__county",
        "adviser",
        "organisation",
        "outcome_initiative",
    ).prefetch_related("routed_to__organisation", "notes__author")
