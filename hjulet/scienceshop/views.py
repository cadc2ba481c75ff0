from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.forms import submit_form
from hjulet.core.mail import absolute_url
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page
from hjulet.core.permissions import require, require_coordinator
from hjulet.lib import ical
from hjulet.regions.permissions import (
    can_coordinate,
    coordinates_somewhere,
    require_can_coordinate,
)

from . import selectors, services
from .forms import (
    AssignmentForm,
    DecisionForm,
    FollowUpForm,
    FormulationForm,
    InterestForm,
    MeetingForm,
    OutcomeForm,
    QuestionForm,
    ResearcherProfileForm,
)
from .models import Meeting, Question, ResearcherProfile
from .workflow import (
    DECISIONS,
    FORMULATION_OPEN,
    MEETINGS_OPEN,
    OPEN_TO_RESEARCHERS,
    OUTCOMES,
    Status,
)

PAGE_SIZE = 20


@for_visitors
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scienceshop/index.html",
        {"summaries": selectors.published_summaries()[:5]},
    )


# --- asking -----------------------------------------------------------------------------


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        messages.info(
            request,
            _(
                "Questions to the science shop come from organisations. Register your "
                "organisation first, or ask to be invited to it."
            ),
        )
        return redirect("accounts:organisation-create")
    return form_page(
        request,
        form,
        lambda _version, **data: services.question_submit(actor=request.user, **data),
        template="scienceshop/question_form.html",
        success_message=_(
            "Thank you! The question is sent; a coordinator will contact you about it."
        ),
        success_url=_question_url,
    )


def _question_url(question: Question) -> str:
    return reverse("scienceshop:question-detail", args=[question.pk])


def _question_list(request: HttpRequest, questions: Any, heading: str, intro: str) -> HttpResponse:
    status = request.GET.get("status", "")
    if status in Status.values:
        questions = questions.filter(status=status)
    page = Paginator(questions.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scienceshop/question_list.html",
        {
            "page": page,
            "heading": heading,
            "intro": intro,
            "status": status,
            "statuses": Status.choices,
            "query": f"status={status}" if status else "",
        },
    )


@login_required
def my_questions(request: HttpRequest) -> HttpResponse:
    return _question_list(
        request,
        selectors.organisation_questions(request.user),
        _("My organisation's questions"),
        _("Questions your organisations have sent to the science shop."),
    )


@login_required
def open_questions(request: HttpRequest) -> HttpResponse:
    require(
        request.user.is_researcher or request.user.is_coordinator,
        _("Open questions are shown to researchers. Ask a coordinator for the researcher role."),
    )
    return _question_list(
        request,
        selectors.open_questions(),
        _("Open questions"),
        _("Accepted questions that researchers and students can take on."),
    )


@login_required
def all_questions(request: HttpRequest) -> HttpResponse:
    require(coordinates_somewhere(request.user), _("Only coordinators may do this."))
    return _question_list(
        request,
        selectors.visible_questions(request.user),
        _("All questions"),
        _("Every question to the science shop, newest first."),
    )


# --- one question -----------------------------------------------------------------------


def _question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(selectors.question_detail_query(), pk=pk)
    services.require_view(request.user, question)
    return question


def _detail(request: HttpRequest, question: Question, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    is_coordinator = can_coordinate(user, question)
    is_member = services.is_member(user, question.organisation_id)
    is_assigned = services.is_assigned(user, question)
    open_status = question.status
    context = {
        "question": question,
        "outcome": selectors.outcome_of(question),
        "events": question.events.all(),
        "formulations": question.formulations.all(),
        "is_coordinator": is_coordinator,
        "can_formulate": (is_coordinator or is_member) and open_status in FORMULATION_OPEN,
        "can_decide": is_coordinator
        and any(d in selectors.next_statuses(question) for d in DECISIONS),
        "can_assign": is_coordinator
        and open_status in (Status.ACCEPTED, Status.MATCHED, Status.IN_PROGRESS),
        "can_see_meetings": is_coordinator or is_member or is_assigned,
        "can_meet": (is_coordinator or is_assigned) and open_status in MEETINGS_OPEN,
        "can_record_outcome": (is_coordinator or is_assigned)
        and any(s in selectors.next_statuses(question) for s in OUTCOMES),
        "can_show_interest": user.is_researcher
        and open_status in OPEN_TO_RESEARCHERS
        and not question.interests.filter(researcher=user).exists(),
        "can_follow_up": (is_member or is_coordinator)
        and open_status in OUTCOMES
        and not hasattr(question, "follow_up"),
        "formulation_form": forms.get("formulation_form") or FormulationForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "interest_form": forms.get("interest_form") or InterestForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
    }
    return render(request, "scienceshop/question_detail.html", context, status=status)


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _question(request, pk))


