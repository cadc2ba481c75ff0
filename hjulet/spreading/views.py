from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.exports import download
from hjulet.core.forms import submit_form
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page
from hjulet.knowledge.models import Initiative, Method
from hjulet.lib.geo import svg_view_box

from . import selectors, services
from .forms import DraftForm, MessageForm, PlanForm, StartForm, StepForm, StopForm
from .models import AdaptationDraft, PlanStep, SpreadPlan


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.plan_detail_query(), pk=pk)
    progress = selectors.plan_progress(plan)
    return render(
        request,
        "spreading/plan_detail.html",
        {
            "plan": plan,
            "progress": progress,
            "areas": selectors.plan_map_areas(plan, progress),
            "legend": [(0, _("Not in the plan")), (2, _("Planned")), (4, _("Reached"))],
            "view_box": svg_view_box(),
            "can_edit": services.can_edit_plan(request.user, plan),
            "step_form": StepForm(),
        },
    )


@for_visitors
def lessons(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything the adaptations of a method learned, a page at a time (the method's page
    shows the latest few)."""
    method = get_object_or_404(Method, slug=slug)
    every = selectors.lessons(method)["changed"]
    page = Paginator(every, selectors.LESSONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "spreading/lessons.html", {"method": method, "page": page})


@login_required
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    method = get_object_or_404(Method, slug=slug)
    if not services.can_create_plan(request.user, method):
        raise PermissionDenied(services.plan_refused())
    return form_page(
        request,
        PlanForm(request.POST or None),
        lambda _version, **data: services.plan_create(actor=request.user, method=method, **data),
        template="spreading/plan_form.html",
        success_message=_("The plan is saved. Add its steps."),
        success_url=_plan_url,
        context={"method": method},
    )


def _plan_url(plan: SpreadPlan) -> str:
    return reverse("spreading:plan-detail", args=[plan.pk])


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(SpreadPlan.objects.select_related("method"), pk=pk)
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied(_("Only the plan's owners or coordinators can change it."))
    # The form writes its values on its instance: the service compares with the stored plan.
    return form_page(
        request,
        PlanForm(request.POST or None, instance=plan),
        lambda _version, **data: services.plan_update(
            actor=request.user, plan=SpreadPlan.objects.get(pk=pk), **data
        ),
        template="spreading/plan_form.html",
        success_message=_("The changes are saved."),
        success_url=_plan_url(plan),
        context={"method": plan.method, "plan": plan},
    )


@login_required
@require_POST
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(SpreadPlan, pk=pk)
    if not services.can_edit_plan(request.user, plan):
        raise PermissionDenied(_("Only the plan's owners or coordinators can change it."))
    form = StepForm(request.POST)
    step = submit_form(
        request,
        form,
        lambda _version, **data: services.step_create(actor=request.user, plan=plan, **data),
    )
    if step is None:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("The step is added."))
    return redirect("spreading:plan-detail", pk=plan.pk)


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(PlanStep.objects.select_related("plan"), pk=pk)
    services.step_set_done(actor=request.user, step=step, done=request.POST.get("done") == "1")
    return redirect("spreading:plan-detail", pk=step.plan_id)


def plan_export(request: HttpRequest) -> HttpResponse:
    """Every plan and how far it has come, as CSV."""
    header = [
        _("Plan"),
        _("Method"),
        _("Goal"),
        _("Target number of places"),
        _("Target year"),
        _("Places reached"),
        _("Steps"),
        _("Steps done"),
    ]

    def rows():
        for plan in SpreadPlan.objects.select_related("method").prefetch_related("steps"):
            progress = selectors.plan_progress(plan)
            steps = list(plan.steps.all())
            yield [
                plan.title,
                plan.method.title,
                plan.goal,
                plan.target_places,
                plan.target_year,
                progress.reached,
                len(steps),
                sum(1 for s in steps if s.done),
            ]

    return download(
        "csv", header, rows(), filename="spridningsplaner.csv", title=_("Dissemination plans")
    )


# --- adaptation drafts ------------------------------------------------------------------


def _start(request: HttpRequest, source: Method | Initiative, **source_kw) -> HttpResponse:
    return form_page(
        request,
        StartForm(request.POST or None, user=request.user),
        lambda _version, **data: services.draft_create(actor=request.user, **source_kw, **data),
        template="spreading/draft_start.html",
        success_message=_("Your adaptation is started as a draft. Go through the checklist."),
        success_url=lambda draft: reverse("spreading:draft-edit", args=[draft.pk]),
        context=lambda: {"source": source, "places": selectors.adapting_places(source)},
    )


@login_required
def draft_start_method(request: HttpRequest, slug: str) -> HttpResponse:
    method = get_object_or_404(Method, slug=slug)
    return _start(request, method, source_method=method)


@login_required
def draft_start_initiative(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(Initiative, slug=slug)
    return _start(request, initiative, source_initiative=initiative)


@login_required
def my_drafts(request: HttpRequest) -> HttpResponse:
    return render(
        request, "spreading/my_drafts.html", {"drafts": selectors.drafts_of(request.user)}
    )


def _draft(request: HttpRequest, pk: int) -> AdaptationDraft:
    """The draft, or 404 for whoever may not read it (a draft's existence stays private)."""
    draft = get_object_or_404(
        AdaptationDraft.objects.select_related(
            "source_method", "source_initiative", "municipality", "owner", "organisation"
        ),
        pk=pk,
    )
    if not services.can_read_draft(request.user, draft):
        raise Http404
    return draft


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    return render(
        request,
        "spreading/draft_detail.html",
        {
            "draft": draft,
            "can_edit": services.can_edit_draft(request.user, draft),
            "can_talk": services.can_use_thread(request.user, draft),
            "stop_form": StopForm(),
        },
    )


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if not services.can_edit_draft(request.user, draft):
        raise PermissionDenied(services.draft_refused())
    # The form's instance carries the new values already: the service compares with the
    # stored ones.
    return form_page(
        request,
        DraftForm(request.POST or None, instance=draft, user=request.user),
        lambda version, **data: services.draft_update(
            actor=request.user,
            draft=AdaptationDraft.objects.get(pk=draft.pk),
            expected_version=version,
            **data,
        ),
        template="spreading/draft_form.html",
        success_message=_("The draft is saved."),
        success_url=reverse("spreading:draft-detail", args=[draft.pk]),
        context={"draft": draft},
    )


@login_required
@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        services.draft_publish(actor=request.user, draft=draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("spreading:draft-edit", pk=draft.pk)
    messages.success(request, _("The adaptation is published. Thank you for sharing it."))
    return redirect("spreading:draft-detail", pk=draft.pk)


@login_required
@require_POST
def draft_stop(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = StopForm(request.POST)
    if not services.can_edit_draft(request.user, draft):
        raise PermissionDenied(services.draft_refused())
    if form.is_valid():
        try:
            services.draft_stop(actor=request.user, draft=draft, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The adaptation is marked as stopped."))
    else:
        messages.error(request, _("Tell why it stopped."))
    return redirect("spreading:draft-detail", pk=draft.pk)


@login_required
def draft_thread(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if not services.can_use_thread(request.user, draft):
        raise PermissionDenied(
            _("Only the people adapting this and the original team can write in this thread.")
        )
    return form_page(
        request,
        MessageForm(request.POST or None),
        lambda _version, **data: services.message_post(actor=request.user, draft=draft, **data),
        template="spreading/draft_thread.html",
        success_message=_("The message is sent."),
        success_url=reverse("spreading:draft-thread", args=[draft.pk]),
        context=lambda: {
            "draft": draft,
            "thread": draft.messages.select_related("author"),
            "team": services.original_team(draft),
        },
    )
