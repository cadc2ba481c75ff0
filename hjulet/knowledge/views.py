from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hjulet.core import audit_words
from hjulet.core.maps import choropleth
from hjulet.core.models import County
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page, query_without
from hjulet.lib.geo import svg_view_box, view_box_around
from hjulet.regions import context as hub_context
from hjulet.regions.permissions import can_coordinate

from . import jsonld, selectors, services
from .completeness import completeness
from .forms import (
    AdaptationForm,
    EditorForm,
    InitiativeForm,
    MethodForm,
    PartnerForm,
    SimilarForm,
)
from .models import Initiative, InitiativeEditor, Method, Partnership

PAGE_SIZE = 20


def _without_value(request: HttpRequest, name: str, value: str) -> str:
    """The current list's query string without one filter value (and without the page)."""
    query = request.GET.copy()
    query.pop("page", None)
    query.setlist(name, [v for v in query.getlist(name) if v != value])
    return query.urlencode()


FACET_LABELS = [
    ("challenge", gettext_lazy("Societal challenge")),
    ("target_group", gettext_lazy("Target group")),
    ("county", gettext_lazy("County")),
    ("country", gettext_lazy("Country")),
    ("stage", gettext_lazy("Stage")),
    ("sector", gettext_lazy("Sector")),
    ("method", gettext_lazy("Method")),
    ("sdg", gettext_lazy("Agenda 2030 goal")),
]


@for_visitors
def initiative_list(request: HttpRequest) -> HttpResponse:
    """The knowledge bank's list. A change of the text, a filter or the order asks htmx for
    the results again: the answer is the results with the filters, the count for the live
    region and the filter panel's summary swapped out of band. Going back in the browser's
    history asks for the whole page (htmx's history restore), which is rendered from the
    URL alone."""
    filters = selectors.InitiativeFilters.from_query(request.GET)
    results = selectors.search_initiatives(filters)
    listed = selectors.list_facets(filters, results)
    ids = selectors.hub_area_first(results.ids, hub_context.ordering_area(request))
    paged = selectors.PagedIds(ids, listed.total)
    page = Paginator(paged, PAGE_SIZE).get_page(request.GET.get("page"))
    initiatives = selectors.initiatives_by_ids(page.object_list)
    for initiative in initiatives:
        initiative.hit = results.hits.get(initiative.pk)
    active = selectors.active_filters(filters)
    context = {
        "filters": filters,
        "page": page,
        "initiatives": initiatives,
        "total": page.paginator.count,
        "facets": selectors.with_chosen_values(listed.facets, active),
        "facet_labels": FACET_LABELS,
        "active_filters": [
            {"filter": f, "remove_query": _without_value(request, f.name, f.value)} for f in active
        ],
        "without_text_query": query_without(request, "page", "q"),
        "query": query_without(request, "page"),
        "sorts": [
            ("relevance", _("Relevance")),
            ("newest", _("Newest")),
            ("title", _("Title")),
            ("started", _("Start date")),
        ],
        "export_query": query_without(request, "page"),
        **hub_context.hub_context(request),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "knowledge/_initiative_update.html" if partial else "knowledge/initiative_list.html"
    return render(request, template, context)


@for_visitors
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(selectors.initiative_detail_query(), slug=slug)
    similar = selectors.similar_to_entry(initiative, limit=4)
    can_edit = services.can_edit_initiative(request.user, initiative)
    can_manage = can_edit and services.can_manage_initiative(request.user, initiative)
    partner_q = request.GET.get("partner_q", "").strip()[:200]
    return render(
        request,
        "knowledge/initiative_detail.html",
        {
            "initiative": initiative,
            "lead": selectors.lead_of(initiative),
            "can_edit": can_edit,
            "can_manage": can_manage,
            "can_review": can_coordinate(request.user, initiative),
            "pending_partners": selectors.pending_partnerships(initiative) if can_edit else [],
            "editors": selectors.editors_of(initiative) if can_edit else [],
            "editor_form": EditorForm(initiative=initiative) if can_manage else None,
            "completeness": completeness(initiative),
            "similar": similar,
            "history": audit_words.describe(list(selectors.history(initiative)[:20])),
            "json_ld": jsonld.initiative(initiative, request),
            "partner_q": partner_q,
            "partner_form": PartnerForm(search=partner_q) if can_edit and partner_q else None,
        },
    )


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None, user=request.user)
    leads = form.fields["lead"].queryset
    if not request.user.is_coordinator and not leads.exists():
        messages.info(
            request,
            _(
                "Register your organisation first (or ask to be invited to "
                "it); an initiative is always led by an organisation."
            ),
        )
        return redirect(_organisation_create_returning_to(request.path))
    chosen = request.GET.get("organisation", "")
    if not form.is_bound and chosen.isdigit() and leads.filter(pk=chosen).exists():
        form.initial["lead"] = int(chosen)  # just registered on the way here
    return form_page(
        request,
        form,
        lambda _version, **data: services.initiative_create(actor=request.user, **data),
        template="knowledge/initiative_form.html",
        success_message=_("The initiative is registered. Thank you for sharing!"),
        success_url=_initiative_url,
        context={"new_organisation_url": _organisation_create_returning_to(request.path)},
    )


