"""Limits on how often a form may be posted (log-in, sign-up, e-mail links) and a file
exported: beyond ``settings.RATE_LIMITS[name]`` the request gets the 429 page
(``core.views.rate_limited``). The counts live in ``CACHES["ratelimit"]``, shared by every
worker process."""

import unicodedata
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit

from hjulet.lib.emails import InvalidEmail, canonical_email


def address_key(address: str) -> str:
    """One key for every spelling of one address (upper case, full-width letters, the long
    s), so that spelling it differently does not start a new count."""
    try:
        return canonical_email(address)
    except InvalidEmail:
        return unicodedata.normalize("NFKC", address).strip().casefold()


EXPORT_MESSAGE = _(
    "You have downloaded many exports in a short time. Wait a few minutes and try again; "
    "filters make an export smaller and quicker."
)


def posted_email(group: str, request: HttpRequest) -> str:
    """The e-mail address a log-in form was posted for, so one account cannot be guessed at
    from many addresses."""
    return address_key(request.POST.get("username", ""))


def posted_address(group: str, request: HttpRequest) -> str:
    """The address a form that sends mail was posted for (its ``email`` field)."""
    return address_key(request.POST.get("email", ""))


def limited(name: str, key: str | Callable = "ip"):
    return ratelimit(
        group=f"hjulet.{name}",
        key=key,
        rate=lambda group, request: settings.RATE_LIMITS[name],
        method="POST",
        block=True,
    )


def export_limited(view: Callable) -> Callable:
    """An export reads and writes every matching row, so each client gets
    ``settings.RATE_LIMITS["export"]`` of them, all export views together: a signed-in person
    is counted by account, anyone else by address."""
    counted = ratelimit(
        group="hjulet.export",
        key="user_or_ip",
        rate=lambda group, request: settings.RATE_LIMITS["export"],
        method=ALL,
        block=True,
    )(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        request.rate_limit_message = EXPORT_MESSAGE
        return counted(request, *args, **kwargs)

    return wrapper
