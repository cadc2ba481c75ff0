"""Every write to theories of change, indicators, measurements, test cycles, SROI analyses and
impact reports. Who may write is who may edit the initiative (the lead organisation's
administrators, the named editors and coordinators; a partner's members only if named
editors); publishing or withdrawing the report speaks for the lead, so only its
administrators and coordinators do that. Each function checks that first, validates, runs
in a transaction and records an audit entry."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hjulet.core import audit
from hjulet.core.permissions import require
from hjulet.core.services import check_version, lock_and_check_version
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.services import can_edit_initiative, can_manage_initiative
from hjulet.lib import units

from . import searching, selectors
from .models import (
    ChangeElement,
    ImpactFigures,
    ImpactReport,
    Indicator,
    Measurement,
    SroiAnalysis,
    SroiInput,
    SroiOutcome,
    SroiStakeholder,
    TestCycle,
    TheoryOfChange,
)

ELEMENT_FIELDS = ("kind", "title", "description", "stakeholders")
INDICATOR_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "data_source",
    "breakdown",
    "iris_id",
    "outcome",
)
MEASUREMENT_FIELDS = ("value", "date", "comment", "breakdown_value")
TEST_CYCLE_FIELDS = (
    "title",
    "hypothesis",
    "tried",
    "with_whom",
    "started_on",
    "ended_on",
    "result",
    "learned",
    "decision",
)
ANALYSIS_FIELDS = ("title", "period", "discount_rate", "description")
INPUT_FIELDS = ("stakeholder", "description", "value")
OUTCOME_FIELDS = (
    "stakeholder",
    "name",
    "indicator",
    "quantity",
    "duration",
    "proxy_value",
    "proxy_source",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
)
REPORT_FIELDS = ("what", "who", "how_much", "contribution", "risk", "sroi")


def refresh_figures(initiative_id: int) -> None:
    """Store the initiative's figures for the totals anew (``ImpactFigures``), inside the
    caller's transaction. Every service below that changes indicators, measurements, test
    cycles, SROI analyses or the report calls it. The row is locked before the figures are
    read, so two writers to one initiative take turns and the later one sees the earlier
    one's rows (PostgreSQL; SQLite lets one writer in at a time anyway)."""
    ImpactFigures.objects.bulk_create(
        [ImpactFigures(initiative_id=initiative_id)], ignore_conflicts=True
    )
    row = ImpactFigures.objects.select_for_update().get(initiative_id=initiative_id)
    figures = selectors.compute_figures([initiative_id]).get(initiative_id)
    if figures is None:  # the initiative is gone
        return
    for name, value in selectors.stored_fields(figures).items():
        setattr(row, name, value)
    row.save()


def require_editor(actor: Any, initiative: Initiative) -> None:
    require(
        can_edit_initiative(actor, initiative),
        _(
            "Only the lead organisation's administrators, the people they named editors, or "
            "coordinators can follow up the initiative's impact."
        ),
    )


def require_publisher(actor: Any, initiative: Initiative) -> None:
    require(
        can_manage_initiative(actor, initiative),
        _(
            "Only the lead organisation's administrators, or coordinators, can publish or "
            "withdraw the impact report."
        ),
    )


def _pick(fields: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k in allowed}


def _apply(instance: Any, fields: dict[str, Any], allowed: Sequence[str]) -> dict[str, list]:
    before = audit.snapshot(instance, allowed)
    for name, value in _pick(fields, allowed).items():
        setattr(instance, name, value)
    instance.full_clean()
    return audit.diff(before, audit.snapshot(instance, allowed))


# --- theory of change -------------------------------------------------------------------


def _theory(initiative: Initiative) -> TheoryOfChange:
    theory, _created = TheoryOfChange.objects.get_or_create(initiative=initiative)
    return theory


@transaction.atomic
def theory_update(
    *, actor: Any, initiative: Initiative, summary: str, expected_version: int | None = None
) -> TheoryOfChange:
    require_editor(actor, initiative)
    theory = _theory(initiative)
    lock_and_check_version(theory, expected_version)
    changes = _apply(theory, {"summary": summary}, ("summary",))
    if changes:
        theory.version += 1
        theory.save()
        audit.record(actor=actor, action="theory.update", target=theory, changes=changes)
    return theory


