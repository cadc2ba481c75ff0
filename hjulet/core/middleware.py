from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import views


class SwedishFirstLocaleMiddleware:
    """Swedish unless the person chose otherwise.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: Hjulet is a
    Swedish platform, and English is a choice made with the language switch (a cookie) or in
    the profile. API clients may ask for English with ``Accept-Language: en``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def choose(self, request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in self.supported:
            return chosen
        if request.path.startswith("/api/"):
            header = request.headers.get("Accept-Language", "")
            if header.lower().startswith("en"):
                return "en"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return user.language
        return settings.LANGUAGE_CODE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RejectNullCharactersMiddleware:
    """A NUL character means nothing in any text people send, and PostgreSQL cannot store or
    compare it: a request carrying one in its query string or JSON body gets a 400 (found by
    the API fuzz test, where it was a 500 on PostgreSQL). Forms already refuse it per field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        return False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.carries_nul(request):
            return views.bad_request(request, ValueError("NUL character"))
        return self.get_response(request)
