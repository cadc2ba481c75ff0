"""Sign-up, confirming the address, and logging in with a one-time e-mail link."""

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from hjulet.core import audit, changes
from hjulet.core.mail import absolute_url, send_templated_mail

from ..models import User
from ._common import USER_FIELDS, LinkError, _create_verified_user, _display_name

VERIFY_SALT = "hjulet.accounts.verify-email"
EMAIL_LOGIN_SALT = "hjulet.accounts.email-login"


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
    changes.record_created(user, user, USER_FIELDS, action="user.register")
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
    _mark_verified(user)
    user.next_path = local_path(data.get("n"))
    return user


def _mark_verified(user: User) -> None:
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit.record(actor=user, action="user.verify_email", target=user)


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
        user = _create_verified_user(
            email, name=name, action="user.register_by_email", language=language
        )
    elif user.email_verified_at is None:
        _mark_verified(user)
    user.next_path = local_path(data.get("n"))
    return user
