"""/api/v1/hubs: the regional hubs (public) and each hub's dashboard figures (its
coordinators and advisers, and national coordinators: the same rule as the page)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from hjulet.core.api_auth import signed_in
from hjulet.core.permissions import require
from hjulet.core.schemas import ErrorOut

from . import selectors
from .models import Hub
from .permissions import can_see_dashboard
from .schemas import DashboardOut, HubOut

hubs_router = Router(tags=["regional hubs"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _hub_out(hub: Hub) -> dict[str, Any]:
    logo = hub.pictures.first()
    return {
        "slug": hub.slug,
        "name": hub.name,
        "description": hub.description,
        "brand_colour": hub.brand_colour,
        "tint_colour": hub.tint_colour,
        "host": hub.host,
        "counties": [county.code for county in hub.counties.all()],
        "municipalities": [m.code for m in hub.municipalities.all()],
        "logo_url": logo.src if logo else None,
        "url": reverse("regions:hub-start", args=[hub.slug]),
    }


@hubs_router.get("", response={200: list[HubOut]})
def list_hubs(request: HttpRequest):
    return [_hub_out(hub) for hub in selectors.hubs().prefetch_related("pictures")]


@hubs_router.get("/{slug}", response={200: HubOut, 404: ErrorOut})
def get_hub(request: HttpRequest, slug: str):
    return _hub_out(get_object_or_404(selectors.hubs(), slug=slug))


@hubs_router.get("/{slug}/dashboard", response={200: DashboardOut, **ERRORS}, auth=signed_in)
def hub_dashboard(request: HttpRequest, slug: str):
    hub = get_object_or_404(Hub, slug=slug)
    require(
        can_see_dashboard(request.auth, hub),
        _("Only the hub's coordinators and advisers, and national coordinators, see this."),
    )
    figures = selectors.dashboard(hub)
    return {
        "hub": hub.slug,
        "per_year": [
            {"year": year, "initiatives": n, "adaptations": a} for year, n, a in figures.per_year
        ],
        "open_advice_requests": figures.open_requests,
        "unassigned_advice_requests": figures.unassigned_requests,
        "median_wait_days": figures.median_wait_days,
        "median_days_to_adviser": figures.median_days_to_adviser,
        "questions_per_stage": [
            {"stage": code, "label": str(label), "questions": n}
            for code, label, n in figures.questions_per_stage
        ],
        "surveys": [
            {
                "survey": row["survey"].slug,
                "organisation": str(row["survey"].organisation),
                "invited": row["invited"],
                "answered": row["answered"],
                "responses": row["responses"],
                "response_rate_percent": row["rate"],
            }
            for row in figures.surveys
        ],
    }