def _check_links(
    element: ChangeElement, leads_to: Sequence[ChangeElement], *, field: str = "leads_to"
) -> None:
    for target in leads_to:
        if target.theory_id != element.theory_id:
            raise ValidationError({field: _("You can only link steps of the same theory.")})
        if target.step <= element.step:
            raise ValidationError(
                {
                    field: _(
                        "An arrow goes forward: from an activity to an output, from an output "
                        "to an outcome, from a short-term to a long-term outcome. "
                        "'%(target)s' is not a later step."
                    )
                    % {"target": target.title}
                }
            )


@transaction.atomic
def element_create(
    *,
    actor: Any,
    initiative: Initiative,
    leads_to: Sequence[ChangeElement] = (),
    comes_from: Sequence[ChangeElement] = (),
    **fields: Any,
) -> ChangeElement:
    require_editor(actor, initiative)
    theory = _theory(initiative)
    element = ChangeElement(theory=theory, **_pick(fields, ELEMENT_FIELDS))
    element.position = theory.elements.count() + 1
    element.full_clean()
    _check_links(element, leads_to)
    for source in comes_from:
        _check_links(source, [element])
    element.save()
    element.leads_to.set(leads_to)
    element.comes_from.set(comes_from)
    audit.record(
        actor=actor,
        action="theory.element_create",
        target=element,
        changes={
            **audit.created(element, ELEMENT_FIELDS),
            "leads_to": [None, [e.title for e in leads_to]],
            "comes_from": [None, [e.title for e in comes_from]],
        },
    )
    return element


def _titles(elements: Any) -> list[str]:
    return sorted(e.title for e in elements)


@transaction.atomic
def element_update(
    *,
    actor: Any,
    element: ChangeElement,
    leads_to: Sequence[ChangeElement] | None = None,
    comes_from: Sequence[ChangeElement] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> ChangeElement:
    """Change a step: its kind, title, description, stakeholders and arrows (``leads_to``
    later steps, ``comes_from`` earlier ones; None leaves them as they are). Every arrow must
    still go forward after a change of kind."""
    require_editor(actor, element.theory.initiative)
    lock_and_check_version(element, expected_version)
    changes = _apply(element, fields, ELEMENT_FIELDS)
    for name, linked in (("leads_to", leads_to), ("comes_from", comes_from)):
        if linked is None:
            continue
        if any(e.pk == element.pk for e in linked):
            raise ValidationError({name: _("A step cannot lead to itself.")})
        old, new = _titles(getattr(element, name).all()), _titles(linked)
        if old != new:
            getattr(element, name).set(linked)
            changes[name] = [old, new]
    # Every arrow into and out of this element must still point forward.
    for source in element.comes_from.all():
        _check_links(source, [element], field="comes_from")
    _check_links(element, list(element.leads_to.all()))
    if changes:
        element.version += 1
        element.save()
        audit.record(actor=actor, action="theory.element_update", target=element, changes=changes)
    return element


@transaction.atomic
def element_delete(*, actor: Any, element: ChangeElement) -> None:
    require_editor(actor, element.theory.initiative)
    audit.record(
        actor=actor,
        action="theory.element_delete",
        target=element.theory,
        changes={"element": [element.title, None]},
    )
    element.delete()


# --- indicators and measurements --------------------------------------------------------


def _check_outcome(initiative: Initiative, outcome: ChangeElement | None) -> None:
    if outcome is not None and outcome.theory.initiative_id != initiative.pk:
        raise ValidationError({"outcome": _("Choose an outcome of this initiative.")})


def _check_indicator_dates(indicator: Indicator) -> None:
    if (
        indicator.baseline_date
        and indicator.target_date
        and indicator.target_date <= indicator.baseline_date
    ):
        raise ValidationError({"target_date": _("The target date must be after the baseline.")})


def _number(value: Decimal) -> str:
    """``-5`` rather than ``-5.00``, with the language's decimal mark."""
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return formats.number_format(plain, use_l10n=True).replace("-", "−")


def _check_possible(value: Decimal | None, unit: str, field: str) -> None:
    """Refuse a value the unit cannot have: a negative count (−5 barn), a percentage
    outside 0–100."""
    if value is None:
        return
    value = Decimal(value)
    kind = units.problem(value, unit)
    if kind == "negative_count":
        message = _(
            "%(value)s %(unit)s is not possible: a number of %(unit)s cannot be negative."
        ) % {"value": _number(value), "unit": unit}
    elif kind == "percent_range":
        message = _("%(value)s %% is not possible: a percentage lies between 0 and 100.") % {
            "value": _number(value)
        }
    else:
        return
    raise ValidationError({field: ValidationError(message, code=kind)})


def _check_indicator_values(indicator: Indicator) -> None:
    for field in ("baseline_value", "target_value"):
        _check_possible(getattr(indicator, field), indicator.unit, field)


def _check_not_in_the_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "The measurement is dated %(date)s, which has not come yet. Record a "
                        "measurement once it has been made."
                    )
                    % {"date": day.isoformat()},
                    code="future",
                )
            }
        )


