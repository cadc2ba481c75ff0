"""Support structures: the organisations in the support directory."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core import changes
from hjulet.core.models import County, Municipality
from hjulet.core.permissions import is_signed_in, require, require_signed_in

from .. import searching
from ..models import Audience, Service, SupportStructure
from ._common import _flags, _is_member, _save_in_area, _set_choices

STRUCTURE_FIELDS = (
    "summary",
    "description",
    "scope",
    "contact_name",
    "contact_email",
    "phone",
    "website",
)


def can_edit_structure(actor: Any, structure: SupportStructure) -> bool:
    """Each organisation keeps its own entry up to date; coordinators help."""
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or _is_member(actor, structure.organisation_id)


@transaction.atomic
def structure_create(
    *,
    actor: Any,
    organisation: Organisation,
    services: Sequence[str] = (),
    audiences: Sequence[str] = (),
    counties: Sequence[County] = (),
    municipalities: Sequence[Municipality] = (),
    **fields: Any,
) -> SupportStructure:
    """Put an organisation in the support directory (its administrators, or a coordinator)."""
    require_signed_in(actor)
    require(
        actor.is_coordinator
        or Membership.objects.filter(
            user=actor, organisation=organisation, role=MembershipRole.ADMIN
        ).exists(),
        _("Only the organisation's administrators, or coordinators, can add it to the directory."),
    )
    if SupportStructure.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(name)s is already in the directory; edit its entry instead.")
                % {"name": organisation.name}
            },
            code="duplicate",
        )
    structure = SupportStructure(
        organisation=organisation,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in STRUCTURE_FIELDS},
    )
    _save_structure(structure, services, audiences, counties, municipalities)
    changes.record_created(
        actor,
        structure,
        STRUCTURE_FIELDS,
        action="support_structure.create",
        also={k: [None, v] for k, v in _flags(structure).items()},
    )
    return structure


def _save_structure(
    structure: SupportStructure,
    services: Sequence[str] | None,
    audiences: Sequence[str] | None,
    counties: Sequence[County] | None,
    municipalities: Sequence[Municipality] | None,
) -> dict[str, list]:
    _set_choices(structure, "services", "offers_", services, Service.values)
    _set_choices(structure, "audiences", "for_", audiences, Audience.values)
    errors: dict[str, Any] = {}
    if not structure.services:
        errors["services"] = _("Choose at least one thing you offer.")
    if not structure.audiences:
        errors["audiences"] = _("Choose at least one group you serve.")
    return _save_in_area(structure, errors, counties, municipalities, searching.index_structure)


@transaction.atomic
def structure_update(
    *,
    actor: Any,
    structure: SupportStructure,
    expected_version: int | None = None,
    services: Sequence[str] | None = None,
    audiences: Sequence[str] | None = None,
    counties: Sequence[County] | None = None,
    municipalities: Sequence[Municipality] | None = None,
    **fields: Any,
) -> SupportStructure:
    require(
        can_edit_structure(actor, structure),
        _("Only the organisation's members, or coordinators, can change its entry."),
    )
    with changes.edit(
        actor,
        structure,
        STRUCTURE_FIELDS,
        action="support_structure.update",
        expected_version=expected_version,
        clean=False,  # _save_structure validates (and saves the fields)
        extra_state=_flags,
        save_fields=["updated_at"],
    ) as change:
        change.assign(fields)
        change.also(_save_structure(change.instance, services, audiences, counties, municipalities))
    return change.instance
