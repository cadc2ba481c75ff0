"""Raw data export of a survey's submitted responses to CSV or XLSX. A multiple-choice
question is one column (values separated by spaces, as XLSForm tools write them) and one 0/1
column per option (``name/option``). An empty cell means the respondent was asked and did not
answer; ``NOT_ASKED`` means a condition hid the question from them (Response.not_asked), in
the question's column and in its option columns. Text that a spreadsheet would run as a
formula is neutralised by hjulet/lib/tabular.py."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.text import slugify

from hjulet.core.exports import download
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


@login_required
@export_limited
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    survey = selectors.survey_with_answers(request.user, slug)
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    questions, header = _columns(survey)
    return download(
        fmt,
        header,
        _rows(survey, questions),
        filename=f"{slugify(survey.title)}.{fmt}",
        title=survey.title,
    )
