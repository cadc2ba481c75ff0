"""Organisations and their memberships."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hjulet.core import audit, changes
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.slugs import unique_slug

from ..models import Membership, MembershipRole, Organisation, User
from ..validators import clean_org_number

ORGANISATION_FIELDS = (
    "name",
    "org_number",
    "sector",
    "municipality",
    "website",
    "email",
    "description",
)


def is_org_admin(actor: Any, organisation: Organisation) -> bool:
    if not is_signed_in(actor):
        return False
    return (
        actor.is_coordinator
        or organisation.memberships.filter(user=actor, role=MembershipRole.ADMIN).exists()
    )


def is_org_member(actor: Any, organisation: Organisation) -> bool:
    return is_signed_in(actor) and (
        organisation.memberships.filter(user=actor).exists() or actor.is_coordinator
    )


def _clean_organisation(organisation: Organisation) -> None:
    if organisation.org_number:
        try:
            organisation.org_number = clean_org_number(organisation.org_number)
        except ValidationError as error:
            raise ValidationError({"org_number": error.error_list}) from None
        duplicate = (
            Organisation.objects.filter(org_number=organisation.org_number)
            .exclude(pk=organisation.pk)
            .first()
        )
        if duplicate is not None:
            raise ValidationError(
                {
                    "org_number": _(
                        "The organisation number %(number)s is already registered "
                        "for %(name)s. Ask its administrators to invite you instead."
                    )
                    % {"number": organisation.org_number, "name": duplicate.name}
                },
                code="org_number_taken",
            )
    organisation.full_clean(exclude=["slug"])


@contextmanager
def _refusing_duplicates() -> Iterator[None]:
    """Saves inside this block: the unique constraint is the last word when two people
    register the same organisation number at the same time."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError(
            {"org_number": _("This organisation number is already registered.")},
            code="org_number_taken",
        ) from None


@transaction.atomic
def organisation_create(*, actor: User, **fields: Any) -> Organisation:
    """Register an organisation; its creator becomes its first administrator."""
    require_signed_in(actor)
    organisation = Organisation(
        created_by=actor, **{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS}
    )
    _clean_organisation(organisation)
    organisation.slug = unique_slug(Organisation, organisation.name, fallback="organisation")
    with _refusing_duplicates():
        changes.create(
            actor, organisation, ORGANISATION_FIELDS, action="organisation.create", clean=False
        )
    Membership.objects.create(user=actor, organisation=organisation, role=MembershipRole.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    expected_version: int | None = None,
    **fields: Any,
) -> Organisation:
    require(
        is_org_admin(actor, organisation),
        _("Only the organisation's administrators can change it."),
    )
    with (
        _refusing_duplicates(),
        changes.edit(
            actor,
            organisation,
            ORGANISATION_FIELDS,
            action="organisation.update",
            expected_version=expected_version,
            clean=False,  # _clean_organisation validates
        ) as change,
    ):
        change.assign(fields)
        _clean_organisation(change.instance)
    return change.instance


def _refuse_last_admin_change(membership: Membership) -> None:
    others = membership.organisation.memberships.filter(role=MembershipRole.ADMIN).exclude(
        pk=membership.pk
    )
    if membership.role == MembershipRole.ADMIN and not others.exists():
        raise ValidationError(
            _(
                "An organisation needs at least one administrator. Make someone else "
                "administrator first."
            ),
            code="last_admin",
        )


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    require(
        is_org_admin(actor, membership.organisation),
        _("Only the organisation's administrators can change roles."),
    )
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    if role != membership.role:
        if role == MembershipRole.MEMBER:
            _refuse_last_admin_change(membership)
        audit.record(
            actor=actor,
            action="membership.set_role",
            target=membership.organisation,
            changes={"member_id": [None, membership.user_id], "role": [membership.role, role]},
        )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """An administrator removes a member, or a member leaves."""
    require(
        actor.pk == membership.user_id or is_org_admin(actor, membership.organisation),
        _("Only the organisation's administrators can remove members."),
    )
    _refuse_last_admin_change(membership)
    changes.delete(
        actor,
        membership,
        action="membership.remove",
        target=membership.organisation,
        changes={"member_id": [membership.user_id, None]},
    )