def _initiative_url(initiative: Initiative) -> str:
    return reverse("knowledge:initiative-detail", args=[initiative.slug])


def _editable_initiative(request: HttpRequest, slug: str) -> Initiative:
    initiative = get_object_or_404(Initiative, slug=slug)
    if not services.can_edit_initiative(request.user, initiative):
        raise PermissionDenied(services.edit_refused())
    return initiative


def _organisation_create_returning_to(path: str) -> str:
    return f"{reverse('accounts:organisation-create')}?{urlencode({'next': path})}"


@login_required
def initiative_update(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _editable_initiative(request, slug)
    return form_page(
        request,
        InitiativeForm(request.POST or None, instance=Initiative.objects.get(pk=initiative.pk)),
        lambda version, **data: services.initiative_update(
            actor=request.user, initiative=initiative, expected_version=version, **data
        ),
        template="knowledge/initiative_form.html",
        success_message=_("The changes are saved."),
        success_url=_initiative_url,
        context={"initiative": initiative},
    )


def similar(request: HttpRequest) -> HttpResponse:
    """The "finns det redan?" panel, refreshed by htmx while someone types."""
    form = SimilarForm(request.GET)
    text = ""
    if form.is_valid():
        text = f"{form.cleaned_data['title']} {form.cleaned_data['summary']}".strip()
    found = selectors.similar_entries(text) if len(text) >= 3 else {}
    return render(request, "knowledge/_similar.html", {"similar": found, "text": text})


@login_required
def adaptation_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _editable_initiative(request, slug)
    return form_page(
        request,
        AdaptationForm(request.POST or None, initiative=initiative),
        lambda _version, **data: services.adaptation_create(
            actor=request.user, initiative=initiative, **data
        ),
        template="knowledge/adaptation_form.html",
        success_message=_("The adaptation is recorded."),
        success_url=_initiative_url(initiative),
        context={"initiative": initiative},
    )


@login_required
@require_POST
def partner_add(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(Initiative, slug=slug)
    form = PartnerForm(request.POST)
    if form.is_valid():
        try:
            partnership = services.partnership_set(
                actor=request.user, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The partner is added.")
                if not partnership.is_pending
                else _(
                    "%(name)s is asked to be a partner. Its administrators are told; the "
                    "organisation is shown as a partner once they accept."
                )
                % {"name": partnership.organisation.name},
            )
    else:
        messages.error(request, _("Choose an organisation and a role."))
    return redirect("knowledge:initiative-detail", slug=initiative.slug)


@login_required
@require_POST
def partner_remove(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.select_related("initiative"), pk=pk)
    try:
        services.partnership_remove(actor=request.user, partnership=partnership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("knowledge:initiative-detail", slug=partnership.initiative.slug)


@login_required
@require_POST
def review(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    model = {"initiativ": Initiative, "metoder": Method}.get(kind)
    if model is None:
        return HttpResponse(status=404)
    entry = get_object_or_404(model, slug=slug)
    services.entry_review(
        actor=request.user,
        entry=entry,
        reviewed=request.POST.get("reviewed") == "1",
        featured=request.POST.get("featured") == "1",
    )
    messages.success(request, _("Saved."))
    return redirect(request.POST.get("next") or "/")


# --- methods ----------------------------------------------------------------------------


@for_visitors
def method_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    page = Paginator(selectors.methods_list(q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "methods": page.object_list,
        "page": page,
        "q": q,
        "query": query_without(request, "page"),
    }
    return render(request, "knowledge/method_list.html", context)


def _initiatives_text(count: int) -> str:
    return ngettext("%(count)d initiative", "%(count)d initiatives", count) % {"count": count}


@for_visitors
def method_detail(request: HttpRequest, slug: str) -> HttpResponse:
    method = get_object_or_404(selectors.method_detail_query(), slug=slug)
    spread = selectors.method_spread(method)
    counties = selectors.areas_with_counts(spread.county_counts, "county")
    county_legend = choropleth(
        counties,
        count_of=lambda c: c.entry_count,
        describe=_initiatives_text,
        none_label=_("Not used"),
    )
    municipalities = selectors.areas_with_counts(spread.municipality_counts, "municipality")
    municipality_legend = choropleth(
        municipalities,
        count_of=lambda m: m.entry_count,
        describe=_initiatives_text,
        none_label=_("Not used"),
    )
    return render(
        request,
        "knowledge/method_detail.html",
        {
            "method": method,
            "spread": spread,
            "counties": counties,
            "county_legend": county_legend,
            "international_count": spread.international,
            "international_url": reverse("knowledge:initiative-list")
            + f"?method={method.slug}&country={selectors.INTERNATIONAL}",
            "municipalities": municipalities,
            "municipality_legend": municipality_legend,
            "used_in": [m for m in municipalities if m.count],
            "places": len(spread.municipality_counts),
            "view_box": svg_view_box(),
            "can_edit": services.can_edit_method(request.user, method),
            "completeness": completeness(method),
            "similar": selectors.similar_to_entry(method, limit=4),
            "history": audit_words.describe(list(selectors.history(method)[:20])),
            "json_ld": jsonld.method(method, request),
            "list_url": reverse("knowledge:initiative-list")
            + f"?method={method.slug}&sort=started",
        },
    )


@for_visitors
def method_spread(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole tree of who adapted a method from whom, a number of trees per page."""
    method = get_object_or_404(Method, slug=slug)
    tree = selectors.spread_tree(method)
    page = Paginator(tree.roots, selectors.TREES_PER_PAGE).get_page(request.GET.get("page"))
    shown = [pk for root in page.object_list for pk in tree.nodes(root)]
    return render(
        request,
        "knowledge/method_spread.html",
        {"method": method, "tree": tree, "nodes": tree.render(shown), "page": page},
    )


@login_required
def method_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        MethodForm(request.POST or None),
        lambda _version, **data: services.method_create(actor=request.user, **data),
        template="knowledge/method_form.html",
        success_message=_("The method is described. Thank you for sharing!"),
        success_url=_method_url,
    )


def _method_url(method: Method) -> str:
    return reverse("knowledge:method-detail", args=[method.slug])


@login_required
def method_update(request: HttpRequest, slug: str) -> HttpResponse:
    method = get_object_or_404(Method, slug=slug)
    if not services.can_edit_method(request.user, method):
        raise PermissionDenied(services.method_edit_refused())
    return form_page(
        request,
        MethodForm(request.POST or None, instance=Method.objects.get(pk=method.pk)),
        lambda version, **data: services.method_update(
            actor=request.user, method=method, expected_version=version, **data
        ),
        template="knowledge/method_form.html",
        success_message=_("The changes are saved."),
        success_url=_method_url,
        context={"method": method},
    )


@for_visitors
def knowledge_map(request: HttpRequest) -> HttpResponse:
    """Initiatives on the map of Sweden by county, or by municipality within one county;
    inside a regional hub its area's rows come first in the table."""
    list_url = reverse("knowledge:initiative-list")
    county = County.objects.filter(code=request.GET.get("lan", "")).first()
    if county is None:
        areas = selectors.areas_with_counts(selectors.initiative_counts("county"), "county")
        url_of = lambda c: reverse("knowledge:map") + f"?lan={c.code}"  # noqa: E731
        view_box = svg_view_box()
        title = _("Map of Sweden's counties, shaded by the number of initiatives")
    else:
        areas = selectors.areas_with_counts(
            selectors.initiative_counts("municipality"), "municipality", county=county
        )
        url_of = lambda m: f"{list_url}?municipality={m.code}"  # noqa: E731
        view_box = view_box_around([m.svg_path for m in areas])
        title = _(
            "Map of the municipalities in %(county)s, shaded by the number of initiatives"
        ) % {"county": county.name}
    legend = choropleth(
        areas,
        count_of=lambda a: a.entry_count,
        describe=_initiatives_text,
        none_label=_("No initiatives"),
        url_of=url_of,
    )
    hub_area = hub_context.ordering_area(request)
    if hub_area is not None:  # the hub's counties (or kommuner) first in the table
        inside = hub_area.codes if county else hub_area.touched_counties
        areas = sorted(areas, key=lambda a: a.code not in inside)
    return render(
        request,
        "knowledge/map.html",
        {
            "county": county,
            "areas": areas,
            **hub_context.hub_context(request),
            "legend": legend,
            "view_box": view_box,
            "map_title": title,
            "map_id": "initiatives",
            "international_count": 0 if county else selectors.international_count(),
            "international_url": f"{list_url}?country={selectors.INTERNATIONAL}",
        },
    )


@login_required
@require_POST
def partner_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner organisation's administrators accept or decline a request."""
    partnership = get_object_or_404(
        Partnership.objects.select_related("initiative", "organisation"), pk=pk
    )
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose whether to accept or decline."))
        return redirect("accounts:organisation-detail", slug=partnership.organisation.slug)
    if not services.can_answer_for(request.user, partnership.organisation):
        raise PermissionDenied(services.answer_refused())
    try:
        if answer == "accept":
            services.partnership_accept(actor=request.user, partnership=partnership)
            messages.success(
                request,
                _("%(name)s is now shown as a partner of %(initiative)s.")
                % {"name": partnership.organisation.name, "initiative": partnership.initiative},
            )
        else:
            services.partnership_decline(actor=request.user, partnership=partnership)
            messages.success(request, _("The request is declined."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:organisation-detail", slug=partnership.organisation.slug)


@login_required
@require_POST
def editor_add(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(Initiative, slug=slug)
    if not services.can_manage_initiative(request.user, initiative):
        raise PermissionDenied(services.manage_refused())
    form = EditorForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            editor = services.initiative_editor_add(
                actor=request.user, initiative=initiative, user=form.cleaned_data["user"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s can now edit the initiative and follow up its impact.")
                % {"name": editor.user.display_name},
            )
    else:
        messages.error(request, _("Choose a person from the list."))
    return redirect(reverse("knowledge:initiative-detail", args=[initiative.slug]) + "#editors")


@login_required
@require_POST
def editor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    editor = get_object_or_404(InitiativeEditor.objects.select_related("initiative", "user"), pk=pk)
    services.initiative_editor_remove(actor=request.user, editor=editor)
    messages.success(
        request,
        _("%(name)s is no longer an editor of the initiative.")
        % {"name": editor.user.display_name},
    )
    return redirect(
        reverse("knowledge:initiative-detail", args=[editor.initiative.slug]) + "#editors"
    )
