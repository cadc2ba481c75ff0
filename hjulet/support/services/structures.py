"""Support structures: the organisations in the support directory."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core import audit
from hjulet.core.changes import check_version
from hjulet.core.models import County, Municipality
from hjulet.core.permissions import is_signed_in, require, require_signed_in

from .. import searching
from ..models import (
    Audience,
    Service,
    SupportStructure,
)
from ._common import _area_errors, _check_choices, _flags, _is_member, _set_area, _set_flags

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
    audit.record(
        actor=actor,
        action="support_structure.create",
        target=structure,
        changes={
            **audit.created(structure, STRUCTURE_FIELDS),
            **{k: [None, v] for k, v in _flags(structure).items()},
        },
    )
    return structure


def _save_structure(
    structure: SupportStructure,
    services: Sequence[str] | None,
    audiences: Sequence[str] | None,
    counties: Sequence[County] | None,
    municipalities: Sequence[Municipality] | None,
) -> dict[str, list]:
    errors: dict[str, Any] = {}
    if services is not None:
        services = _check_choices("services", services, Service.values)
        _set_flags(structure, "offers_", services, Service.values)
    if audiences is not None:
        audiences = _check_choices("audiences", audiences, Audience.values)
        _set_flags(structure, "for_", audiences, Audience.values)
    if not structure.services:
        errors["services"] = _("Choose at least one thing you offer.")
    if not structure.audiences:
        errors["audiences"] = _("Choose at least one group you serve.")
    if structure.pk:
        counties = list(structure.counties.all()) if counties is None else counties
        municipalities = (
            list(structure.municipalities.all()) if municipalities is None else municipalities
        )
    errors.update(_area_errors(structure.scope, counties, municipalities))
    try:
        structure.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    structure.save()
    searching.index_structure(structure)
    return _set_area(structure, counties, municipalities)


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
    structure = SupportStructure.objects.select_for_update().get(pk=structure.pk)
    check_version(structure, expected_version)
    before = {**audit.snapshot(structure, STRUCTURE_FIELDS), **_flags(structure)}
    for name, value in fields.items():
        if name in STRUCTURE_FIELDS:
            setattr(structure, name, value)
    area_changes = _save_structure(structure, services, audiences, counties, municipalities)
    changes = audit.diff(
        before, {**audit.snapshot(structure, STRUCTURE_FIELDS), **_flags(structure)}
    )
    changes.update(area_changes)
    if changes:
        structure.version += 1
        structure.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor, action="support_structure.update", target=structure, changes=changes
        )
    return structure
