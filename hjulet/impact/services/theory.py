"""The theory of change: its summary and its steps with their arrows."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.knowledge.models import Initiative

from ..models import ChangeElement, TheoryOfChange
from ._common import _editing, _pick, require_editor

ELEMENT_FIELDS = ("kind", "title", "description", "stakeholders")


def _theory(initiative: Initiative) -> TheoryOfChange:
    theory, _created = TheoryOfChange.objects.get_or_create(initiative=initiative)
    return theory


@transaction.atomic
def theory_update(
    *, actor: Any, initiative: Initiative, summary: str, expected_version: int | None = None
) -> TheoryOfChange:
    require_editor(actor, initiative)
    theory = _theory(initiative)
    changes.update(
        actor,
        theory,
        ("summary",),
        {"summary": summary},
        action="theory.update",
        expected_version=expected_version,
        lock="in_place",
    )
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
    changes.create(
        actor,
        element,
        ELEMENT_FIELDS,
        action="theory.element_create",
        clean=False,
        also={
            "leads_to": [None, [e.title for e in leads_to]],
            "comes_from": [None, [e.title for e in comes_from]],
        },
    )
    element.leads_to.set(leads_to)
    element.comes_from.set(comes_from)
    return element


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
    with _editing(
        actor, element, ELEMENT_FIELDS, fields, "theory.element_update", expected_version
    ) as change:
        for name, linked in (("leads_to", leads_to), ("comes_from", comes_from)):
            if linked is None:
                continue
            if any(e.pk == element.pk for e in linked):
                raise ValidationError({name: _("A step cannot lead to itself.")})
            change.also(changes.set_related(element, {name: linked}, label="title"))
        # Every arrow into and out of this element must still point forward.
        for source in element.comes_from.all():
            _check_links(source, [element], field="comes_from")
        _check_links(element, list(element.leads_to.all()))
    return element


@transaction.atomic
def element_delete(*, actor: Any, element: ChangeElement) -> None:
    require_editor(actor, element.theory.initiative)
    changes.delete(
        actor,
        element,
        action="theory.element_delete",
        target=element.theory,
        changes={"element": [element.title, None]},
    )
