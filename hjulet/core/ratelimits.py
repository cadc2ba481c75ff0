"""Limits on how often a form may be posted (log-in, sign-up, e-mail links): beyond
``settings.RATE_LIMITS[name]`` a POST gets the 429 page (``core.views.rate_limited``).
The counts live in ``CACHES["ratelimit"]``, shared by every worker process."""

import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit

from hjulet.lib.emails import InvalidEmail, canonical_email


def address_key(address: str) -> str:
    """One key for every spelling of one address (upper case, full-width letters, the long
    s), so that spelling it differently does not start a new count."""
    try:
        return canonical_email(address)
    except InvalidEmail:
        return unicodedata.normalize("NFKC", address).strip().casefold()


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