def _action(request: HttpRequest, pk: int, form_name: str, form_class, save, success: str):
    """POST of one of the detail page's forms: on success back to the page, else the page
    again with the form's errors (400)."""
    question = _question(request, pk)
    form = form_class(request.POST)
    if submit_form(request, form, lambda _version, **data: save(question, data)) is not None:
        messages.success(request, success)
        return redirect("scienceshop:question-detail", pk=question.pk)
    return _detail(request, question, status=400, **{form_name: form})


@login_required
@require_POST
def formulation_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "formulation_form",
        FormulationForm,
        lambda q, data: services.formulation_add(actor=request.user, question=q, **data),
        _("The new formulation is saved."),
    )


@login_required
@require_POST
def question_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "decision_form",
        DecisionForm,
        lambda q, data: services.question_decide(actor=request.user, question=q, **data),
        _("The decision is saved and the organisation is told."),
    )


@login_required
@require_POST
def interest_express(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "interest_form",
        InterestForm,
        lambda q, data: services.interest_express(actor=request.user, question=q, **data),
        _("Thank you! The coordinator is told that you are interested."),
    )


@login_required
@require_POST
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "meeting_form",
        MeetingForm,
        lambda q, data: services.meeting_create(actor=request.user, question=q, **data),
        _("The meeting is saved."),
    )


@login_required
@require_POST
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "follow_up_form",
        FollowUpForm,
        lambda q, data: services.follow_up_record(actor=request.user, question=q, **data),
        _("Thank you for telling us how the result was used."),
    )


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    require_can_coordinate(request.user, question)
    return form_page(
        request,
        AssignmentForm(request.POST or None),
        lambda _version, **data: services.assignment_create(
            actor=request.user, question=question, **data
        ),
        template="scienceshop/assign.html",
        success_message=lambda assignment: _("%(name)s is assigned.") % {"name": assignment},
        success_url=_question_url(question),
        context=lambda: {
            "question": question,
            "suggestions": selectors.suggest_researchers(question),
            "interests": question.interests.all(),
        },
    )


@login_required
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    services.require_coordinator_or_assigned(request.user, question)
    return form_page(
        request,
        OutcomeForm(request.POST or None, initial={"challenges": question.challenges.all()}),
        lambda _version, **data: services.outcome_record(
            actor=request.user, question=question, **data
        ),
        template="scienceshop/outcome_form.html",
        success_message=_("The outcome is recorded and the organisation is told."),
        success_url=_question_url(question),
        context={"question": question},
    )


@login_required
def meeting_update(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    question = _question(request, pk)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, question=question)
    services.require_coordinator_or_assigned(request.user, question)
    return form_page(
        request,
        MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk)),
        lambda version, **data: services.meeting_update(
            actor=request.user, meeting=meeting, expected_version=version, **data
        ),
        template="scienceshop/meeting_form.html",
        success_message=_("The meeting is saved."),
        success_url=_question_url(question),
        context={"question": question, "meeting": meeting},
    )


def meeting_calendar(question: Question, meeting: Meeting) -> HttpResponse:
    """The meeting as an iCalendar download (for the page and the API)."""
    url = absolute_url(reverse("scienceshop:question-detail", args=[question.pk]))
    text = ical.event(
        uid=f"{meeting.uid}@hjulet",
        starts_at=meeting.starts_at,
        minutes=meeting.duration_minutes,
        summary=_("Science shop: %(title)s") % {"title": question.title},
        description="\n\n".join(
            part for part in (meeting.participants, meeting.next_steps, url) if part
        ),
        location=meeting.place,
        url=url,
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="forskarverkstad-mote-{meeting.pk}.ics"'
    )
    return response


@login_required
def meeting_ics(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    question = _question(request, pk)
    if not services.can_see_meetings(request.user, question):
        raise Http404
    meeting = get_object_or_404(Meeting, pk=meeting_pk, question=question)
    return meeting_calendar(question, meeting)


# --- researchers ------------------------------------------------------------------------


@login_required
def researcher_profile(request: HttpRequest) -> HttpResponse:
    require(
        request.user.is_researcher,
        _("Only people with the researcher role have a researcher profile. Ask a coordinator."),
    )
    instance = ResearcherProfile.objects.filter(user=request.user).first()
    return form_page(
        request,
        ResearcherProfileForm(request.POST or None, instance=instance),
        lambda _version, **data: services.researcher_profile_save(actor=request.user, **data),
        template="scienceshop/researcher_profile.html",
        success_message=_("Your researcher profile is saved."),
        success_url=reverse("scienceshop:open-questions"),
    )


# --- public knowledge summaries ---------------------------------------------------------


@for_visitors
def summary_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_summaries(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "scienceshop/summary_list.html", {"page": page, "query": ""})


@for_visitors
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(selectors.published_summaries(), pk=pk)
    latest = outcome.question.formulations.order_by("-number").first()
    return render(
        request,
        "scienceshop/summary_detail.html",
        {
            "outcome": outcome,
            "question_text": latest.text if latest else outcome.question.wanted_knowledge,
        },
    )


# --- coordinators -----------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    return render(request, "scienceshop/overview.html", selectors.overview())
