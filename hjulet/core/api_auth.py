"""API authentication: a personal token (``Authorization: Bearer hjl_…``) or the browser
session (with its CSRF token on writes). Reads of public data need neither."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf


class HjuletAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"

    def __init__(self, *, allow_anonymous: bool) -> None:
        self.allow_anonymous = allow_anonymous
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        from hjulet.accounts.services import api_token_authenticate

        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, secret = header.partition(" ")
            user = api_token_authenticate(secret.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise AuthenticationError(401, _("The API token is not valid."))
            request.user = user
            return user
        if request.user.is_authenticated:
            if check_csrf(request) is not None:
                raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
            return request.user
        if self.allow_anonymous:
            return AnonymousUser()
        return None


public = HjuletAuth(allow_anonymous=True)
signed_in = HjuletAuth(allow_anonymous=False)
