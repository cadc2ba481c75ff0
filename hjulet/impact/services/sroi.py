"""SROI analyses (Social Value UK): settings, inputs and outcomes; each write refreshes
the stored figures."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.core import audit, changes
from hjulet.knowledge.models import Initiative

from ..models import Indicator, SroiAnalysis, SroiInput, SroiOutcome, SroiStakeholder
from ._common import _editing, _pick, refresh_figures, require_editor

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
# An outcome's own fields: the stakeholder is a row of its own, given by name.
OUTCOME_VALUE_FIELDS = OUTCOME_FIELDS[1:]


@transaction.atomic
def analysis_create(*, actor: Any, initiative: Initiative, **fields: Any) -> SroiAnalysis:
    require_editor(actor, initiative)
    analysis = SroiAnalysis(initiative=initiative, **_pick(fields, ANALYSIS_FIELDS))
    changes.create(actor, analysis, ANALYSIS_FIELDS, action="sroi.create")
    refresh_figures(analysis.initiative_id)
    return analysis


@transaction.atomic
def analysis_update(
    *, actor: Any, analysis: SroiAnalysis, expected_version: int | None = None, **fields: Any
) -> SroiAnalysis:
    require_editor(actor, analysis.initiative)
    changes.update(
        actor,
        analysis,
        ANALYSIS_FIELDS,
        fields,
        action="sroi.update",
        expected_version=expected_version,
        lock="in_place",
    )
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
    changes.create(
        actor,
        item,
        action="sroi.input_create",
        target=analysis,
        clean=False,
        also={"input": [None, f"{item.stakeholder}: {item.description} {item.value}"]},
    )
    refresh_figures(analysis.initiative_id)
    return item


@transaction.atomic
def input_delete(*, actor: Any, item: SroiInput) -> None:
    require_editor(actor, item.analysis.initiative)
    changes.delete(
        actor,
        item,
        action="sroi.input_delete",
        target=item.analysis,
        changes={"input": [f"{item.stakeholder}: {item.description} {item.value}", None]},
    )
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
    changes.create(
        actor,
        outcome,
        action="sroi.outcome_create",
        target=analysis,
        clean=False,
        also={f"outcome.{k}": v for k, v in audit.created(outcome, OUTCOME_VALUE_FIELDS).items()},
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
    with _editing(
        actor,
        outcome,
        OUTCOME_VALUE_FIELDS,
        fields,
        "sroi.outcome_update",
        expected_version,
        target=outcome.analysis,  # as every change of its inputs and outcomes
    ) as change:
        _check_outcome_indicator(outcome.analysis, outcome.indicator)
        if stakeholder is not None and stakeholder.strip() != outcome.stakeholder.name:
            change.also({"stakeholder": [outcome.stakeholder.name, stakeholder.strip()]})
            outcome.stakeholder = _stakeholder(outcome.analysis, stakeholder)
    refresh_figures(outcome.analysis.initiative_id)
    return outcome


@transaction.atomic
def outcome_delete(*, actor: Any, outcome: SroiOutcome) -> None:
    require_editor(actor, outcome.analysis.initiative)
    changes.delete(
        actor,
        outcome,
        action="sroi.outcome_delete",
        target=outcome.analysis,
        changes={"outcome": [outcome.name, None]},
    )
    refresh_figures(outcome.analysis.initiative_id)
