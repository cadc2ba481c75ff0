"""A hub's own host name (``Hub.host``): ``/`` on that host is the hub's start page. The host
must be in ALLOWED_HOSTS too, or Django refuses the request before it gets here."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import hosts


class HubHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.method in ("GET", "HEAD"):
            hub_id = hosts.hub_id_for(request.get_host())
            if hub_id is not None:
                from .views import hub_start_for_host

                return hub_start_for_host(request, hub_id)
        return self.get_response(request)
