"""Reads for plans, their progress and map, adaptation drafts and what adaptations learned."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

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
            area.shade, area.state, area.map_label = 4, "reached", _("Reached")
        elif area.code in planned:
            area.shade, area.state, area.map_label = 2, "planned", _("Planned")
        else:
            area.shade, area.state, area.map_label = 0, "", _("Not in the plan")
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
    at: datetime | None = None

    @property
    def is_stopped(self) -> bool:
        return bool(self.stopped or self.ended)


#: What the "Adapt it to your place" panel shows of each kind of lesson: the latest ones.
LESSONS_SHOWN = 5
#: Lessons per page of the list of every lesson of a method.
LESSONS_PER_PAGE = 25


def _lesson_sources(method: Method) -> tuple[QuerySet[AdaptationDraft], QuerySet[Adaptation]]:
    """The published adaptation drafts of ``method`` and the adaptations of it that
    initiatives recorded (without a draft), the latest first; ``reported`` on an adaptation:
    its initiative has a published impact report."""
    drafts = published_drafts(method).select_related("initiative").order_by("-created_at", "-pk")
    reported = ImpactReport.objects.filter(initiative=OuterRef("initiative"), is_published=True)
    adaptations = (
        Adaptation.objects.filter(source_method=method, draft__isnull=True)
        .annotate(reported=Exists(reported))
        .select_related("initiative__municipality", "initiative__stage")
        .order_by("-created_at", "-pk")
    )
    return drafts, adaptations


def _lessons_of(
    drafts: Iterable[AdaptationDraft], adaptations: Iterable[Adaptation]
) -> list[Lesson]:
    """Lessons of drafts and adaptations, the latest first."""
    from django.urls import reverse

    found: list[Lesson] = [
        Lesson(
            place=d.municipality.name if d.municipality else "",
            title=d.title,
            changed=d.what_to_change,
            achieved=d.achieved,
            stopped=d.stopped_reason,
            url=reverse("spreading:draft-detail", args=[d.pk]),
            at=d.created_at,
        )
        for d in drafts
    ]
    adaptations = list(adaptations)
    reports = {
        r.initiative_id: r
        for r in ImpactReport.objects.filter(
            initiative__in=[a.initiative_id for a in adaptations if a.reported],
            is_published=True,
        )
    }
    for a in adaptations:
        initiative = a.initiative
        report = reports.get(initiative.pk)
        found.append(
            Lesson(
                place=initiative.place_name,
                title=initiative.title,
                changed=a.what_changed,
                achieved=" ".join(
                    part for part in (initiative.results, report.what if report else "") if part
                ),
                ended=initiative.end_date.year if initiative.end_date else None,
                url=reverse("knowledge:initiative-detail", args=[initiative.slug]),
                at=a.created_at,
            )
        )
    found.sort(key=lambda lesson: lesson.at, reverse=True)
    return found


def lessons(method: Method) -> dict[str, list[Lesson]]:
    """What places changed, achieved and why some stopped: published adaptations, and the
    adaptations initiatives recorded with their results and published impact reports; every
    one of them, the latest first."""
    every = _lessons_of(*_lesson_sources(method))
    return {
        "changed": every,
        "achieved": [lesson for lesson in every if lesson.achieved],
        "stopped": [lesson for lesson in every if lesson.is_stopped],
    }


@dataclass
class Lessons:
    """The latest few lessons of each kind, and how many there are of each."""

    changed: list[Lesson]
    achieved: list[Lesson]
    stopped: list[Lesson]
    counts: dict[str, int]

    @property
    def more(self) -> bool:
        return any(self.counts[kind] > len(getattr(self, kind)) for kind in self.counts)


#: A method with up to this many drafts or adaptations has them read at once and sorted
#: into kinds here (nine methods in ten at national scale); one with more is asked for the
#: latest of each kind in the database.
LESSONS_READ_TOGETHER = 60


@dataclass(frozen=True)
class _Kind:
    name: str
    of_drafts: Q
    of_adaptations: Q
    #: The same tests in Python, for what was read at once.
    is_draft: Callable[[AdaptationDraft], bool]
    is_adaptation: Callable[[Adaptation], bool]


_KINDS = (
    _Kind("changed", Q(), Q(), lambda draft: True, lambda adaptation: True),
    _Kind(
        "achieved",
        ~Q(achieved=""),
        ~Q(initiative__results="") | Q(reported=True),
        lambda draft: draft.achieved != "",
        lambda adaptation: adaptation.initiative.results != "" or adaptation.reported,
    ),
    _Kind(
        "stopped",
        Q(status=DraftStatus.STOPPED),
        Q(initiative__end_date__isnull=False),
        lambda draft: draft.status == DraftStatus.STOPPED,
        lambda adaptation: adaptation.initiative.end_date is not None,
    ),
)


def latest_lessons(method: Method, shown: int = LESSONS_SHOWN) -> Lessons:
    """For a method's page: the latest ``shown`` lessons of each kind, counted in the
    database, whatever the number of adaptations."""
    drafts, adaptations = _lesson_sources(method)
    counted = _counted_by_kind(drafts, "of_drafts")
    counted_adaptations = _counted_by_kind(adaptations, "of_adaptations")
    counts = {kind: n + counted_adaptations[kind] for kind, n in counted.items()}
    read_drafts = _read_together(drafts, counted["changed"])
    read_adaptations = _read_together(adaptations, counted_adaptations["changed"])

    def latest(kind: _Kind) -> list[Lesson]:
        of_drafts = of_adaptations = []
        if counted[kind.name]:
            of_drafts = _latest_of(drafts, read_drafts, kind.of_drafts, kind.is_draft, shown)
        if counted_adaptations[kind.name]:
            of_adaptations = _latest_of(
                adaptations, read_adaptations, kind.of_adaptations, kind.is_adaptation, shown
            )
        return _lessons_of(of_drafts, of_adaptations)[:shown]

    return Lessons(**{kind.name: latest(kind) for kind in _KINDS}, counts=counts)


def _counted_by_kind(rows: QuerySet, condition: str) -> dict[str, int]:
    return rows.order_by().aggregate(
        **{kind.name: Count("pk", filter=getattr(kind, condition)) for kind in _KINDS}
    )


def _read_together(rows: QuerySet, count: int) -> list | None:
    """Every one of ``rows`` when there are a few (none: nothing to read), else None."""
    if count > LESSONS_READ_TOGETHER:
        return None
    return list(rows) if count else []


def _latest_of(
    rows: QuerySet, read: list | None, of_kind: Q, is_kind: Callable[[Any], bool], shown: int
) -> list:
    if read is None:
        return list(rows.filter(of_kind)[:shown])
    return [row for row in read if is_kind(row)][:shown]
