"""Indicators and their measurements (each write refreshes the stored figures)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.knowledge.models import Initiative
from hjulet.lib import units

from ..models import ChangeElement, Indicator, Measurement
from ._common import _pick, refresh_figures, require_editor

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


def _check_indicator(indicator: Indicator) -> None:
    """Everything an indicator is checked for when it is created or changed."""
    _check_indicator_dates(indicator)
    indicator.full_clean()
    _check_indicator_values(indicator)
    _check_outcome(indicator.initiative, indicator.outcome)


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
    _check_indicator(indicator)
    changes.create(actor, indicator, INDICATOR_FIELDS, action="indicator.create", clean=False)
    refresh_figures(indicator.initiative_id)
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: Any, indicator: Indicator, expected_version: int | None = None, **fields: Any
) -> Indicator:
    require_editor(actor, indicator.initiative)
    with changes.edit(
        actor,
        indicator,
        INDICATOR_FIELDS,
        action="indicator.update",
        expected_version=expected_version,
        clean=False,  # in _check_indicator
    ) as change:
        indicator = change.instance
        change.assign(fields)
        _check_indicator(indicator)
        earliest = indicator.measurements.order_by("date").values_list("date", flat=True).first()
        if earliest is not None and earliest < indicator.baseline_date:
            raise ValidationError(
                {
                    "baseline_date": _(
                        "There are measurements from %(date)s, before this baseline date. "
                        "Choose a baseline date on or before the first measurement."
                    )
                    % {"date": earliest.isoformat()}
                }
            )
    refresh_figures(indicator.initiative_id)
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    require_editor(actor, indicator.initiative)
    changes.delete(
        actor,
        indicator,
        action="indicator.delete",
        target=indicator.initiative,
        changes={"indicator": [indicator.name, None]},
    )
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
    changes.create(
        actor,
        measurement,
        MEASUREMENT_FIELDS,
        action="measurement.create",
        target=indicator,
        clean=False,
    )
    refresh_figures(indicator.initiative_id)
    return measurement


@transaction.atomic
def measurement_delete(*, actor: Any, measurement: Measurement) -> None:
    require_editor(actor, measurement.indicator.initiative)
    changes.delete(
        actor,
        measurement,
        action="measurement.delete",
        target=measurement.indicator,
        changes={"measurement": [str(measurement), None]},
    )
    refresh_figures(measurement.indicator.initiative_id)
