from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a person without a public name can still use: signing out, the language switch,
# their own data and account, files and the API (which does not use the session).
ALLOWED_PREFIXES = ("/static/", "/media/", "/api/", "/sprak/", "/admin/")
ALLOWED_ROUTES = (
    "accounts:display-name",
    "accounts:logout",
    "accounts:export-data",
    "accounts:delete-account",
)


class DisplayNameMiddleware:
    """Leads a signed-in person who has no public name to the page where they choose one,
    then back (``next``). Only pages opened with GET: a form being sent is never lost, and
    the page that follows it asks instead. htmx fragments are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_choose(request):
            target = reverse("accounts:display-name")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_choose(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.needs_display_name:
            return False
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return False
        if request.path.startswith(ALLOWED_PREFIXES):
            return False
        return request.path not in {reverse(name) for name in ALLOWED_ROUTES}
