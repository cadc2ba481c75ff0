"""Test cycles ("våga testa"): what was tried, with whom, what was learned."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.knowledge.models import Initiative

from ..models import Indicator, TestCycle
from ._common import _editing, _pick, refresh_figures, require_editor

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
    changes.create(
        actor,
        cycle,
        TEST_CYCLE_FIELDS,
        action="test_cycle.create",
        clean=False,
        also={"indicators": [None, sorted(i.name for i in indicators)]},
    )
    cycle.indicators.set(indicators)
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
    with _editing(
        actor, cycle, TEST_CYCLE_FIELDS, fields, "test_cycle.update", expected_version
    ) as change:
        if indicators is not None:
            _check_indicators(cycle.initiative, indicators)
            change.also(changes.set_related(cycle, {"indicators": indicators}, label="name"))
    return cycle
