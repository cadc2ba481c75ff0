"""Building the questionnaire: a question's form, moving and removing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.pages import form_page

from .. import selectors, services
from ..forms import QuestionForm
from ..models import Question


@login_required
def question_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    question = get_object_or_404(Question, pk=pk, survey=survey) if pk else None
    form = QuestionForm(request.POST or None, instance=question, survey=survey)

    def save(version, **data):
        if question is None:
            return services.question_create(actor=request.user, survey=survey, **data)
        # ModelForm validation has filled the instance; the service validates again.
        question.refresh_from_db()
        return services.question_update(
            actor=request.user, question=question, expected_version=version, **data
        )

    return form_page(
        request,
        form,
        save,
        template="surveys/question_form.html",
        success_message=_("The question is saved."),
        success_url=reverse("surveys:detail", args=[survey.slug]),
        context={"survey": survey, "question": question},
    )


@login_required
@require_POST
def question_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    question = get_object_or_404(Question, pk=pk, survey=survey)
    try:
        if action == "up":
            services.question_move(actor=request.user, question=question, offset=-1)
        elif action == "down":
            services.question_move(actor=request.user, question=question, offset=1)
        elif action == "delete":
            services.question_delete(actor=request.user, question=question)
            messages.success(request, _("The question is removed."))
        else:
            return HttpResponse(status=404)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("surveys:detail", args=[survey.slug]) + "#questions")
