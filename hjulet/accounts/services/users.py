"""A person's own account: password, profile, public name, GDPR export and erasure."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit, changes, search
from hjulet.core.permissions import require, require_signed_in

from ..models import Invitation, MembershipRole, Organisation, User, canonical_or_none
from ._common import USER_FIELDS, _display_name
from .tokens import _revoke_all_tokens


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str, via_email: bool = False) -> User:
    """Set a new password (validated). A reset by e-mail link also proves the address.

    Every API token of the account is revoked: whoever knew the old password may have made
    one. ``user.revoked_tokens`` says how many, for the message."""
    if not via_email:
        require_signed_in(actor)
    require(actor.pk == user.pk, _("You can only change your own password."))
    password_validation.validate_password(password, user)
    user.set_password(password)
    fields = ["password"]
    if via_email and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    user.save(update_fields=fields)
    action = "user.reset_password" if via_email else "user.change_password"
    audit.record(actor=user, action=action, target=user)
    user.revoked_tokens = _revoke_all_tokens(user, reason=action)  # for the view's message
    return user


def _row(user: User) -> User:
    """``user`` as a plain model instance for ``changes.edit``, which locks and reads it
    again by its model (the signed-in user is a lazy object whose type is not the model)."""
    return User(pk=user.pk)


@transaction.atomic
def user_update_profile(*, actor: User, user: User, name: str, language: str) -> User:
    require_signed_in(actor)
    require(actor.pk == user.pk, _("You can only change your own profile."))
    with changes.edit(
        actor,
        _row(user),
        USER_FIELDS,
        action="user.update",
        clean=False,
        save_fields=("name", "language"),
    ) as change:
        user = change.instance
        if not (user.name and name.strip() == user.name):  # an unchanged name stays as it was
            user.name = _display_name(name)
        user.language = language
        user.full_clean(exclude=["password"])
    return user


@transaction.atomic
def user_set_display_name(*, actor: User, user: User, name: str) -> User:
    """Choose the public name (asked of everyone who has none, on their next visit)."""
    require_signed_in(actor)
    require(actor.pk == user.pk, _("You can only change your own profile."))
    with changes.edit(
        actor,
        _row(user),
        ("name",),
        action="user.set_display_name",
        clean=False,
        save_fields=("name",),
    ) as change:
        change.instance.name = _display_name(name)
    return change.instance


def user_export_data(*, actor: User, user: User) -> dict[str, Any]:
    """Everything Hjulet holds about a person, as JSON (GDPR art. 15 and 20)."""
    from hjulet.core.models import AuditEntry

    require_signed_in(actor)
    require(actor.pk == user.pk, _("You can only download your own data."))
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "email_verified_at": user.email_verified_at.isoformat()
            if user.email_verified_at
            else None,
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.role_set),
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_id": m.organisation_id,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in user.memberships.select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "hint": t.hint,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "scope": t.scope,
                "expires_at": t.expires_at.isoformat(),
            }
            for t in user.api_tokens.all()
        ],
        "activity": [
            {
                "when": e.created_at.isoformat(),
                "action": e.action,
                "object": e.target_label,
                "changes": e.changes,
            }
            for e in AuditEntry.objects.filter(actor=user).order_by("created_at")
        ],
    }


def _sole_admin_organisations(user: User) -> list[Organisation]:
    return [
        membership.organisation
        for membership in user.memberships.filter(role=MembershipRole.ADMIN).select_related(
            "organisation"
        )
        if not membership.organisation.memberships.filter(role=MembershipRole.ADMIN)
        .exclude(user=user)
        .exists()
        and membership.organisation.memberships.exclude(user=user).exists()
    ]


def _invitations_to(user: User) -> list[int]:
    """The invitations sent to this person's address in any spelling (invitations keep the
    address as typed; erasure is rare enough to compare them all)."""
    return [
        pk
        for pk, email in Invitation.objects.values_list("pk", "email").iterator(chunk_size=2000)
        if canonical_or_none(email) == user.email_canonical
    ]


@transaction.atomic
def user_delete(*, actor: User, user: User) -> None:
    """Erase an account (GDPR art. 17). The audit log keeps the events but not the person."""
    from hjulet.core.models import AuditEntry

    require_signed_in(actor)
    require(actor.pk == user.pk or actor.is_admin, _("You can only delete your own account."))
    blocking = _sole_admin_organisations(user)
    if blocking:
        raise ValidationError(
            _(
                "You are the only administrator of %(names)s. Make another member administrator "
                "first, so the organisation is not left without one."
            )
            % {"names": ", ".join(org.name for org in blocking)},
            code="sole_admin",
        )
    erased_label = _("deleted account #%(id)s") % {"id": user.pk}
    AuditEntry.objects.filter(actor=user).update(actor_label=erased_label)
    AuditEntry.objects.filter(target_type=user._meta.label_lower, target_id=str(user.pk)).update(
        target_label=erased_label, changes={}
    )
    AuditEntry.objects.filter(changes__invited__1=user.email).update(changes={})
    Invitation.objects.filter(pk__in=_invitations_to(user)).delete()
    audit.record(
        actor=None if actor.pk == user.pk else actor,
        action="user.delete",
        target=user,
        label=erased_label,
    )
    # The science shop indexes a researcher's expertise under the user's id (kind
    # "researcher", never shown in a public search); the profile goes with the account.
    search.remove_document(kind="researcher", pk=user.pk)
    user.delete()
