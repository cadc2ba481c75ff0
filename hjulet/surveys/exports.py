"""Raw data export of a survey's submitted responses to CSV or XLSX. A multiple-choice
question is one column (values separated by spaces, as XLSForm tools write them) and one 0/1
column per option (``name/option``). An empty cell means the respondent was asked and did not
answer; ``NOT_ASKED`` means a condition hid the question from them (Response.not_asked), in
the question's column and in its option columns. Text that a spreadsheet would run as a
formula is neutralised by hjulet/lib/tabular.py."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from hjulet.core import export_jobs
from hjulet.core.exports import XLSX_MAX_ROWS, download, too_large
from hjulet.core.ratelimits import export_limited

from . import selectors
from .models import QuestionType, Survey

FORMATS = ("csv", "xlsx")
CHUNK = 1000
NOT_ASKED = "(ej tillfrågad)"  # not a possible answer: choice names have no spaces


def _columns(survey: Survey) -> tuple[list, list[str]]:
    questions = [q for q in selectors.questions_of(survey) if q.takes_answer]
    header = ["response_id", "submitted_at", "organisation", "county", "sector"]
    for question in questions:
        header.append(question.name)
        if question.type == QuestionType.SELECT_MULTIPLE:
            header.extend(f"{question.name}/{choice.name}" for choice in question.choices.all())
    return questions, header


def _rows(survey: Survey, questions: list) -> Iterator[list[Any]]:
    """One row per submitted response, read ``CHUNK`` at a time."""
    responses = selectors.submitted(survey).select_related("organisation").order_by("pk")
    for response in responses.iterator(chunk_size=CHUNK):
        answers = response.answers
        not_asked = set(response.not_asked or ())
        row: list[Any] = [
            response.pk,
            response.submitted_at.isoformat(timespec="seconds"),
            response.organisation.name if response.organisation else "",
            response.county_code,
            response.sector_code,
        ]
        for question in questions:
            if question.name in not_asked:
                width = 1
                if question.type == QuestionType.SELECT_MULTIPLE:
                    width += len(question.choices.all())
                row.extend([NOT_ASKED] * width)
                continue
            value = answers.get(question.name)
            if question.type == QuestionType.SELECT_MULTIPLE:
                chosen = value or []
                row.append(" ".join(chosen) if value is not None else None)
                row.extend(
                    (1 if choice.name in chosen else 0) if value is not None else None
                    for choice in question.choices.all()
                )
            else:
                row.append(value)
        yield row


def table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    questions, header = _columns(survey)
    return header, list(_rows(survey, questions))


def background_responses(query: QueryDict, base_url: str, user: Any = None) -> tuple:
    """The responses of the survey ``query["survey"]``, for ``core.export_jobs`` (the
    worker); who asked must still be allowed to read the answers."""
    survey = selectors.survey_with_answers(user, query.get("survey", ""))
    questions, header = _columns(survey)
    return header, _rows(survey, questions), survey.title, slugify(survey.title) or "enkat"


@login_required
@export_limited
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    survey = selectors.survey_with_answers(request.user, slug)
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    if fmt == "xlsx":
        total = selectors.submitted(survey).count()
        if total > XLSX_MAX_ROWS:
            return too_large(
                request,
                total=total,
                build_url=reverse("surveys:export-build", args=[survey.slug, "xlsx"]),
                query=urlencode({"survey": survey.slug}),
                csv_url=reverse("surveys:export", args=[survey.slug, "csv"]),
                list_url=reverse("surveys:results", args=[survey.slug]),
            )
    questions, header = _columns(survey)
    return download(
        fmt,
        header,
        _rows(survey, questions),
        filename=f"{slugify(survey.title)}.{fmt}",
        title=survey.title,
    )


@login_required
@require_POST
@export_limited
def build(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Have the worker make the file of a survey with too many responses for one request."""
    survey = selectors.survey_with_answers(request.user, slug)
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    job = export_jobs.start_export(
        actor=request.user,
        kind="survey_responses",
        fmt=fmt,
        query=urlencode({"survey": survey.slug}),
        total=selectors.submitted(survey).count(),
    )
    return redirect("core:export-detail", pk=job.pk)
