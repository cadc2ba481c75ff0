"""Results: figures, segments and cross-tabs, and the coding of free text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import analysis, selectors, services
from ..charts import bar_chart
from ..forms import CodeForm, SegmentForm
from ..models import Code, Coding, Question, QuestionType, Response
from ._common import _number


@login_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_with_answers(request.user, slug)
    questions = selectors.questions_of(survey)
    form = SegmentForm(request.GET or None, questions=questions)
    table = selectors.load_table(survey, questions)
    crosstab = None
    if form.is_valid():
        table = table.segment(
            counties=form.cleaned_data["county"], sectors=form.cleaned_data["sector"]
        )
        row, col = form.cleaned_data["row"], form.cleaned_data["col"]
        if row and col and row != col:
            result = analysis.crosstab(table, row, col)
            by_name = {q.name: q for q in questions}
            row_labels = _option_labels(by_name[row], table.columns[row].options)
            crosstab = {
                "row": by_name[row],
                "col": by_name[col],
                "result": result,
                "row_labels": row_labels,
                "col_labels": _option_labels(by_name[col], table.columns[col].options),
                "lines": [
                    (label, list(result.counts[i]), int(result.counts[i].sum()))
                    for i, label in enumerate(row_labels)
                ],
                "col_totals": [int(x) for x in result.counts.sum(axis=0)],
            }
    views = selectors.question_views(questions, analysis.analyse(table))
    for view in views:
        view.chart = bar_chart(view.rows) if view.rows else None
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "form": form,
            "n": table.n,
            "views": views,
            "crosstab": crosstab,
            "can_manage": services.can_manage(request.user, survey),
            "codes": selectors.code_frequencies(survey),
            "free_text": selectors.free_text_answers(survey, questions),
        },
    )


def _option_labels(question: Question, options: list[str]) -> list[str]:
    """The label of each option value (the first choice's, where two share a value)."""
    labels: dict[str, str] = {}
    for choice in question.choices.all():
        labels.setdefault(choice.name, choice.label)
    return [labels.get(option, option) for option in options]


@login_required
def coding(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    text_questions = list(survey.questions.filter(type=QuestionType.TEXT))
    question = next(
        (q for q in text_questions if str(q.pk) == request.GET.get("question")),
        text_questions[0] if text_questions else None,
    )
    code_form = CodeForm(request.POST if "new_code" in request.POST else None)
    if request.method == "POST":
        try:
            if "new_code" in request.POST:
                if code_form.is_valid():
                    services.code_create(
                        actor=request.user, survey=survey, label=code_form.cleaned_data["label"]
                    )
            else:
                if question is None:
                    raise Http404
                response = get_object_or_404(
                    Response, pk=_number(request.POST.get("response")), survey=survey
                )
                codes = list(
                    Code.objects.filter(
                        survey=survey, pk__in=[_number(v) for v in request.POST.getlist("codes")]
                    )
                )
                services.coding_set(
                    actor=request.user,
                    response=response,
                    question=question,
                    codes=codes,
                    factor=request.POST.get("factor", ""),
                )
            messages.success(request, _("Saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = reverse("surveys:coding", args=[survey.slug])
        return redirect(f"{url}?question={question.pk}" if question else url)
    return render(
        request,
        "surveys/coding.html",
        {
            "survey": survey,
            "text_questions": text_questions,
            "question": question,
            "answers": selectors.text_answers(survey, question) if question else [],
            "codes": list(survey.codes.all()),
            "code_form": code_form,
            "frequencies": selectors.code_frequencies(survey, question) if question else [],
            "factors": Coding._meta.get_field("factor").choices,
        },
    )
