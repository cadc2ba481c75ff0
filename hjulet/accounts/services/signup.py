"""Every write to users, roles, organisations, memberships, invitations and API tokens.

Each function checks permissions, validates (``full_clean``), runs in a transaction and
records an audit entry. Views and API endpoints call these and nothing else to write.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.core import audit, search
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.permissions import is_signed_in, require, require_admin, require_signed_in
from hjulet.core.services import check_version
from hjulet.lib.emails import InvalidEmail, canonical_email

from ..models import (
    ApiToken,
    ApiTokenScope,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    Role,
    RoleGrant,
    User,
    canonical_or_none,
    hash_secret,
    normalise_email,
)
from ..validators import clean_display_name, clean_org_number

USER_FIELDS = ("email", "name", "language")
ORGANISATION_FIELDS = (
    "name",
    "org_number",
    "sector",
    "municipality",
    "website",
    "email",
    "description",
)
VERIFY_SALT = "hjulet.accounts.verify-email"
EMAIL_LOGIN_SALT = "hjulet.accounts.email-login"


class LinkError(Exception):
    """A link from an e-mail that cannot be used; ``code`` is 'expired', 'used' or
    'invalid'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _display_name(name: str) -> str:
    """The public name, validated, or a ValidationError on the ``name`` field."""
    try:
        return clean_display_name(name)
    except ValidationError as error:
        raise ValidationError({"name": error.error_list}) from None


def _email_taken(email: str, exclude_pk: int | None = None) -> bool:
    return User.objects.by_email(email).exclude(pk=exclude_pk).exists()


# --- sign-up, verification and e-mail login --------------------------------------------


@transaction.atomic
def user_register(
    *, email: str, password: str, name: str = "", language: str = "sv", next_path: str = ""
) -> User | None:
    """Create an account with a password; it can log in once the e-mail is verified. The
    confirmation link carries ``next_path`` (a path on this site) to log in towards.

    When the address already has an account, nothing is created and its owner is told by
    e-mail instead (returns None); the person signing up sees the same "check your e-mail"
    either way, so the form does not reveal who has an account. Both ways hash the
    password, so neither answers faster."""
    user = User(name=_display_name(name), language=language)
    user.set_email(email)
    # Uniqueness is not a form error here: saying "taken" is what this must not do.
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    password_validation.validate_password(password, user)
    user.set_password(password)
    same_address = User.objects.filter(email_canonical=user.email_canonical)
    existing = same_address.first()
    if existing is None:
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # someone signed up with the address at the same moment
            existing = same_address.first()
    if existing is not None:
        _tell_owner_of_sign_up_attempt(existing)
        return None
    audit.record(
        actor=user, action="user.register", target=user, changes=audit.created(user, USER_FIELDS)
    )
    send_verification_email(user, next_path=next_path)
    return user


def _tell_owner_of_sign_up_attempt(user: User) -> None:
    if not user.is_active:
        return
    audit.record(actor=None, action="user.register_existing", target=user)
    send_templated_mail(
        to=user.email,
        template="accounts/email/signup_existing",
        context={
            "user": user,
            "login_url": absolute_url(reverse("accounts:login")),
            "email_login_url": absolute_url(reverse("accounts:email-login")),
            "reset_url": absolute_url(reverse("accounts:password-reset")),
        },
        language=user.language,
    )


def _verification_state(user: User) -> str:
    """Changes when the address is confirmed, the password changes or the address changes,
    so a confirmation link works once and not after a password reset."""
    value = f"{user.pk}|{user.password}|{user.email_canonical}|{user.email_verified_at}"
    return salted_hmac(VERIFY_SALT, value).hexdigest()


def send_verification_email(user: User, *, next_path: str = "") -> None:
    data = {"u": user.pk, "s": _verification_state(user)}
    if local_path(next_path):
        data["n"] = local_path(next_path)
    token = signing.dumps(data, salt=VERIFY_SALT)
    send_templated_mail(
        to=user.email,
        template="accounts/email/verify",
        context={"user": user, "url": absolute_url(reverse("accounts:verify", args=[token]))},
        language=user.language,
    )