@transaction.atomic
def indicator_create(*, actor: Any, initiative: Initiative, **fields: Any) -> Indicator:
    require_editor(actor, initiative)
    indicator = Indicator(initiative=initiative, **_pick(fields, INDICATOR_FIELDS))
    _check_indicator_dates(indicator)
    indicator.full_clean()
    _check_indicator_values(indicator)
    _check_outcome(initiative, indicator.outcome)
    indicator.save()
    audit.record(
        actor=actor,
        action="indicator.create",
        target=indicator,
        changes=audit.created(indicator, INDICATOR_FIELDS),
    )
    refresh_figures(indicator.initiative_id)
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: Any, indicator: Indicator, expected_version: int | None = None, **fields: Any
) -> Indicator:
    require_editor(actor, indicator.initiative)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    check_version(indicator, expected_version)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    for name, value in _pick(fields, INDICATOR_FIELDS).items():
        setattr(indicator, name, value)
    _check_indicator_dates(indicator)
    indicator.full_clean()
    _check_indicator_values(indicator)
    _check_outcome(indicator.initiative, indicator.outcome)
    earliest = indicator.measurements.order_by("date").values_list("date", flat=True).first()
    if earliest is not None and earliest < indicator.baseline_date:
        raise ValidationError(
            {
                "baseline_date": _(
                    "There are measurements from %(date)s, before this baseline date. Choose "
                    "a baseline date on or before the first measurement."
                )
                % {"date": earliest.isoformat()}
            }
        )
    changes = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
    if changes:
        indicator.version += 1
        indicator.save()
        audit.record(actor=actor, action="indicator.update", target=indicator, changes=changes)
    refresh_figures(indicator.initiative_id)
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    require_editor(actor, indicator.initiative)
    audit.record(
        actor=actor,
        action="indicator.delete",
        target=indicator.initiative,
        changes={"indicator": [indicator.name, None]},
    )
    indicator.delete()
    refresh_figures(indicator.initiative_id)


@transaction.atomic
def measurement_create(*, actor: Any, indicator: Indicator, **fields: Any) -> Measurement:
    require_editor(actor, indicator.initiative)
    measurement = Measurement(
        indicator=indicator, created_by=actor, **_pick(fields, MEASUREMENT_FIELDS)
    )
    measurement.full_clean(validate_constraints=False)  # the duplicate check says more
    _check_possible(measurement.value, indicator.unit, "value")
    _check_not_in_the_future(measurement.date, "date")
    if measurement.date < indicator.baseline_date:
        raise ValidationError(
            {
                "date": _(
                    "The measurement is dated %(date)s, before the baseline (%(baseline)s). "
                    "Measurements follow the change from the baseline on; check the date."
                )
                % {
                    "date": measurement.date.isoformat(),
                    "baseline": indicator.baseline_date.isoformat(),
                }
            }
        )
    if measurement.breakdown_value and not indicator.breakdown:
        raise ValidationError(
            {"breakdown_value": _("This indicator has no breakdown; leave the field empty.")}
        )
    if Measurement.objects.filter(
        indicator=indicator, date=measurement.date, breakdown_value=measurement.breakdown_value
    ).exists():
        message = _(
            "There is already a measurement of %(indicator)s on %(date)s. If it was wrong, "
            "remove it first; if this is a different group, give a breakdown value."
        ) % {"indicator": indicator.name, "date": measurement.date.isoformat()}
        raise ValidationError({"date": ValidationError(message, code="duplicate")})
    measurement.save()
    audit.record(
        actor=actor,
        action="measurement.create",
        target=indicator,
        changes={name: [None, value] for name, value in audit.snapshot(
            measurement, MEASUREMENT_FIELDS
        ).items()},
    )  # fmt: skip
    refresh_figures(indicator.initiative_id)
    return measurement


@transaction.atomic
def measurement_delete(*, actor: Any, measurement: Measurement) -> None:
    require_editor(actor, measurement.indicator.initiative)
    audit.record(
        actor=actor,
        action="measurement.delete",
        target=measurement.indicator,
        changes={"measurement": [str(measurement), None]},
    )
    measurement.delete()
    refresh_figures(measurement.indicator.initiative_id)


