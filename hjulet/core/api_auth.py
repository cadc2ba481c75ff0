"""API authentication: a personal token (``Authorization: Bearer hjl_…``) or the browser
session (with its CSRF token on writes). Reads of public data need neither.

A token expires (401 after that) and has a scope: a ``read`` token is refused (403) on every
method that may write, whatever the endpoint."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SECURITY_DESCRIPTION = (
    "Personlig API-nyckel: `Authorization: Bearer hjl_…`, skapas på din profilsida och visas "
    "bara en gång. Varje nyckel gäller en vald tid (30, 90 eller 365 dagar, högst 365) och "
    "ger svaret 401 när den har gått ut. Behörigheten är `read` (bara läsning: GET; "
    "POST, PUT, PATCH och DELETE ger 403) eller `read_write`. Alla nycklar återkallas när "
    "lösenordet byts eller återställs och när kontot raderas. Senast använd visas på "
    "profilsidan."
)


class TokenExpired(Exception):
    """Raised by the token check for a token that was valid but whose time is up."""

    def __init__(self, expires_at: Any) -> None:
        super().__init__(expires_at)
        self.expires_at = expires_at


def check_token(secret: str) -> Any:
    """The person a token belongs to, or None. The tokens live in the accounts app, above
    this layer: ``settings.API_TOKEN_CHECK`` names the function that checks them."""
    return import_string(settings.API_TOKEN_CHECK)(secret)


class HjuletAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "hjl_…"
    openapi_description = SECURITY_DESCRIPTION

    def __init__(self, *, allow_anonymous: bool) -> None:
        self.allow_anonymous = allow_anonymous
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            token = self._token(header)
            if token.is_read_only and request.method not in READ_METHODS:
                raise HttpError(
                    403,
                    _(
                        "This API token is read-only: it cannot change anything. Create a "
                        "token with read and write access on your profile page."
                    ),
                )
            request.user = token.user
            request.api_token = token
            return token.user
        if request.user.is_authenticated:
            if check_csrf(request) is not None:
                raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
            return request.user
        if self.allow_anonymous:
            return AnonymousUser()
        return None

    @staticmethod
    def _token(header: str) -> Any:
        scheme, _sep, secret = header.partition(" ")
        try:
            token = check_token(secret.strip()) if scheme.lower() == "bearer" else None
        except TokenExpired as expired:
            expired_on = timezone.localtime(expired.expires_at)
            raise AuthenticationError(
                401,
                _("The API token expired on %(date)s. Create a new one on your profile page.")
                % {"date": formats.date_format(expired_on, "Y-m-d")},
            ) from None
        if token is None:
            raise AuthenticationError(401, _("The API token is not valid."))
        return token


public = HjuletAuth(allow_anonymous=True)
signed_in = HjuletAuth(allow_anonymous=False)
