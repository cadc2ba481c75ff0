"""Reads for plans, their progress and map, adaptation drafts and what adaptations learned."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from hjulet.core.models import Municipality
from hjulet.impact.models import ImpactReport
from hjulet.knowledge.models import Adaptation, Initiative, Method
from hjulet.lib.spread import percent_of_goal

from .models import AdaptationDraft, DraftStatus, SpreadPlan

LIVE = (DraftStatus.DRAFT, DraftStatus.PUBLISHED)


def plans_for_method(method: Method) -> QuerySet[SpreadPlan]:
    return SpreadPlan.objects.filter(method=method).prefetch_related("owners")


def plan_detail_query() -> QuerySet[SpreadPlan]:
    return SpreadPlan.objects.select_related("method").prefetch_related(
        "counties", "municipalities", "owners", "steps__owner_person", "steps__owner_organisation"
    )


def reached_places(method: Method) -> dict[str, list[str]]:
    """Municipality code → who adapted ``method`` there: initiatives that recorded adapting
    it (or an initiative using it) and published adaptations of places."""
    places: dict[str, list[str]] = {}
    adaptations = Adaptation.objects.filter(
        Q(source_method=method) | Q(source_initiative__methods=method),
        initiative__municipality__isnull=False,
    ).select_related("initiative")
    for a in adaptations:
        places.setdefault(a.initiative.municipality_id, []).append(a.initiative.title)
    drafts = AdaptationDraft.objects.filter(
        Q(source_method=method) | Q(source_initiative__methods=method),
        status=DraftStatus.PUBLISHED,
        adaptation__isnull=True,
        municipality__isnull=False,
    )
    for d in drafts:
        places.setdefault(d.municipality_id, []).append(d.title)
    return places


def place_reached(draft: AdaptationDraft) -> bool:
    """Whether ``draft``'s municipality already counts for every method it spreads."""
    methods = (
        [draft.source_method] if draft.source_method_id else draft.source_initiative.methods.all()
    )
    return all(draft.municipality_id in reached_places(m) for m in methods)


def planned_codes(plan: SpreadPlan) -> set[str]:
    """The municipalities the plan aims at: those named and every one of the counties named."""
    codes = {m.code for m in plan.municipalities.all()}
    county_codes = [c.code for c in plan.counties.all()]
    if county_codes:
        codes |= set(
            Municipality.objects.filter(county__in=county_codes).values_list("code", flat=True)
        )
    return codes


@dataclass
class Progress:
    reached: int
    target: int
    percent: int
    places: list[Any] = field(default_factory=list)  # municipalities, each with ``adapters``
    in_target_area: int = 0


def plan_progress(plan: SpreadPlan) -> Progress:
    reached = reached_places(plan.method)
    places = list(
        Municipality.objects.filter(code__in=reached).select_related("county").order_by("name")
    )
    planned = planned_codes(plan)
    for place in places:
        place.adapters = reached[place.code]
        place.planned = place.code in planned
    return Progress(
        reached=len(places),
        target=plan.target_places,
        percent=percent_of_goal(len(places), plan.target_places),
        places=places,
        in_target_area=sum(1 for p in places if p.planned),
    )


def plan_map_areas(plan: SpreadPlan, progress: Progress) -> list[Any]:
    """Every municipality with a shade: 4 reached, 2 planned and not reached yet, 0 else."""
    reached = {p.code for p in progress.places}
    planned = planned_codes(plan)
    areas = list(Municipality.objects.all())
    for area in areas:
        if area.code in reached:
            area.shade, area.state = 4, "reached"
        elif area.code in planned:
            area.shade, area.state = 2, "planned"
        else:
            area.shade, area.state = 0, ""
        area.map_url = ""
    return areas


def adapting_places(source: Method | Initiative) -> int:
    """ "N orter anpassar detta": the municipalities where a place is adapting ``source`` (a
    draft under way or published) or an initiative recorded adapting it."""
    key = "source_method" if isinstance(source, Method) else "source_initiative"
    codes = set(
        AdaptationDraft.objects.filter(
            **{key: source}, status__in=LIVE, municipality__isnull=False
        ).values_list("municipality_id", flat=True)
    )
    codes |= set(
        Adaptation.objects.filter(
            **{key: source}, initiative__municipality__isnull=False
        ).values_list("initiative__municipality_id", flat=True)
    )
    return len(codes)


def drafts_of(actor: Any) -> QuerySet[AdaptationDraft]:
    if not getattr(actor, "is_authenticated", False):
        return AdaptationDraft.objects.none()
    return AdaptationDraft.objects.filter(owner=actor).select_related(
        "source_method", "source_initiative", "municipality"
    )


def published_drafts(source: Method | Initiative) -> QuerySet[AdaptationDraft]:
    key = "source_method" if isinstance(source, Method) else "source_initiative"
    return (
        AdaptationDraft.objects.filter(**{key: source})
        .exclude(status=DraftStatus.DRAFT)
        .select_related("municipality")
    )


@dataclass
class Lesson:
    place: str
    title: str
    changed: str
    achieved: str = ""
    stopped: str = ""
    ended: int | None = None
    url: str = ""


def lessons(method: Method) -> dict[str, list[Lesson]]:
    """What places changed, achieved and why some stopped: published adaptations, and the
    adaptations initiatives recorded with their results and published impact reports."""
    from django.urls import reverse

    changed: list[Lesson] = []
    achieved: list[Lesson] = []
    stopped: list[Lesson] = []
    for d in published_drafts(method).select_related("initiative"):
        lesson = Lesson(
            place=d.municipality.name if d.municipality else "",
            title=d.title,
            changed=d.what_to_change,
            achieved=d.achieved,
            stopped=d.stopped_reason,
            url=reverse("spreading:draft-detail", args=[d.pk]),
        )
        changed.append(lesson)
        if d.achieved:
            achieved.append(lesson)
        if d.status == DraftStatus.STOPPED:
            stopped.append(lesson)
    adaptations = Adaptation.objects.filter(
        source_method=method, draft__isnull=True
    ).select_related("initiative__municipality", "initiative__stage")
    reports = {
        r.initiative_id: r
        for r in ImpactReport.objects.filter(
            initiative__in=[a.initiative_id for a in adaptations], is_published=True
        )
    }
    for a in adaptations:
        initiative = a.initiative
        report = reports.get(initiative.pk)
        result = " ".join(
            part for part in (initiative.results, report.what if report else "") if part
        )
        lesson = Lesson(
            place=initiative.place_name,
            title=initiative.title,
            changed=a.what_changed,
            achieved=result,
            url=reverse("knowledge:initiative-detail", args=[initiative.slug]),
        )
        changed.append(lesson)
        if result:
            achieved.append(lesson)
        if initiative.end_date:
            lesson.ended = initiative.end_date.year
            stopped.append(lesson)
    return {"changed": changed, "achieved": achieved, "stopped": stopped}
