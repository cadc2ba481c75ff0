"""Limits on how often a form may be posted (log-in, sign-up, e-mail links) and a file
exported: beyond ``settings.RATE_LIMITS[name]`` the request gets the 429 page
(``core.views.rate_limited``)."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit

EXPORT_MESSAGE = _(
    "You have downloaded many exports in a short time. Wait a few minutes and try again; "
    "filters make an export smaller and quicker."
)


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
