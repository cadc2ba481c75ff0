"""Limits on how often a form may be posted (log-in, sign-up, e-mail links): beyond
``settings.RATE_LIMITS[name]`` a POST gets the 429 page (``core.views.rate_limited``)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit


def posted_email(group: str, request: HttpRequest) -> str:
    """The e-mail address a log-in form was posted for, so one account cannot be guessed at
    from many addresses."""
    return request.POST.get("username", "").strip().lower()


def limited(name: str, key: str | Callable = "ip"):
    return ratelimit(
        group=f"hjulet.{name}",
        key=key,
        rate=lambda group, request: settings.RATE_LIMITS[name],
        method="POST",
        block=True,
    )