def _load_signed(token: str, *, salt: str, max_age: int) -> dict[str, Any]:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Confirm the address with a link from ``send_verification_email``. The link only
    confirms (the person then logs in with their password) and works once;
    ``user.next_path`` is where they were going when they signed up ("" if nowhere)."""
    data = _load_signed(token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise LinkError("invalid")
    if user.email_verified_at is not None:
        raise LinkError("used")
    if not constant_time_compare(str(data.get("s", "")), _verification_state(user)):
        raise LinkError("invalid")
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit.record(actor=user, action="user.verify_email", target=user)
    user.next_path = local_path(data.get("n"))
    return user


def _login_state(user: User | None) -> str:
    """Changes when the user logs in, so an e-mail login link works once."""
    if user is None:
        return "new"
    return user.last_login.isoformat() if user.last_login else "never"


def local_path(url: str | None) -> str:
    """``url`` if it is a path on this site ("/utmaningar/?q=1"), else "": never another
    host ("https://evil.example", "//evil.example", "/\\evil.example") or scheme."""
    url = (url or "").strip()
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return url
    return ""


def email_login_request(*, email: str, language: str = "sv", next_path: str = "") -> None:
    """Send a one-time login link; for an unknown address it creates the account on use.

    This is how a resident joins with just an e-mail address. The reply is the same whether
    or not an account exists, so the form does not reveal who has one. The link for an
    account goes to the account's own address, never to the address as typed: a look-alike
    (``gmaıl.com``) is another address and gets a link for another account. ``next_path``,
    a path on this site, travels signed in the link: where the person goes once logged in.
    """
    candidate = User()
    candidate.set_email(email)
    candidate.clean_fields(exclude=["password", "name", "language", "email_canonical"])
    user = User.objects.filter(email_canonical=candidate.email_canonical).first()
    if user is not None and not user.is_active:
        return
    address = user.email if user is not None else candidate.email
    payload = {"e": address, "s": _login_state(user)}
    if local_path(next_path):
        payload["n"] = local_path(next_path)
    token = signing.dumps(payload, salt=EMAIL_LOGIN_SALT)
    send_templated_mail(
        to=address,
        template="accounts/email/login_link",
        context={
            "url": absolute_url(reverse("accounts:email-login-complete", args=[token])),
            "new_account": user is None,
            "minutes": settings.EMAIL_LOGIN_MAX_AGE // 60,
        },
        language=user.language if user else language,
    )


def email_login_creates_account(*, token: str) -> bool:
    """Whether a valid login link is for an address without an account (its use creates
    one, so the person chooses a public name first). Only the link's reader sees this."""
    data = _load_signed(token, salt=EMAIL_LOGIN_SALT, max_age=settings.EMAIL_LOGIN_MAX_AGE)
    return data.get("s") == "new" and not User.objects.by_email(data.get("e", "")).exists()


@transaction.atomic
def email_login_complete(*, token: str, language: str = "sv", name: str = "") -> User:
    """Check a login link and return the user to log in (created if new, e-mail verified);
    ``user.next_path`` is where they were going ("" if nowhere in particular). A new account
    needs its public ``name``; the link stays usable until one is given."""
    data = _load_signed(token, salt=EMAIL_LOGIN_SALT, max_age=settings.EMAIL_LOGIN_MAX_AGE)
    email = data.get("e", "")
    user = User.objects.by_email(email).select_for_update().first()
    if data.get("s") != _login_state(user) or (user is not None and not user.is_active):
        raise LinkError("invalid")
    if user is None:
        user = User.objects.create_user(
            email,
            name=_display_name(name),
            language=language,
            email_verified_at=timezone.now(),
        )
        audit.record(
            actor=user,
            action="user.register_by_email",
            target=user,
            changes=audit.created(user, USER_FIELDS),
        )
    elif user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit.record(actor=user, action="user.verify_email", target=user)
    user.next_path = local_path(data.get("n"))
    return user


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


# --- profile, privacy ------------------------------------------------------------------


@transaction.atomic
def user_update_profile(*, actor: User, user: User, name: str, language: str) -> User:
    require_signed_in(actor)
    require(actor.pk == user.pk, _("You can only change your own profile."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, USER_FIELDS)
    if not (user.name and name.strip() == user.name):  # an unchanged name stays as it was
        user.name = _display_name(name)
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "language"])
    changes = audit.diff(before, audit.snapshot(user, USER_FIELDS))
    if changes:
        audit.record(actor=actor, action="user.update", target=user, changes=changes)
    return user


