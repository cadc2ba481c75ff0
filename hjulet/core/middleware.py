import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
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
    """Text that no database can hold gets a 400 before any view sees it: a NUL character
    (PostgreSQL refuses to store or compare it) or a lone UTF-16 surrogate such as the JSON
    escape ``"\\ud800"`` (neither PostgreSQL nor SQLite can encode it as UTF-8). Looked for in
    the path, the query string, form fields (url-encoded and multipart, including file names)
    and JSON bodies whatever their declared content type, keys included. Without this, each
    was a 500 wherever the text reached a query (found by fuzzing the API and the forms)."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @classmethod
    def carries_unstorable_text(cls, request: HttpRequest) -> bool:
        if is_unstorable(request.path) or any_unstorable(request.GET.lists()):
            return True
        if request.content_type in cls.FORM_TYPES:
            return cls.form_carries_unstorable_text(request)
        return json_carries_unstorable_text(request.body)

    @staticmethod
    def form_carries_unstorable_text(request: HttpRequest) -> bool:
        if request.method != "POST":
            # Django parses form bodies of POSTs only, and no view takes a multipart PUT or
            # PATCH (the API parses their bodies as JSON and refuses anything else).
            if request.content_type == "multipart/form-data":
                return False
            return any_unstorable(QueryDict(request.body).lists())
        try:
            fields, files = request.POST, request.FILES
        except MultiPartParserError:
            return False  # the view answers a malformed body as it always has
        names = ((name, [file.name or "" for file in uploads]) for name, uploads in files.lists())
        return any_unstorable(fields.lists()) or any_unstorable(names)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.carries_unstorable_text(request):
            return views.unstorable_text(request)
        return self.get_response(request)


SURROGATE = re.compile("[\ud800-\udfff]")


def is_unstorable(text: str) -> bool:
    return "\x00" in text or SURROGATE.search(text) is not None


def any_unstorable(items: Iterable[tuple[str, list[str]]]) -> bool:
    return any(
        is_unstorable(key) or any(is_unstorable(value) for value in values) for key, values in items
    )


def json_carries_unstorable_text(body: bytes) -> bool:
    """Both can only come in through a ``\\u`` escape (raw NUL and raw surrogates are not
    valid JSON, and the parser refuses them itself)."""
    if b"\\u" not in body:
        return False
    try:
        return _walk_unstorable(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON (or nested past reason): the view's parser answers it


def _walk_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return is_unstorable(value)
    if isinstance(value, dict):
        return any(_walk_unstorable(k) or _walk_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_walk_unstorable(item) for item in value)
    return False


def is_id_beyond_sqlite(error: BaseException) -> bool:
    """SQLite's driver refusing an integer of more than 64 bits: an id from the URL that no
    row can have. Django keeps such values out of a model's own integer lookups, not out of
    a foreign key's (``indicator_id=pk``); PostgreSQL compares them and finds nothing."""
    return isinstance(error, OverflowError) and "SQLite INTEGER" in str(error)


class IdBeyondTheDatabaseMiddleware:
    """A page asked for with such an id is not found (the 404 page), not a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if is_id_beyond_sqlite(error):
            return response_for_exception(request, Http404())
        return None
