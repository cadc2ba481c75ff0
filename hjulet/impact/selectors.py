"""Reads for the impact pages: who may see what, indicators with their status, SROI results
and totals across initiatives."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from hjulet.accounts.models import MembershipRole
from hjulet.core.models import County, Term, Vocabulary
from hjulet.knowledge.models import Initiative, InitiativeEditor, PartnerRole, Partnership
from hjulet.knowledge.services import can_follow_initiative
from hjulet.lib import sroi

from .models import (
    STATUS_LABELS,
    ImpactFigures,
    ImpactReport,
    Indicator,
    Measurement,
    SroiAnalysis,
    TestCycle,
    TheoryOfChange,
)


def report_of(initiative: Initiative) -> ImpactReport | None:
    return ImpactReport.objects.filter(initiative=initiative).select_related("sroi").first()


def report_visible_to(user: Any, initiative: Initiative) -> ImpactReport | None:
    """The initiative's impact report if this person may read it: published, or a draft
    they may already follow up."""
    report = (
        ImpactReport.objects.filter(initiative=initiative)
        .only("pk", "initiative_id", "is_published", "published_at")
        .first()
    )
    if report is None or report.is_published or can_follow_initiative(user, initiative):
        return report
    return None


def is_public(initiative: Initiative) -> bool:
    return ImpactReport.objects.filter(initiative=initiative, is_published=True).exists()


def can_view(user: Any, initiative: Initiative) -> bool:
    """Everyone once the impact report is published; before that those who edit the
    initiative and the members of its lead and accepted partners."""
    return is_public(initiative) or can_follow_initiative(user, initiative)


def theory_of(initiative: Initiative) -> TheoryOfChange | None:
    return (
        TheoryOfChange.objects.filter(initiative=initiative)
        .prefetch_related("elements__leads_to")
        .first()
    )


def indicators_of(initiative: Initiative) -> list[Indicator]:
    """Indicators with ``measurement_list``, ``latest`` (the latest measurement of the whole
    group, i.e. without a breakdown value) and ``status``/``status_label``."""
    indicators = list(
        Indicator.objects.filter(initiative=initiative)
        .select_related("outcome")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("date")))
    )
    for indicator in indicators:
        annotate_indicator(indicator)
    return indicators


def annotate_indicator(indicator: Indicator) -> Indicator:
    indicator.measurement_list = list(indicator.measurements.all())
    whole = [m for m in indicator.measurement_list if not m.breakdown_value]
    indicator.latest = whole[-1] if whole else None
    indicator.status = indicator.status_of(indicator.latest)
    indicator.status_label = STATUS_LABELS[indicator.status]
    return indicator


def test_cycles_of(initiative: Initiative) -> QuerySet[TestCycle]:
    return TestCycle.objects.filter(initiative=initiative).prefetch_related("indicators")


test_cycles_of.__test__ = False  # type: ignore[attr-defined]


def analyses_of(initiative: Initiative) -> QuerySet[SroiAnalysis]:
    return SroiAnalysis.objects.filter(initiative=initiative)


def analysis_query() -> QuerySet[SroiAnalysis]:
    return SroiAnalysis.objects.select_related("initiative").prefetch_related(
        "stakeholders", "inputs__stakeholder", "outcomes__stakeholder", "outcomes__indicator"
    )


def to_sroi(analysis: SroiAnalysis) -> tuple[list[sroi.Input], list[sroi.Outcome], float]:
    inputs = [
        sroi.Input(stakeholder=i.stakeholder.name, value=float(i.value), description=i.description)
        for i in analysis.inputs.all()
    ]
    outcomes = [
        sroi.Outcome(
            name=o.name,
            stakeholder=o.stakeholder.name,
            quantity=float(o.quantity),
            proxy_value=float(o.proxy_value),
            duration=o.duration,
            deadweight=float(o.deadweight),
            displacement=float(o.displacement),
            attribution=float(o.attribution),
            drop_off=float(o.drop_off),
            proxy_source=o.proxy_source,
        )
        for o in analysis.outcomes.all()
    ]
    return inputs, outcomes, float(analysis.discount_rate)


def sroi_result(analysis: SroiAnalysis) -> sroi.Result:
    inputs, outcomes, rate = to_sroi(analysis)
    return sroi.calculate(inputs, outcomes, rate)


def sroi_sensitivity(analysis: SroiAnalysis) -> list[sroi.Sensitivity]:
    inputs, outcomes, rate = to_sroi(analysis)
    return sroi.sensitivity(inputs, outcomes, rate)


# --- totals across initiatives ----------------------------------------------------------


FIGURE_FIELDS = ("indicators", "reached", "on_track", "behind", "test_cycles")
# What adds up across initiatives, and what is stored of each (``ImpactFigures``).
SUMMED_FIELDS = (*FIGURE_FIELDS, "present_value", "inputs")
STORED_FIELDS = (*SUMMED_FIELDS, "ratio")


@dataclass(kw_only=True)
class Sums:
    """The figures that add up across initiatives: the counts, and the SROI analyses'
    present value and inputs."""

    indicators: int = 0
    reached: int = 0
    on_track: int = 0
    behind: int = 0
    test_cycles: int = 0
    present_value: float = 0.0
    inputs: float = 0.0


@dataclass(kw_only=True)
class Totals(Sums):
    label: str
    code: str = ""
    initiatives: int = 0
    seen: set = field(default_factory=set, repr=False)

    @property
    def ratio(self) -> float | None:
        return self.present_value / self.inputs if self.inputs else None

    def add(self, figures: "Figures") -> None:
        if figures.pk in self.seen:
            return
        self.seen.add(figures.pk)
        self.initiatives += 1
        for name in SUMMED_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(figures, name))


@dataclass(kw_only=True)
class Figures(Sums):
    """One initiative's figures: as stored (``ImpactFigures``) or computed from scratch."""

    pk: int
    ratio: float | None = None


