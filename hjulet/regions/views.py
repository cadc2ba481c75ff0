"""Pages of the regional hubs: the list, a hub's start page (which also makes it the
person's current hub), its colours as a style sheet, its dashboard, and the national
coordinators' pages for setting hubs up."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hjulet.accounts.models import User
from hjulet.core.pages import form_page
from hjulet.core.permissions import require

from . import context, dashboards, selectors, services
from .forms import HubForm, HubPersonForm
from .models import Hub, HubPerson
from .permissions import can_see_dashboard


@require_safe
def hub_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "regions/hub_list.html",
        {
            "hubs": selectors.hubs(),
            "can_manage": services.can_manage_hubs(request.user),
            "current": context.current_hub(request),
        },
    )


def _start(request: HttpRequest, hub: Hub, *, on_own_host: bool) -> HttpResponse:
    context.remember(request, hub)
    return render(
        request,
        "regions/hub_start.html",
        {
            "hub": hub,
            "logo": hub.pictures.first(),
            "on_own_host": on_own_host,
            "can_edit": services.can_edit_hub(request.user, hub),
            "can_see_dashboard": can_see_dashboard(request.user, hub),
            **selectors.start_page(hub),
        },
    )


@require_safe
def hub_start(request: HttpRequest, slug: str) -> HttpResponse:
    return _start(request, get_object_or_404(Hub, slug=slug), on_own_host=False)


def hub_start_for_host(request: HttpRequest, hub_id: int) -> HttpResponse:
    """``/`` on a hub's own host name (``middleware.HubHostMiddleware``)."""
    return _start(request, get_object_or_404(Hub, pk=hub_id), on_own_host=True)


@require_safe
def hub_colours(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub's colours as CSS custom properties (a style sheet, since the page's CSP allows
    no inline styles). The colours were checked for AA contrast when they were saved."""
    hub = get_object_or_404(Hub, slug=slug)
    css = (
        f":root {{ --hub-brand: {hub.brand_colour}; --hub-tint: {hub.tint_colour}; "
        "--hub-on-brand: #ffffff; --hub-on-tint: #000000; }\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response


@login_required
@require_safe
def hub_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_object_or_404(Hub, slug=slug)
    require(
        can_see_dashboard(request.user, hub),
        _("Only the hub's coordinators and advisers, and national coordinators, see this."),
    )
    return render(request, "regions/hub_dashboard.html", {"hub": hub, **dashboards.page(hub)})


def _require_manage(request: HttpRequest) -> None:
    require(
        services.can_manage_hubs(request.user),
        _("Only national coordinators may set up regional hubs and their people."),
    )


@login_required
def hub_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    return form_page(
        request,
        HubForm(request.POST or None),
        lambda _version, **data: services.hub_create(actor=request.user, **data),
        template="regions/hub_form.html",
        success_message=_("The hub is set up."),
        success_url=_hub_url,
        context={"hub": None},
    )


def _hub_url(hub: Hub) -> str:
    return reverse("regions:hub-start", args=[hub.slug])


@login_required
def hub_update(request: HttpRequest, slug: str) -> HttpResponse:
    _require_manage(request)
    hub = get_object_or_404(Hub, slug=slug)
    return form_page(
        request,
        HubForm(request.POST or None, instance=Hub.objects.get(pk=hub.pk)),
        lambda _version, **data: services.hub_update(actor=request.user, hub=hub, **data),
        template="regions/hub_form.html",
        success_message=_("Saved."),
        success_url=_hub_url,
        context={"hub": hub},
    )


@login_required
def hub_people(request: HttpRequest, slug: str) -> HttpResponse:
    _require_manage(request)
    hub = get_object_or_404(Hub, slug=slug)
    form = HubPersonForm(request.POST or None)

    def add(_version: Any, email: str, role: str) -> HubPerson:
        user = User.objects.by_email(email).first()
        if user is None:
            raise ValidationError({"email": _("No account has this e-mail address.")})
        return services.hub_person_add(actor=request.user, hub=hub, user=user, role=role)

    return form_page(
        request,
        form,
        add,
        template="regions/hub_people.html",
        success_message=lambda person: (
            _("%(name)s is now %(role)s.")
            % {"name": person.user.display_name, "role": person.get_role_display().lower()}
        ),
        success_url=reverse("regions:hub-people", args=[hub.slug]),
        context=lambda: {"hub": hub, "people": selectors.hub_people(hub)},
    )


@login_required
@require_POST
def hub_person_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _require_manage(request)
    hub = get_object_or_404(Hub, slug=slug)
    person = get_object_or_404(HubPerson, pk=pk, hub=hub)
    services.hub_person_remove(actor=request.user, person=person)
    messages.success(
        request, _("%(name)s no longer has a role in the hub.") % {"name": person.user.display_name}
    )
    return redirect("regions:hub-people", slug=hub.slug)