# --- test cycles ------------------------------------------------------------------------


def _check_indicators(initiative: Initiative, indicators: Sequence[Indicator]) -> None:
    if any(i.initiative_id != initiative.pk for i in indicators):
        raise ValidationError({"indicators": _("Choose indicators of this initiative.")})


@transaction.atomic
def test_cycle_create(
    *, actor: Any, initiative: Initiative, indicators: Sequence[Indicator] = (), **fields: Any
) -> TestCycle:
    require_editor(actor, initiative)
    cycle = TestCycle(initiative=initiative, **_pick(fields, TEST_CYCLE_FIELDS))
    cycle.full_clean()
    _check_indicators(initiative, indicators)
    cycle.save()
    cycle.indicators.set(indicators)
    audit.record(
        actor=actor,
        action="test_cycle.create",
        target=cycle,
        changes={
            **audit.created(cycle, TEST_CYCLE_FIELDS),
            "indicators": [None, sorted(i.name for i in indicators)],
        },
    )
    refresh_figures(initiative.pk)
    return cycle


@transaction.atomic
def test_cycle_update(
    *,
    actor: Any,
    cycle: TestCycle,
    indicators: Sequence[Indicator] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> TestCycle:
    require_editor(actor, cycle.initiative)
    lock_and_check_version(cycle, expected_version)
    changes = _apply(cycle, fields, TEST_CYCLE_FIELDS)
    if indicators is not None:
        _check_indicators(cycle.initiative, indicators)
        old = sorted(cycle.indicators.values_list("name", flat=True))
        new = sorted(i.name for i in indicators)
        if old != new:
            cycle.indicators.set(indicators)
            changes["indicators"] = [old, new]
    if changes:
        cycle.version += 1
        cycle.save()
        audit.record(actor=actor, action="test_cycle.update", target=cycle, changes=changes)
    return cycle


# --- SROI -------------------------------------------------------------------------------


@transaction.atomic
def analysis_create(*, actor: Any, initiative: Initiative, **fields: Any) -> SroiAnalysis:
    require_editor(actor, initiative)
    analysis = SroiAnalysis(initiative=initiative, **_pick(fields, ANALYSIS_FIELDS))
    analysis.full_clean()
    analysis.save()
    audit.record(
        actor=actor,
        action="sroi.create",
        target=analysis,
        changes=audit.created(analysis, ANALYSIS_FIELDS),
    )
    refresh_figures(analysis.initiative_id)
    return analysis


@transaction.atomic
def analysis_update(
    *, actor: Any, analysis: SroiAnalysis, expected_version: int | None = None, **fields: Any
) -> SroiAnalysis:
    require_editor(actor, analysis.initiative)
    lock_and_check_version(analysis, expected_version)
    changes = _apply(analysis, fields, ANALYSIS_FIELDS)
    if changes:
        analysis.version += 1
        analysis.save()
        audit.record(actor=actor, action="sroi.update", target=analysis, changes=changes)
    refresh_figures(analysis.initiative_id)
    return analysis


def _stakeholder(analysis: SroiAnalysis, name: str) -> SroiStakeholder:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"stakeholder": _("Name the stakeholder.")})
    stakeholder, _created = SroiStakeholder.objects.get_or_create(analysis=analysis, name=name)
    return stakeholder


@transaction.atomic
def input_create(
    *, actor: Any, analysis: SroiAnalysis, stakeholder: str, **fields: Any
) -> SroiInput:
    """An input (money, time, premises valued in kronor) that a stakeholder put in."""
    require_editor(actor, analysis.initiative)
    item = SroiInput(analysis=analysis, **_pick(fields, ("description", "value")))
    item.full_clean(exclude=["stakeholder"])
    item.stakeholder = _stakeholder(analysis, stakeholder)
    item.save()
    audit.record(
        actor=actor,
        action="sroi.input_create",
        target=analysis,
        changes={"input": [None, f"{item.stakeholder}: {item.description} {item.value}"]},
    )
    refresh_figures(analysis.initiative_id)
    return item


@transaction.atomic
def input_delete(*, actor: Any, item: SroiInput) -> None:
    require_editor(actor, item.analysis.initiative)
    audit.record(
        actor=actor,
        action="sroi.input_delete",
        target=item.analysis,
        changes={"input": [f"{item.stakeholder}: {item.description} {item.value}", None]},
    )
    item.delete()
    refresh_figures(item.analysis.initiative_id)


