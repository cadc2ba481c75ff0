from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hjulet.arenas.models import Challenge
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page
from hjulet.core.permissions import require, require_coordinator
from hjulet.core.uploads import attachment_response, safe_filename
from hjulet.knowledge.models import Initiative, Method

from . import selectors, services
from .forms import AcceptForm, DeclineForm, ReportForm, ReviewForm, StoryForm, SuggestionForm
from .models import InitiativeSuggestion, ResearchReport, Story

SUBJECTS = {"initiativ": Initiative, "metod": Method}


# --- stories ----------------------------------------------------------------------------


@for_visitors
@require_safe
def story_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_stories(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "stories/story_list.html",
        {"page": page, "stories": page.object_list, "own": selectors.own_stories(request.user)},
    )


@for_visitors
@require_safe
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(selectors.story_query(), pk=pk)
    if not services.can_see_story(request.user, story):
        raise Http404
    return render(
        request,
        "stories/story_detail.html",
        {"story": story, "can_edit": services.can_edit_story(request.user, story)},
    )


def _initial_links(request: HttpRequest) -> dict:
    initial = {}
    for field, model, key in (
        ("initiatives", Initiative, "initiativ"),
        ("methods", Method, "metod"),
        ("challenges", Challenge, "utmaning"),
    ):
        found = model.objects.filter(slug=request.GET.get(key, "")).first()
        if found:
            initial[field] = [found.pk]
    return initial


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        StoryForm(request.POST or None, user=request.user, initial=_initial_links(request)),
        lambda _version, **data: services.story_create(actor=request.user, **data),
        template="stories/story_form.html",
        success_message=lambda story: (
            _("Your story is published.")
            if story.is_published
            else _("Thank you! A coordinator reads your story before it is published.")
        ),
        success_url=lambda story: reverse("stories:story-detail", args=[story.pk]),
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(
        services.is_reviewer(request.user),
        _("Only coordinators and moderators may review stories."),
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        pk = request.POST.get("story", "")
        story = get_object_or_404(Story, pk=int(pk) if pk.isdigit() else 0)
        if form.is_valid():
            try:
                services.story_review(actor=request.user, story=story, **form.cleaned_data)
                messages.success(request, _("The decision is saved and the author is told."))
                return redirect("stories:review-queue")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose publish or decline."))
    return render(
        request,
        "stories/review_queue.html",
        {"stories": selectors.pending_stories(), "form": form},
        status=400 if form.is_bound else 200,
    )


# --- research reports -------------------------------------------------------------------


@for_visitors
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports(), pk=pk)
    return render(
        request,
        "stories/report_detail.html",
        {"report": report, "can_edit": services.can_add_report(request.user, report.subject)},
    )


@require_safe
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ResearchReport, pk=pk)
    if not report.document:
        raise Http404
    return attachment_response(
        report.document.open("rb"), filename=safe_filename(report.title, extension="pdf")
    )


@login_required
def report_create(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    model = SUBJECTS.get(kind)
    if model is None:
        raise Http404
    subject = get_object_or_404(model, slug=slug)
    if not services.can_add_report(request.user, subject):
        raise PermissionDenied(
            _("Only those who edit the initiative or method can add research about it.")
        )
    return form_page(
        request,
        ReportForm(request.POST or None, request.FILES or None),
        lambda _version, **data: services.report_create(
            actor=request.user, subject=subject, **data
        ),
        template="stories/report_form.html",
        success_message=_("The research report is linked."),
        success_url=lambda report: reverse("stories:report-detail", args=[report.pk]),
        context={"subject": subject},
    )


@login_required
@require_POST
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports(), pk=pk)
    subject = report.subject
    services.report_delete(actor=request.user, report=report)
    messages.success(request, _("The research report is removed."))
    name = "initiative-detail" if isinstance(subject, Initiative) else "method-detail"
    return redirect(f"knowledge:{name}", slug=subject.slug)


# --- suggestions ------------------------------------------------------------------------


def suggestion_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "stories/suggestion_form.html", {"form": None})
    return form_page(
        request,
        SuggestionForm(request.POST or None),
        lambda _version, **data: services.suggestion_create(actor=request.user, **data),
        template="stories/suggestion_form.html",
        success_message=_(
            "Thank you! A coordinator reads your suggestion and tells you the answer."
        ),
        success_url=reverse("stories:my-suggestions"),
    )


@login_required
@require_safe
def my_suggestions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stories/my_suggestions.html",
        {"suggestions": selectors.own_suggestions(request.user)},
    )


@login_required
def suggestion_queue(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    status = 200
    if request.method == "POST":
        pk = request.POST.get("suggestion", "")
        suggestion = get_object_or_404(InitiativeSuggestion, pk=int(pk) if pk.isdigit() else 0)
        accepting = request.POST.get("action") == "accept"
        form = AcceptForm(request.POST) if accepting else DeclineForm(request.POST)
        if form.is_valid():
            try:
                if accepting:
                    initiative = services.suggestion_accept(
                        actor=request.user, suggestion=suggestion, **form.cleaned_data
                    )
                    messages.success(
                        request, _("The initiative is in the bank as a draft; the person is told.")
                    )
                    return redirect("knowledge:initiative-detail", slug=initiative.slug)
                services.suggestion_decline(
                    actor=request.user, suggestion=suggestion, **form.cleaned_data
                )
                messages.success(request, _("The suggestion is declined; the person is told."))
                return redirect("stories:suggestion-queue")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        status = 400
    return render(
        request,
        "stories/suggestion_queue.html",
        {"suggestions": selectors.pending_suggestions(), "accept_form": AcceptForm()},
        status=status,
    )
