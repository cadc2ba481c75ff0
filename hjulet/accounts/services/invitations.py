"""Invitations to an organisation, for the invited address only."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit, changes
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.permissions import is_signed_in, require
from hjulet.lib.emails import InvalidEmail, canonical_email

from ..models import (
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    User,
    canonical_or_none,
    hash_secret,
    normalise_email,
)
from ._common import LinkError, _create_verified_user
from .organisations import is_org_admin


def _email_taken(email: str, exclude_pk: int | None = None) -> bool:
    return User.objects.by_email(email).exclude(pk=exclude_pk).exists()


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str = MembershipRole.MEMBER
) -> Invitation:
    """Invite a colleague by e-mail; the link is valid for INVITATION_MAX_AGE_DAYS."""
    require(
        is_org_admin(actor, organisation),
        _("Only the organisation's administrators can invite colleagues."),
    )
    email = normalise_email(email)
    canonical = canonical_or_none(email)
    if organisation.memberships.filter(user__email_canonical=canonical).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member.") % {"email": email}}, code="already_member"
        )
    secret = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    changes.create(
        actor,
        invitation,
        action="invitation.create",
        target=organisation,
        also={"invited": [None, email], "role": [None, role]},
    )
    invitation.link_secret = secret  # not stored; only the e-mail carries it
    existing = User.objects.by_email(email).first()
    send_templated_mail(
        to=existing.email if existing else email,
        template="accounts/email/invitation",
        context={
            "organisation": organisation,
            "inviter": actor,
            "url": absolute_url(reverse("accounts:invitation", args=[secret])),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
        language=existing.language if existing else "sv",
    )
    return invitation


def invitation_by_secret(secret: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        raise LinkError("invalid")
    if invitation.expires_at <= timezone.now():
        raise LinkError("expired")
    return invitation


def is_invited(user: User, invitation: Invitation) -> bool:
    """Whether ``user``'s address is the invited one: an invitation link is not a bearer
    link, only the account of the invited address may accept it."""
    try:
        return canonical_email(user.email) == canonical_email(invitation.email)
    except InvalidEmail:
        return False


def invitation_refusal(invitation: Invitation) -> str:
    return _(
        "This invitation was sent to %(email)s. Log out and log in with that address "
        "(or create an account for it) to accept it."
    ) % {"email": invitation.email}


@transaction.atomic
def invitation_accept(
    *, secret: str, actor: User | None, name: str = ""
) -> tuple[User, Membership]:
    """Join the organisation. Only the account of the invited address may accept; without a
    signed-in user, the invited address gets an account with the public ``name`` (following
    the link proves it is theirs); an existing account must log in first."""
    invitation = invitation_by_secret(secret)
    user = actor if is_signed_in(actor) else None
    if user is not None:
        require(is_invited(user, invitation), invitation_refusal(invitation))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise LinkError("invalid")
    if user is None:
        require(
            not _email_taken(invitation.email),
            _("An account with this address exists. Log in to accept the invitation."),
        )
        user = _create_verified_user(
            invitation.email, name=name, action="user.register_by_invitation"
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        audit.record(
            actor=user,
            action="membership.join",
            target=invitation.organisation,
            changes={"member_id": [None, user.pk], "role": [None, membership.role]},
        )
    return user, membership
