from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hjulet.core.maps import choropleth
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page, query_without
from hjulet.knowledge.models import Initiative
from hjulet.lib.geo import svg_view_box, view_box_around
from hjulet.regions import context as hub_context
from hjulet.regions.selectors import calls_area_first

from . import selectors, services
from .forms import (
    AssignForm,
    CallFilterForm,
    CallForm,
    CloseForm,
    DirectoryFilterForm,
    ForwardForm,
    NoteForm,
    RequestForm,
    StructureForm,
)
from .models import AdviceRequest, FundingCall, SupportStructure

PAGE_SIZE = 20


def _structures_text(count: int) -> str:
    return ngettext("%(count)d support structure", "%(count)d support structures", count) % {
        "count": count
    }


def _structure_url(structure: SupportStructure) -> str:
    return reverse("support:structure-detail", args=[structure.organisation.slug])


def _call_url(call: FundingCall) -> str:
    return reverse("support:call-detail", args=[call.slug])


# --- directory --------------------------------------------------------------------------


@for_visitors
def directory(request: HttpRequest) -> HttpResponse:
    """Where to get help: the structures that fit a place, need and audience, a page at a
    time (with a kommun the nearest first, across the pages), the county map of all of
    them, and with a kommun its open calls and a map of the län's kommuner."""
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    municipality = data.get("municipality")
    found = selectors.structures(
        municipality=municipality, need=data.get("need", ""), audience=data.get("audience", "")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    counts, national = selectors.structure_county_counts()
    counties = selectors.counties_with(counts)
    legend = choropleth(
        counties,
        count_of=lambda c: c.entry_count,
        describe=_structures_text,
        none_label=_("Only national"),
    )
    open_calls, local_map = [], None
    if municipality is not None:
        areas = selectors.municipalities_with_local_structures(municipality.county)
        local_map = {
            "areas": areas,
            "legend": choropleth(
                areas,
                count_of=lambda m: m.entry_count,
                describe=_structures_text,
                none_label=_("None of its own"),
            ),
            "view_box": view_box_around([m.svg_path for m in areas]),
            "county": municipality.county,
        }
        open_calls = list(
            selectors.calls(
                selectors.CallFilters(
                    open_now=True, municipality=municipality, audience=data.get("audience", "")
                )
            )[:5]
        )
    return render(
        request,
        "support/directory.html",
        {
            "form": form,
            "structures": page.object_list,
            "page": page,
            "total": page.paginator.count,
            "municipality": municipality,
            "counties": counties,
            "legend": legend,
            "national": national,
            "view_box": svg_view_box(),
            "open_calls": open_calls,
            "local_map": local_map,
            "query": query_without(request, "page"),
            "ask_query": urlencode(
                {
                    k: v
                    for k, v in (
                        ("municipality", municipality.code if municipality else ""),
                        ("needs", data.get("need", "")),
                    )
                    if v
                }
            ),
        },
    )


@for_visitors
def structure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    structure = get_object_or_404(selectors.structure_detail_query(), organisation__slug=slug)
    return render(
        request,
        "support/structure_detail.html",
        {
            "structure": structure,
            "can_edit": services.can_edit_structure(request.user, structure),
            "calls": selectors.calls(selectors.CallFilters(funder=structure.organisation_id)),
        },
    )


@login_required
def structure_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        StructureForm(request.POST or None, user=request.user),
        lambda _version, **data: services.structure_create(actor=request.user, **data),
        template="support/structure_form.html",
        success_message=_("The organisation is in the support directory."),
        success_url=_structure_url,
    )


@login_required
def structure_update(request: HttpRequest, slug: str) -> HttpResponse:
    structure = get_object_or_404(SupportStructure, organisation__slug=slug)
    if not services.can_edit_structure(request.user, structure):
        raise PermissionDenied(
            _("Only the organisation's members, or coordinators, can change its entry.")
        )
    return form_page(
        request,
        StructureForm(request.POST or None, instance=structure),
        lambda version, **data: services.structure_update(
            actor=request.user, structure=structure, expected_version=version, **data
        ),
        template="support/structure_form.html",
        success_message=_("The changes are saved."),
        success_url=reverse("support:structure-detail", args=[slug]),
        context={"structure": structure},
    )


# --- funding calls ----------------------------------------------------------------------


@for_visitors
def call_list(request: HttpRequest) -> HttpResponse:
    if request.GET.get("for_me"):
        return redirect(
            reverse("support:call-list") + "?" + urlencode(selectors.for_me_query(request.user))
        )
    form = CallFilterForm(request.GET or None)
    page = Paginator(
        calls_area_first(selectors.calls(form.filters()), hub_context.ordering_area(request)),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "support/call_list.html",
        {
            "form": form,
            "calls": page.object_list,
            "page": page,
            "total": page.paginator.count,
            "followed": selectors.followed_call_ids(request.user),
            "query": query_without(request, "page"),
            **hub_context.hub_context(request),
        },
    )