def _check_outcome_indicator(analysis: SroiAnalysis, indicator: Indicator | None) -> None:
    if indicator is not None and indicator.initiative_id != analysis.initiative_id:
        raise ValidationError({"indicator": _("Choose an indicator of this initiative.")})


@transaction.atomic
def outcome_create(
    *, actor: Any, analysis: SroiAnalysis, stakeholder: str, **fields: Any
) -> SroiOutcome:
    """An outcome valued with a financial proxy, net of deadweight, displacement and
    attribution, fading by the drop-off each year from year two."""
    require_editor(actor, analysis.initiative)
    outcome = SroiOutcome(analysis=analysis, **_pick(fields, OUTCOME_FIELDS))
    outcome.full_clean(exclude=["stakeholder"])
    _check_outcome_indicator(analysis, outcome.indicator)
    outcome.stakeholder = _stakeholder(analysis, stakeholder)
    outcome.save()
    audit.record(
        actor=actor,
        action="sroi.outcome_create",
        target=analysis,
        changes={
            f"outcome.{k}": v
            for k, v in audit.created(
                outcome, [f for f in OUTCOME_FIELDS if f != "stakeholder"]
            ).items()
        },
    )
    refresh_figures(analysis.initiative_id)
    return outcome


@transaction.atomic
def outcome_update(
    *,
    actor: Any,
    outcome: SroiOutcome,
    stakeholder: str | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> SroiOutcome:
    require_editor(actor, outcome.analysis.initiative)
    lock_and_check_version(outcome, expected_version)
    allowed = [f for f in OUTCOME_FIELDS if f != "stakeholder"]
    changes = _apply(outcome, fields, allowed)
    _check_outcome_indicator(outcome.analysis, outcome.indicator)
    if stakeholder is not None and stakeholder.strip() != outcome.stakeholder.name:
        changes["stakeholder"] = [outcome.stakeholder.name, stakeholder.strip()]
        outcome.stakeholder = _stakeholder(outcome.analysis, stakeholder)
    if changes:
        outcome.version += 1
        outcome.save()
        audit.record(
            actor=actor, action="sroi.outcome_update", target=outcome.analysis, changes=changes
        )
    refresh_figures(outcome.analysis.initiative_id)
    return outcome


@transaction.atomic
def outcome_delete(*, actor: Any, outcome: SroiOutcome) -> None:
    require_editor(actor, outcome.analysis.initiative)
    audit.record(
        actor=actor,
        action="sroi.outcome_delete",
        target=outcome.analysis,
        changes={"outcome": [outcome.name, None]},
    )
    outcome.delete()
    refresh_figures(outcome.analysis.initiative_id)


# --- impact report ----------------------------------------------------------------------


@transaction.atomic
def report_update(
    *,
    actor: Any,
    initiative: Initiative,
    expected_version: int | None = None,
    **fields: Any,
) -> ImpactReport:
    require_editor(actor, initiative)
    report, _created = ImpactReport.objects.select_for_update().get_or_create(initiative=initiative)
    check_version(report, expected_version)
    changes = _apply(report, fields, REPORT_FIELDS)
    if report.sroi is not None and report.sroi.initiative_id != initiative.pk:
        raise ValidationError({"sroi": _("Choose an SROI analysis of this initiative.")})
    if changes:
        report.version += 1
        report.save()
        if report.is_published:
            searching.index_report(report)
        audit.record(actor=actor, action="impact_report.update", target=report, changes=changes)
    refresh_figures(initiative.pk)
    return report


@transaction.atomic
def report_publish(*, actor: Any, initiative: Initiative, publish: bool = True) -> ImpactReport:
    """Publish (or withdraw) the impact report. Publishing makes the initiative's theory of
    change, indicators, test cycles and SROI analyses public too."""
    require_publisher(actor, initiative)
    report, _created = ImpactReport.objects.select_for_update().get_or_create(initiative=initiative)
    if publish and not any(
        getattr(report, name).strip() for name in ("what", "who", "how_much", "contribution")
    ):
        raise ValidationError(
            _("Describe at least what changes, for whom, how much or your contribution first.")
        )
    if report.is_published == publish:
        raise ValidationError(
            _("The report is already published.") if publish else _("The report is not published.")
        )
    report.is_published = publish
    report.published_at = timezone.now() if publish else None
    report.version += 1
    report.save()
    searching.index_report(report)
    audit.record(
        actor=actor,
        action="impact_report.publish" if publish else "impact_report.unpublish",
        target=report,
        changes={"is_published": [not publish, publish]},
    )
    refresh_figures(initiative.pk)
    return report