@transaction.atomic
def user_set_display_name(*, actor: User, user: User, name: str) -> User:
    """Choose the public name (asked of everyone who has none, on their next visit)."""
    require_signed_in(actor)
    require(actor.pk == user.pk, _("You can only change your own profile."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, ("name",))
    user.name = _display_name(name)
    user.save(update_fields=["name"])
    changes = audit.diff(before, audit.snapshot(user, ("name",)))
    if changes:
        audit.record(actor=actor, action="user.set_display_name", target=user, changes=changes)
    return user


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


# --- platform roles ----------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor: User, user: User, role: str) -> RoleGrant:
    require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor}
    )
    if created:
        audit.record(actor=actor, action="role.grant", target=user, changes={"role": [None, role]})
    return grant


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: str) -> None:
    require_admin(actor)
    if role == Role.ADMIN and user.pk == actor.pk:
        raise ValidationError(_("You cannot remove your own administrator role."), code="own_admin")
    deleted, _details = RoleGrant.objects.filter(user=user, role=role).delete()
    if deleted:
        audit.record(actor=actor, action="role.revoke", target=user, changes={"role": [role, None]})


# --- organisations ----------------------------------------------------------------------


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


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


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


def _save_refusing_duplicates(organisation: Organisation) -> None:
    """The unique constraint is the last word when two people register at the same time."""
    try:
        with transaction.atomic():
            organisation.save()
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
    organisation.slug = _unique_slug(organisation.name)
    _save_refusing_duplicates(organisation)
    Membership.objects.create(user=actor, organisation=organisation, role=MembershipRole.ADMIN)
    audit.record(
        actor=actor,
        action="organisation.create",
        target=organisation,
        changes=audit.created(organisation, ORGANISATION_FIELDS),
    )
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
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(organisation, expected_version)
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        if name in ORGANISATION_FIELDS:
            setattr(organisation, name, value)
    _clean_organisation(organisation)
    changes = audit.diff(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        organisation.version += 1
        _save_refusing_duplicates(organisation)
        audit.record(
            actor=actor, action="organisation.update", target=organisation, changes=changes
        )
    return organisation


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
    audit.record(
        actor=actor,
        action="membership.remove",
        target=membership.organisation,
        changes={"member_id": [membership.user_id, None]},
    )
    membership.delete()


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
    invitation.full_clean()
    invitation.save()
    invitation.link_secret = secret  # not stored; only the e-mail carries it
    audit.record(
        actor=actor,
        action="invitation.create",
        target=organisation,
        changes={"invited": [None, email], "role": [None, role]},
    )
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
        user = User.objects.create_user(
            invitation.email, name=_display_name(name), email_verified_at=timezone.now()
        )
        audit.record(
            actor=user,
            action="user.register_by_invitation",
            target=user,
            changes=audit.created(user, USER_FIELDS),
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


# --- API tokens -------------------------------------------------------------------------


class ApiTokenExpired(Exception):
    """The token was valid but its time is up."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(token.pk)
        self.token = token


# How often the last-used time is written at most: one write a minute, not one per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    days: int = ApiToken.DEFAULT_LIFETIME_DAYS,
    scope: str = ApiTokenScope.READ_WRITE,
) -> tuple[ApiToken, str]:
    """Create a token valid for ``days`` (one of ``ApiToken.LIFETIME_DAYS``: there is no
    token that never expires) with a scope; the secret is returned once and only its hash is
    kept."""
    require_signed_in(actor)
    if days not in ApiToken.LIFETIME_DAYS:
        raise ValidationError(
            {
                "expires_at": _("Choose how long the token works: %(choices)s days.")
                % {"choices": ", ".join(str(d) for d in ApiToken.LIFETIME_DAYS)}
            },
            code="invalid_lifetime",
        )
    secret = ApiToken.new_secret()
    now = timezone.now()
    token = ApiToken(
        user=actor,
        name=name.strip(),
        key_hash=hash_secret(secret),
        hint=secret[:10],
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="api_token.create",
        target=token,
        changes={
            "name": [None, token.name],
            "scope": [None, token.scope],
            "expires_at": [None, token.expires_at.isoformat()],
        },
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    require_signed_in(actor)
    require(token.user_id == actor.pk, _("You can only revoke your own tokens."))
    audit.record(
        actor=actor, action="api_token.revoke", target=token, changes={"name": [token.name, None]}
    )
    token.delete()


def _revoke_all_tokens(user: User, *, reason: str) -> int:
    """Delete every API token of ``user`` (after a password reset or change): a token made
    by someone who had the old password must not outlive it. Returns how many."""
    names = list(user.api_tokens.values_list("name", flat=True))
    if names:
        user.api_tokens.all().delete()
        audit.record(
            actor=user,
            action="api_token.revoke_all",
            target=user,
            changes={"tokens": [names, []], "reason": [None, reason]},
        )
    return len(names)


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The token with this secret of an active user, or None; raises ApiTokenExpired when its
    time is up. Records when it was last used (at most once a minute)."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.is_expired:
        raise ApiTokenExpired(token)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
