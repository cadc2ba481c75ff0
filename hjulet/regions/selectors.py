"""Reads for regional hubs: the list, a hub's start page (its area's initiatives, calls,
challenges and events) and its dashboard figures."""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from hjulet.arenas.models import Challenge, Event
from hjulet.knowledge.models import Adaptation, Initiative
from hjulet.scienceshop.models import Question
from hjulet.scienceshop.workflow import Status as QuestionStatus
from hjulet.support.models import AdviceRequest, FundingCall, Scope
from hjulet.surveys.models import Invitation, Response, Survey

from .area import Area, in_area_first
from .models import Hub, HubPerson

START_PAGE_SIZE = 6


def hubs() -> QuerySet[Hub]:
    return Hub.objects.prefetch_related("counties", "municipalities")


def hub_people(hub: Hub) -> QuerySet[HubPerson]:
    return hub.people.select_related("user").order_by("role", "user__name", "pk")


def calls_in_area(area: Area) -> Q:
    """Calls for one of the area's counties or kommuner (a condition without repeated rows)."""
    covering = FundingCall.objects.filter(
        Q(scope=Scope.COUNTY, counties__in=sorted(area.touched_counties))
        | Q(scope=Scope.MUNICIPALITY, municipalities__in=sorted(area.codes))
    ).values("pk")
    return Q(pk__in=covering)


def calls_area_first(calls: QuerySet[FundingCall], area: Area | None) -> QuerySet[FundingCall]:
    """Funding calls with those for the area first (national calls and other regions' after)."""
    if area is None:
        return calls
    return in_area_first(calls, area, condition=calls_in_area(area))


def start_page(hub: Hub, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    area = hub.area()
    initiatives = Initiative.objects.filter(area.q()).select_related("municipality")
    calls = FundingCall.objects.filter(calls_in_area(area), deadline__gte=today)
    challenges = Challenge.objects.filter(area.q(), is_open=True).select_related("municipality")
    events = Event.objects.filter(
        area.q("challenge__municipality"), starts_at__gte=timezone.now()
    ).select_related("challenge")
    return {
        "area": area,
        "initiatives": list(initiatives.order_by("-created_at", "-pk")[:START_PAGE_SIZE]),
        "initiative_count": initiatives.count(),
        "calls": list(
            calls.select_related("funder").order_by("deadline", "title")[:START_PAGE_SIZE]
        ),
        "call_count": calls.count(),
        "challenges": list(challenges.order_by("-created_at", "-pk")[:START_PAGE_SIZE]),
        "challenge_count": challenges.count(),
        "events": list(events.order_by("starts_at", "pk")[:START_PAGE_SIZE]),
        "counties": list(hub.counties.all()),
        "municipalities": list(hub.municipalities.all()),
    }


@dataclass
class Dashboard:
    years: list[int]
    initiatives_per_year: dict[int, int]
    adaptations_per_year: dict[int, int]
    open_requests: int
    unassigned_requests: int
    median_wait_days: float | None  # open requests: days since they were sent
    median_days_to_adviser: float | None  # all requests that got an adviser
    questions_per_stage: list[tuple[str, str, int]]
    surveys: list[dict[str, Any]] = field(default_factory=list)

    @property
    def per_year(self) -> list[tuple[int, int, int]]:
        return [
            (year, self.initiatives_per_year.get(year, 0), self.adaptations_per_year.get(year, 0))
            for year in self.years
        ]


def _per_year(queryset: QuerySet, field_name: str = "created_at") -> dict[int, int]:
    rows = (
        queryset.annotate(year=ExtractYear(field_name))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    return {year: n for year, n in rows}


def _days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def dashboard(hub: Hub, now: datetime.datetime | None = None) -> Dashboard:
    """The figures of a hub's area (the same selectors serve the page and the API)."""
    now = now or timezone.now()
    area = hub.area()
    initiatives = _per_year(Initiative.objects.filter(area.q()))
    adaptations = _per_year(Adaptation.objects.filter(area.q("initiative__municipality")))
    years = sorted(set(initiatives) | set(adaptations))
    if years:
        years = list(range(years[0], years[-1] + 1))

    requests = AdviceRequest.objects.filter(area.q())
    open_requests = requests.exclude(status=AdviceRequest.Status.CLOSED)
    waiting = [
        _days(now - created) for created in open_requests.values_list("created_at", flat=True)
    ]
    to_adviser = [
        _days(assigned - created)
        for created, assigned in requests.filter(assigned_at__isnull=False).values_list(
            "created_at", "assigned_at"
        )
    ]

    stage_counts = Counter(
        Question.objects.filter(area.q("organisation__municipality")).values_list(
            "status", flat=True
        )
    )
    stages = [(code, label, stage_counts.get(code, 0)) for code, label in QuestionStatus.choices]

    surveys = []
    for survey in (
        Survey.objects.filter(area.q("organisation__municipality"))
        .select_related("organisation")
        .order_by("-created_at", "pk")[:20]
    ):
        invitations = Invitation.objects.filter(survey=survey)
        invited = invitations.count()
        answered = invitations.filter(used_at__isnull=False).count()
        surveys.append(
            {
                "survey": survey,
                "invited": invited,
                "answered": answered,
                "responses": Response.objects.filter(
                    survey=survey, submitted_at__isnull=False
                ).count(),
                "rate": round(100 * answered / invited) if invited else None,
            }
        )
    return Dashboard(
        years=years,
        initiatives_per_year=initiatives,
        adaptations_per_year=adaptations,
        open_requests=open_requests.count(),
        unassigned_requests=open_requests.filter(adviser__isnull=True).count(),
        median_wait_days=_median(waiting),
        median_days_to_adviser=_median(to_adviser),
        questions_per_stage=stages,
        surveys=surveys,
    )
