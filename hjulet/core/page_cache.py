"""Whole pages kept for visitors who are not signed in, until anything changes.

Most of Hjulet's traffic is people who read without signing in: the start page, the lists,
an initiative or a method. For them a page depends only on its address, the language, the
host (a regional hub has its own), whether htmx asked for a part of it, and the content,
so it can be rendered once and served again until any audited write moves the content
generation on (``core.freshness``; every worker and app server sees it). A view opts in
with ``@for_visitors``; the API's GET endpoints are in when no credentials come with them.

Kept out, always:
- anyone signed in, or carrying a session (messages, a half-done form) or the cookie that
  sends a person who just wrote to the primary database;
- anything but a plain 200 without cookies of its own and without ``private``/``no-store``;
- a page that rendered a form with a one-time submission token (``SubmitOnceMixin`` calls
  ``not_for_visitors()``): two visitors must never share one.

The CSRF token is the one part that differs between visitors. Pages kept here are rendered
with a placeholder in its place (``csrf_placeholder`` context processor), and each response
gets the visitor's own token, so every form and htmx request on a kept page still passes
Django's CSRF check.
"""

import hashlib
import zlib
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache as once
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

from . import freshness
from .db_router import COOKIE as PRIMARY_COOKIE

#: Headers of the view's response that a kept page carries again.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Link")
#: Pages larger than this are rendered each time (a kept page should not crowd out many).
MAX_BYTES = 1024 * 1024
API_NAMESPACE = "api"
#: The API's own description and its page: they read no content, so nothing to keep.
API_DOCUMENTS = ("openapi-json", "openapi-view")

#: The request being served, while it may be kept: ``{"keep": bool}``. A dict and not a
#: bool, so that a form marking it from a copied context still reaches the middleware.
_candidate: ContextVar[dict[str, bool] | None] = ContextVar("page_cache_candidate", default=None)


def for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a GET view whose page, for a visitor not signed in, depends on nothing but the
    request's address, language, host and htmx flags, and the content."""
    view.for_visitors = True  # type: ignore[attr-defined]
    return view


def not_for_visitors() -> None:
    """The page being rendered holds something of its own (a one-time token): don't keep it."""
    candidate = _candidate.get()
    if candidate is not None:
        candidate["keep"] = False


@once
def placeholder() -> str:
    """What stands in a kept page where each visitor's CSRF token goes. Derived from the
    secret key: the same in every process, and no one can make a page echo it (in a search
    word, say) to have their token written there."""
    return salted_hmac("hjulet.core.page_cache", "csrf placeholder").hexdigest()


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: on a page that may be kept, the placeholder stands where the CSRF
    token goes (it follows Django's own ``csrf`` processor and takes its place)."""
    if getattr(request, "page_cache_key", None):
        return {"csrf_token": placeholder()}
    return {}


class VisitorPageCacheMiddleware:
    """Serves and keeps the pages of ``for_visitors`` views and the open API's GETs. Placed
    after the CSRF, session, authentication and language middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key and request.page_cache_candidate["keep"] and _may_keep(response):
            caches["pages"].set(key, _packed(response), settings.PAGE_CACHE_SECONDS)
        _candidate.set(None)
        if key or getattr(request, "page_cache_hit", False):
            _give_visitor_token(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not _may_serve(request, view):
            return None
        key = _key(request)
        packed = caches["pages"].get(key)
        if packed is not None:
            request.page_cache_hit = True
            return _unpacked(packed)
        request.page_cache_key = key
        request.page_cache_candidate = {"keep": True}
        _candidate.set(request.page_cache_candidate)
        return None


def _may_serve(request: HttpRequest, view: Callable[..., Any]) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or PRIMARY_COOKIE in request.COOKIES:
        return False
    if "Authorization" in request.headers or request.user.is_authenticated:
        return False
    if getattr(view, "for_visitors", False):
        return True
    match = request.resolver_match
    return (
        match is not None
        and match.namespace == API_NAMESPACE
        and match.url_name not in API_DOCUMENTS
    )


def _key(request: HttpRequest) -> str:
    htmx = "".join(
        "1" if request.headers.get(name) else "0"
        for name in ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
    )
    address = f"{request.get_host()}|{htmx}|{request.get_full_path()}"
    return freshness.key("page:" + hashlib.sha256(address.encode()).hexdigest())


def _may_keep(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    return len(response.content) <= MAX_BYTES


def _packed(response: HttpResponse) -> tuple[bytes, dict[str, str]]:
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return zlib.compress(response.content, 1), headers


def _unpacked(packed: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = packed
    return HttpResponse(zlib.decompress(content), headers=headers)


def _give_visitor_token(request: HttpRequest, response: HttpResponse) -> None:
    """Put this visitor's CSRF token where the placeholder stands (and so have Django's
    CSRF middleware send the cookie it belongs to)."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return
    stand_in = placeholder().encode()
    if stand_in in response.content:
        response.content = response.content.replace(stand_in, get_token(request).encode())
