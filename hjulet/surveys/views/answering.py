"""Answering: the open link's welcome page, the answer page, the preview and the live
conditions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..answers import allowed_choices, clean_answers, evaluate_answers
from ..models import Question, QuestionType, Survey


def anonymous_start(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The open link's welcome page: the introduction, the deadline, who asks and how the
    answers are used, and a start button. A closed, expired or withdrawn link is refused here
    already, before anyone starts."""
    survey = get_object_or_404(Survey.objects.select_related("organisation"), slug=slug)
    try:
        services.check_open_link(survey=survey, key=key)
        if request.method == "POST":
            token = services.response_start_anonymous(survey=survey, key=key)
            return redirect("surveys:answer", token=token)
    except services.LinkRefused as error:
        return _refused(request, error)
    asked = [q for q in selectors.questions_of(survey) if q.takes_answer]
    return render(
        request,
        "surveys/anonymous_start.html",
        {
            "survey": survey,
            "key": key,
            "n_questions": len(asked),
            "n_always": sum(1 for q in asked if not _conditional(q)),
        },
    )


def _conditional(question: Question) -> bool:
    """Asked only when a condition holds (its own or its group's)."""
    return bool(question.relevant or (question.group and question.group.relevant))


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return render(
        request, "surveys/link_refused.html", {"message": " ".join(error.messages)}, status=410
    )


def _raw_answers(request: HttpRequest, questions: list[Question]) -> dict:
    raw = {}
    for question in questions:
        if question.type == QuestionType.SELECT_MULTIPLE:
            raw[question.name] = request.POST.getlist(question.name)
        else:
            raw[question.name] = request.POST.get(question.name, "")
    return raw


def _answer_items(questions: list[Question], answers: dict, errors: dict) -> list[dict]:
    values, shown = evaluate_answers(questions, answers)
    return [
        {
            "question": q,
            "value": answers.get(q.name),
            "values": answers.get(q.name) or [],
            "choices": _choices_shown(q, values),
            "error": errors.get(q.name),
            "hidden": q.name not in shown,
        }
        for q in questions
    ]


def _progress(items: list[dict]) -> dict:
    """How many of the questions shown so far have an answer (the page's script keeps the
    figure up to date as answers change)."""
    asked = [
        i
        for i in items
        if i["question"].takes_answer and not i["question"].is_calculated and not i["hidden"]
    ]
    answered = sum(1 for i in asked if i["value"] not in (None, "", []))
    return {"answered": answered, "total": len(asked)}


def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        response = services.response_for_token(token)
    except services.LinkRefused as error:
        return _refused(request, error)
    survey = response.survey
    questions = selectors.questions_of(survey)
    errors: dict[str, str] = {}
    answers = response.answers
    if request.method == "POST":
        submit = "submit" in request.POST
        raw = _raw_answers(request, questions)
        try:
            _saved, errors = services.response_save(token=token, raw=raw, submit=submit)
        except services.LinkRefused as error:
            return _refused(request, error)
        if not errors and submit:
            return render(request, "surveys/thanks.html", {"survey": survey})
        if not errors:
            messages.success(
                request,
                _(
                    "Your answers are saved. Use the same link to continue later (before the "
                    "deadline)."
                ),
            )
            return redirect("surveys:answer", token=token)
        answers = _given(raw)
    return _answer_page(
        request,
        survey,
        _answer_items(questions, answers, errors),
        errors,
        conditions_url=reverse("surveys:answer-conditions", args=[token]),
    )


@login_required
def survey_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The form as a respondent sees it, for those who manage the survey: the answers are
    checked as on submit, and nothing is stored."""
    survey = selectors.survey_to_manage(request.user, slug)
    questions = selectors.questions_of(survey)
    answers: dict = {}
    errors: dict[str, str] = {}
    checked = False
    if request.method == "POST":
        raw = _raw_answers(request, questions)
        _cleaned, errors = clean_answers(questions, raw, submit="submit" in request.POST)
        answers = _given(raw)
        checked = not errors
    return _answer_page(
        request,
        survey,
        _answer_items(questions, answers, errors),
        errors,
        conditions_url=reverse("surveys:preview-conditions", args=[survey.slug]),
        preview=True,
        preview_checked=checked,
    )


def _given(raw: dict) -> dict:
    """The answers typed so far: the questions left empty are left out."""
    return {name: value for name, value in raw.items() if value not in ("", [])}


def _answer_page(
    request: HttpRequest, survey: Survey, items: list[dict], errors: dict, **extra: Any
) -> HttpResponse:
    """The answer page (a respondent's, or the managers' preview) with the answers so far
    and their errors (400 when there are any)."""
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "items": items,
            "errors": errors,
            "progress": _progress(items),
            **extra,
        },
        status=400 if errors else 200,
    )


def _choices_shown(question: Question, answers: dict) -> list:
    """Every choice, each marked ``shown`` when the choice filter lets it through (the page
    hides the others and updates them as answers change)."""
    if not question.has_choices:
        return []
    allowed = {c.pk for c in allowed_choices(question, answers)}
    choices = list(question.choices.all())
    for choice in choices:
        choice.shown = choice.pk in allowed
    return choices


def _conditions(request: HttpRequest, questions: list[Question]) -> JsonResponse:
    raw = _raw_answers(request, questions)
    answers = {}
    for question in questions:
        value = raw.get(question.name)
        if value not in (None, "", []):
            answers[question.name] = value
    values, shown = evaluate_answers(questions, answers)
    allowed = {q.name: allowed_choices(q, values) for q in questions if q.choice_filter}
    return JsonResponse(
        {
            "shown": sorted(shown),
            "hidden": sorted(q.name for q in questions if q.name not in shown),
            "choices": {name: [c.name for c in found] for name, found in allowed.items()},
            # Two choices in one list may share a value (a county named King in two
            # states): the page shows and hides choices by id, so only the King of the
            # state chosen is offered.
            "choice_ids": {name: [c.pk for c in found] for name, found in allowed.items()},
        }
    )


@require_POST
def answer_conditions(request: HttpRequest, token: str) -> HttpResponse:
    """Which questions to show for the answers typed so far (the page's script hides the
    others). The same evaluator decides on the server when the answers are saved."""
    try:
        response = services.response_for_token(token)
    except services.LinkRefused as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=410)
    return _conditions(request, selectors.questions_of(response.survey))


@login_required
@require_POST
def preview_conditions(request: HttpRequest, slug: str) -> HttpResponse:
    """The same as answer_conditions, for the coordinator's preview."""
    survey = selectors.survey_to_manage(request.user, slug)
    return _conditions(request, selectors.questions_of(survey))