def _figures(
    initiative: Initiative, indicators: list[Indicator], analysis: SroiAnalysis | None
) -> Figures:
    statuses = [i.status for i in indicators]
    result = sroi_result(analysis) if analysis is not None else None
    return Figures(
        pk=initiative.pk,
        indicators=len(indicators),
        reached=statuses.count("reached"),
        on_track=statuses.count("on_track"),
        behind=statuses.count("behind"),
        test_cycles=initiative.test_cycle_count,
        present_value=result.present_value if result and result.total_inputs else 0.0,
        inputs=result.total_inputs if result else 0.0,
        ratio=result.ratio if result else None,
    )


def _indicators_by_initiative(ids: list[int]) -> dict[int, list[Indicator]]:
    found: dict[int, list[Indicator]] = {pk: [] for pk in ids}
    for indicator in (
        Indicator.objects.filter(initiative_id__in=ids)
        .select_related("outcome")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("date")))
    ):
        found[indicator.initiative_id].append(annotate_indicator(indicator))
    return found


def _chosen_sroi_id(initiative: Initiative) -> int | None:
    try:
        return initiative.impact_report.sroi_id
    except ImpactReport.DoesNotExist:
        return None


def _analysis_by_initiative(initiatives: list[Initiative]) -> dict[int, SroiAnalysis | None]:
    """The analysis the report names, else the initiative's newest one."""
    chosen = {_chosen_sroi_id(i) for i in initiatives} - {None}
    analyses = analysis_query().filter(
        Q(pk__in=chosen) | Q(initiative__in=[i.pk for i in initiatives])
    )
    by_pk: dict[int, SroiAnalysis] = {}
    newest: dict[int, SroiAnalysis] = {}
    for analysis in analyses:  # newest first (the model's ordering)
        by_pk[analysis.pk] = analysis
        newest.setdefault(analysis.initiative_id, analysis)
    return {
        i.pk: by_pk.get(_chosen_sroi_id(i)) if _chosen_sroi_id(i) else newest.get(i.pk)
        for i in initiatives
    }


def compute_figures(ids: Sequence[int]) -> dict[int, Figures]:
    """The figures of these initiatives computed from their indicators, measurements, test
    cycles and SROI analyses (a handful of queries for any number of initiatives)."""
    initiatives = list(
        Initiative.objects.filter(pk__in=list(ids))
        .select_related("impact_report")
        .annotate(test_cycle_count=Count("test_cycles", distinct=True))
        .only("pk", "impact_report__sroi_id")
    )
    indicators = _indicators_by_initiative([i.pk for i in initiatives])
    analyses = _analysis_by_initiative(initiatives)
    return {i.pk: _figures(i, indicators[i.pk], analyses[i.pk]) for i in initiatives}