@for_visitors
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(selectors.call_detail_query(), slug=slug)
    return render(
        request,
        "support/call_detail.html",
        {
            "call": call,
            "can_edit": services.can_edit_call(request.user, call),
            "following": call.pk in selectors.followed_call_ids(request.user),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        CallForm(request.POST or None, user=request.user),
        lambda _version, **data: services.call_create(actor=request.user, **data),
        template="support/call_form.html",
        success_message=_("The call is published."),
        success_url=_call_url,
    )


@login_required
def call_update(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(FundingCall, slug=slug)
    if not services.can_edit_call(request.user, call):
        raise PermissionDenied(
            _("Only the funder's members, or coordinators, can change this call.")
        )
    return form_page(
        request,
        CallForm(request.POST or None, instance=call),
        lambda version, **data: services.call_update(
            actor=request.user, call=call, expected_version=version, **data
        ),
        template="support/call_form.html",
        success_message=_("The changes are saved."),
        success_url=_call_url,
        context={"call": call},
    )


@login_required
@require_POST
def call_follow(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(FundingCall, slug=slug)
    try:
        if request.POST.get("follow") == "0":
            services.call_unfollow(actor=request.user, call=call)
            messages.success(request, _("You no longer follow this call."))
        else:
            services.call_follow(actor=request.user, call=call)
            messages.success(
                request, _("You follow this call. We will remind you a week before the deadline.")
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("support:call-detail", slug=call.slug)


def calls_for_initiative(request: HttpRequest, slug: str) -> HttpResponse:
    """A fragment: the open calls that fit an initiative's challenges and region."""
    initiative = get_object_or_404(Initiative.objects.select_related("municipality"), slug=slug)
    return render(
        request,
        "support/_calls_for_initiative.html",
        {"initiative": initiative, "calls": selectors.calls_for_initiative(initiative)},
    )


# --- advice requests --------------------------------------------------------------------


def request_start(request: HttpRequest) -> HttpResponse:
    """Ask for advice (the form); anonymous visitors are asked to log in first."""
    if not request.user.is_authenticated:
        return render(request, "support/request_start.html")
    return form_page(
        request,
        RequestForm(request.POST or None, user=request.user, initial=request.GET.dict()),
        lambda _version, **data: services.request_create(actor=request.user, **data),
        template="support/request_form.html",
        success_message=_request_sent,
        success_url=lambda created: reverse("support:request-detail", args=[created.pk]),
    )


def _request_sent(created: AdviceRequest) -> str:
    if created.to_coordinators:
        return _(
            "Thank you! No support structure serves that place and need yet, so the "
            "national coordinators will take your request."
        )
    return _("Thank you! Your request has been sent to %(names)s.") % {
        "names": ", ".join(str(s) for s in created.routed_to.all())
    }


@login_required
def request_inbox(request: HttpRequest) -> HttpResponse:
    handled = selectors.handled_requests(request.user)
    status = request.GET.get("status", "open")
    shown = handled
    if status == "open":
        shown = handled.exclude(status=AdviceRequest.Status.CLOSED)
    elif status in AdviceRequest.Status.values:
        shown = handled.filter(status=status)
    return render(
        request,
        "support/request_inbox.html",
        {
            "requests": shown,
            "own": selectors.visible_requests(request.user).filter(asker=request.user),
            "waiting": selectors.waiting_overview(handled),
            "handles_any": request.user.is_coordinator or handled.exists(),
            "status": status,
            "statuses": [("open", _("Open")), *AdviceRequest.Status.choices, ("all", _("All"))],
        },
    )


def _request_for(request: HttpRequest, pk: int) -> AdviceRequest:
    advice = get_object_or_404(selectors.request_detail_query(), pk=pk)
    if not services.can_view_request(request.user, advice):
        raise Http404
    return advice


def _act_on_request(
    request: HttpRequest,
    advice: AdviceRequest,
    form: Any,
    act: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    invalid: str,
) -> HttpResponse:
    """A button on the request's page: ``act`` with the form's data, then back to the page
    saying ``done``, what the service refused, or ``invalid`` (a form not filled in)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, invalid)
    return redirect("support:request-detail", pk=advice.pk)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _request_for(request, pk)
    handles = services.handles_request(request.user, advice)
    context = {"advice": advice, "handles": handles}
    if handles and advice.is_open:
        context.update(
            assign_form=AssignForm(
                initial={"version": advice.version, "adviser": advice.adviser_id},
                advisers=services.eligible_advisers(advice),
            ),
            note_form=NoteForm(prefix="note"),
            forward_form=ForwardForm(request=advice, prefix="forward"),
            close_form=CloseForm(initial={"version": advice.version}, prefix="close"),
        )
    return render(request, "support/request_detail.html", context)


@login_required
@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _request_for(request, pk)
    return _act_on_request(
        request,
        advice,
        AssignForm(request.POST, advisers=services.eligible_advisers(advice)),
        lambda data: services.request_assign(
            actor=request.user,
            request=advice,
            adviser=data["adviser"],
            expected_version=data.get("version"),
        ),
        done=_("The adviser is assigned."),
        invalid=_("Choose an adviser."),
    )


@login_required
@require_POST
def request_note(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _request_for(request, pk)
    return _act_on_request(
        request,
        advice,
        NoteForm(request.POST, prefix="note"),
        lambda data: services.request_add_note(actor=request.user, request=advice, **data),
        done=_("Saved."),
        invalid=_("Write the note, and for a meeting give its date."),
    )


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _request_for(request, pk)
    return _act_on_request(
        request,
        advice,
        CloseForm(request.POST, prefix="close"),
        lambda data: services.request_close(
            actor=request.user,
            request=advice,
            outcome=data["outcome"],
            note=data["note"],
            initiative=data["initiative"],
            expected_version=data.get("version"),
        ),
        done=_("The request is closed and the asker is told."),
        invalid=_("Choose an outcome."),
    )


@login_required
@require_POST
def request_forward(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _request_for(request, pk)
    return _act_on_request(
        request,
        advice,
        ForwardForm(request.POST, prefix="forward"),
        lambda data: services.request_forward(
            actor=request.user, request=advice, structure=data["structure"]
        ),
        done=_("The request is sent on, and its people are told."),
        invalid=_("Choose a support structure."),
    )
