"""Raw data export of a survey's submitted responses to CSV or XLSX. A multiple-choice
question is one column (values separated by spaces, as XLSForm tools write them) and one 0/1
column per option (``name/option``). Text that a spreadsheet would run as a formula is
neutralised by hjulet/lib/tabular.py."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.text import slugify

from hjulet.lib.tabular import to_csv, to_xlsx

from . import selectors
from .models import QuestionType, Survey
from .views import _survey_results

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    questions = [q for q in selectors.questions_of(survey) if q.takes_answer]
    header = ["response_id", "submitted_at", "organisation", "county", "sector"]
    for question in questions:
        header.append(question.name)
        if question.type == QuestionType.SELECT_MULTIPLE:
            header.extend(f"{question.name}/{choice.name}" for choice in question.choices.all())
    rows = []
    responses = selectors.submitted(survey).select_related("organisation").order_by("pk")
    for response in responses:
        answers = response.answers
        row: list[Any] = [
            response.pk,
            response.submitted_at.isoformat(timespec="seconds"),
            response.organisation.name if response.organisation else "",
            response.county_code,
            response.sector_code,
        ]
        for question in questions:
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
        rows.append(row)
    return header, rows


@login_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    survey = _survey_results(request, slug)
    if fmt not in FORMATS:
        return HttpResponseNotFound()
    header, rows = table(survey)
    body = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, title=survey.title)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(survey.title)}.{fmt}"'
    return response