def stored_figures(ids: Sequence[int]) -> dict[int, Figures]:
    """The stored figures of these initiatives; those without a row yet (data from before
    the figures were stored, or written in bulk) are computed and stored, once. A service
    writing the same initiative meanwhile wins: it inserts first (this insert is ignored)
    or overwrites the row under its lock."""
    found = {
        row["initiative_id"]: Figures(pk=row.pop("initiative_id"), **row)
        for row in ImpactFigures.objects.filter(initiative_id__in=list(ids)).values(
            "initiative_id", *STORED_FIELDS
        )
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        computed = compute_figures(missing)
        ImpactFigures.objects.bulk_create(
            [
                ImpactFigures(initiative_id=pk, **stored_fields(figures))
                for pk, figures in computed.items()
            ],
            ignore_conflicts=True,
        )
        found.update(computed)
    return found


def stored_fields(figures: Figures) -> dict[str, Any]:
    return {name: getattr(figures, name) for name in STORED_FIELDS}


def totals(*, from_scratch: bool = False) -> dict[str, Any]:
    """Figures of initiatives with a published impact report, in all, per societal challenge
    and per county. SROI figures add present values and inputs, so the combined ratio is
    Σ present value / Σ inputs (an initiative counts in every challenge it is tagged with).
    Each initiative's figures are stored by the impact services (``ImpactFigures``) and the
    database adds them up: a few aggregate queries, however many reports, read from the
    database every worker process shares, so a change is seen at once by every one of them
    (no cache to go stale). ``from_scratch`` computes every initiative's figures and adds
    them up here instead, with its ``rows`` (the tests compare the two)."""
    if from_scratch:
        return _totals_from_scratch()
    overall = Totals(label="")
    by_challenge = _challenge_groups()
    by_county = _county_groups()
    published = Initiative.objects.filter(impact_report__is_published=True)
    missing = list(published.filter(impact_figures__isnull=True).values_list("pk", flat=True))
    if missing:
        stored_figures(missing)  # computed and stored once, then added up with the rest
    figures = ImpactFigures.objects.filter(initiative__impact_report__is_published=True)
    sums = {"initiatives": Count("pk"), **{name: Sum(name) for name in SUMMED_FIELDS}}
    _fill(overall, figures.aggregate(**sums))
    for row in (
        figures.filter(initiative__municipality__isnull=False)
        .values(group=F("initiative__municipality__county_id"))
        .annotate(**sums)
        .order_by()
    ):
        _fill(by_county[row["group"]], row)
    for row in (
        figures.filter(initiative__challenges__in=list(by_challenge))
        .values(group=F("initiative__challenges"))
        .annotate(**sums)
        .order_by()
    ):
        _fill(by_challenge[row["group"]], row)
    return {
        "overall": overall,
        "by_challenge": [t for t in by_challenge.values() if t.initiatives],
        "by_county": [t for t in by_county.values() if t.initiatives],
    }


def _fill(group: Totals, sums: dict[str, Any]) -> None:
    """The database's sums into a group; a sum over no rows is NULL."""
    group.initiatives = sums["initiatives"] or 0
    for name in SUMMED_FIELDS:
        setattr(group, name, sums[name] or type(getattr(group, name))())


def _challenge_groups() -> dict[int, Totals]:
    return {
        t.pk: Totals(label=t.label, code=t.code)
        for t in Term.objects.in_vocabulary(Vocabulary.CHALLENGE)
        .only("pk", "code", "label_sv", "label_en")
        .order_by("position")
    }


def _county_groups() -> dict[str, Totals]:
    # Not the boundaries (svg_path): long, and not shown here.
    return {c.code: Totals(label=c.name, code=c.code) for c in County.objects.only("code", "name")}


def _totals_from_scratch() -> dict[str, Any]:
    """The totals as the page once computed them: every initiative's figures computed
    from its indicators and analyses, added up here in title order (with the ``rows``)."""
    overall = Totals(label="")
    by_challenge = _challenge_groups()
    by_county = _county_groups()
    initiatives = list(
        Initiative.objects.filter(impact_report__is_published=True)
        .select_related("municipality__county")
        .prefetch_related(Prefetch("challenges", queryset=Term.objects.only("pk")))
        .only("pk", "title", "slug", "municipality__county__name", "municipality__county_id")
        .order_by("title", "pk")
    )
    figures_of = compute_figures([i.pk for i in initiatives])
    rows = []
    for initiative in initiatives:
        figures = figures_of[initiative.pk]
        rows.append((initiative, figures))
        overall.add(figures)
        if initiative.municipality_id:
            by_county[initiative.municipality.county_id].add(figures)
        for challenge in initiative.challenges.all():
            if challenge.pk in by_challenge:
                by_challenge[challenge.pk].add(figures)
    return {
        "overall": overall,
        "by_challenge": [t for t in by_challenge.values() if t.initiatives],
        "by_county": [t for t in by_county.values() if t.initiatives],
        "rows": rows,
    }


def published_reports() -> QuerySet[Initiative]:
    """The initiatives with a published impact report, by title, with what their row in
    the totals page's table shows besides the figures (``stored_figures`` of a page)."""
    return (
        Initiative.objects.filter(impact_report__is_published=True)
        .select_related("municipality__county")
        .only("pk", "title", "slug", "municipality__county__name", "municipality__county_id")
        .order_by("title", "pk")
    )


def initiatives_to_follow_up(user: Any) -> list[Initiative]:
    """The initiatives this person may follow up: those they edit, as a named editor or an
    administrator of the lead (all, for a coordinator, would be too many; they reach them
    from the initiative's page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    # From the person's side (their editor rows, the organisations they administer): a
    # correlated test of every initiative took seconds at 100,000 initiatives.
    edited = InitiativeEditor.objects.filter(user=user).values("initiative")
    led = Partnership.objects.filter(
        role=PartnerRole.LEAD,
        organisation__memberships__user=user,
        organisation__memberships__role=MembershipRole.ADMIN,
    ).values("initiative")
    return list(
        Initiative.objects.filter(Q(pk__in=edited) | Q(pk__in=led))
        .select_related("impact_report")
        .order_by("title")
    )
