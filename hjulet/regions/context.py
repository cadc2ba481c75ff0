"""The current hub of a request: the hub of the host name, else the one in the address
(``/region/<slug>/``, remembered in the session from then on), else the one remembered. With
``?hela_sverige=1`` a page shows the national bank as it is, without a hub's order."""

from typing import Any

from django.http import HttpRequest

from hjulet.core.pages import query_without

from . import hosts
from .area import Area
from .models import Hub

SESSION_KEY = "hjulet_hub"
NATIONAL_PARAMETER = "hela_sverige"
_MEMO = "_hjulet_current_hub"


def remember(request: HttpRequest, hub: Hub) -> None:
    if hasattr(request, "session") and request.session.get(SESSION_KEY) != hub.slug:
        request.session[SESSION_KEY] = hub.slug
    setattr(request, _MEMO, hub)


def host_hub(request: HttpRequest) -> Hub | None:
    hub_id = hosts.hub_id_for(request.get_host())
    return Hub.objects.filter(pk=hub_id).first() if hub_id else None


def current_hub(request: HttpRequest) -> Hub | None:
    if not hasattr(request, _MEMO):
        hub = host_hub(request)
        if hub is None and hasattr(request, "session"):
            slug = request.session.get(SESSION_KEY)
            hub = Hub.objects.filter(slug=slug).first() if slug else None
        setattr(request, _MEMO, hub)
    return getattr(request, _MEMO)


def wants_national(request: HttpRequest) -> bool:
    return request.GET.get(NATIONAL_PARAMETER) == "1"


def ordering_area(request: HttpRequest) -> Area | None:
    """The area a list puts first: the current hub's, unless the person asked for the whole
    of Sweden."""
    if wants_national(request):
        return None
    hub = current_hub(request)
    return hub.area() if hub is not None else None


def national_url(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query[NATIONAL_PARAMETER] = "1"
    return f"{request.path}?{query.urlencode()}"


def hub_order_url(request: HttpRequest) -> str:
    """The page as it is, in the hub's order (what else was asked for is kept)."""
    query = query_without(request, "page", NATIONAL_PARAMETER)
    return f"{request.path}?{query}" if query else request.path


def hub_context(request: HttpRequest) -> dict[str, Any]:
    """What a list's template shows about the hub it is ordered by (``_hub_notice.html``)."""
    hub = current_hub(request)
    if hub is None:
        return {"hub_notice": None}
    return {
        "hub_notice": {
            "hub": hub,
            "national": wants_national(request),
            "national_url": national_url(request),
            "hub_url": hub_order_url(request),
        }
    }
