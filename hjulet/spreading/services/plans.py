"""Dissemination plans for a method and their steps."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit, changes
from hjulet.core.models import County, Municipality
from hjulet.core.permissions import require, require_signed_in
from hjulet.knowledge.models import Method

from ..models import PlanStep, SpreadPlan
from .permissions import can_create_plan, can_edit_plan, plan_refused

PLAN_FIELDS = ("title", "goal", "target_places", "target_year", "audiences")


def _check_year(target_year: int) -> None:
    this_year = timezone.localdate().year
    if not this_year <= target_year <= this_year + 30:
        raise ValidationError(
            {
                "target_year": _("Choose a year from %(first)d to %(last)d.")
                % {"first": this_year, "last": this_year + 30}
            }
        )


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    method: Method,
    title: str,
    goal: str,
    target_places: int,
    target_year: int,
    audiences: str = "",
    counties: Sequence[County] = (),
    municipalities: Sequence[Municipality] = (),
    owners: Sequence[Any] = (),
) -> SpreadPlan:
    """A dissemination plan for ``method``; its owners are told when a place adapts it."""
    require_signed_in(actor)
    require(
        can_create_plan(actor, method),
        plan_refused(),
    )
    _check_year(target_year)
    plan = SpreadPlan(
        method=method,
        title=title,
        goal=goal,
        target_places=target_places,
        target_year=target_year,
        audiences=audiences,
        created_by=actor,
    )
    changes.create(actor, plan, ("title", "target_places"), action="spreadplan.create")
    plan.counties.set(counties)
    plan.municipalities.set(municipalities)
    plan.owners.set([actor, *owners])
    return plan


@transaction.atomic
def plan_update(*, actor: Any, plan: SpreadPlan, **fields: Any) -> SpreadPlan:
    require(can_edit_plan(actor, plan), _("Only the plan's owners or coordinators can change it."))
    relations = {k: fields.pop(k) for k in ("counties", "municipalities") if k in fields}
    if "target_year" in fields and fields["target_year"] != plan.target_year:
        _check_year(fields["target_year"])
    with changes.edit(actor, plan, PLAN_FIELDS, action="spreadplan.update", lock=False) as change:
        change.assign(fields)
    for name, value in relations.items():
        getattr(plan, name).set(value)
    return plan


@transaction.atomic
def step_create(
    *,
    actor: Any,
    plan: SpreadPlan,
    title: str,
    due_date: datetime.date | None = None,
    owner_person: Any = None,
    owner_organisation: Organisation | None = None,
) -> PlanStep:
    require(can_edit_plan(actor, plan), _("Only the plan's owners or coordinators can change it."))
    step = PlanStep(
        plan=plan,
        title=title,
        due_date=due_date,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
    )
    changes.create(actor, step, action="planstep.create", target=plan, also={"step": [None, title]})
    return step


@transaction.atomic
def step_set_done(*, actor: Any, step: PlanStep, done: bool) -> PlanStep:
    require(
        can_edit_plan(actor, step.plan), _("Only the plan's owners or coordinators can change it.")
    )
    if step.done != done:
        step.done = done
        step.save(update_fields=["done"])
        audit.record(
            actor=actor,
            action="planstep.done" if done else "planstep.undone",
            target=step.plan,
            changes={"step": [step.title, step.title]},
        )
    return step
