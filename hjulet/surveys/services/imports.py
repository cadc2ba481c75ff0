"""A draft survey made from an XLSForm."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit
from hjulet.core.permissions import require, require_signed_in

from ..models import Choice, Question, QuestionType, Survey
from ..xlsform import ParsedForm, parse_xlsform
from ._common import _unique_slug
from .permissions import can_manage_organisation
from .questions import QUESTION_FIELDS


def _create_questions(survey: Survey, form: ParsedForm) -> None:
    groups: dict[str, Question] = {}
    for position, spec in enumerate(form.questions, start=1):
        question = Question(
            survey=survey,
            position=position,
            group=groups.get(spec.group),
            **{
                name: getattr(spec, name)
                for name in QUESTION_FIELDS
                if name not in ("group",) and hasattr(spec, name)
            },
        )
        question.full_clean(exclude=["survey", "group"])
        question.save()
        if spec.type == QuestionType.GROUP:
            groups[spec.name] = question
        Choice.objects.bulk_create(
            Choice(
                question=question,
                position=index,
                name=choice.name[:100],
                label_sv=choice.label_sv[:300],
                label_en=choice.label_en[:300],
                columns=choice.columns,
            )
            for index, choice in enumerate(spec.choices, start=1)
        )


@transaction.atomic
def survey_import_xlsform(
    *, actor: Any, organisation: Organisation, data: bytes, title: str = ""
) -> Survey:
    """Create a draft survey from an XLSForm. Refused as a whole when anything in the form
    is not supported; the ValidationError lists every problem as 'sheet, row N: …'."""
    require_signed_in(actor)
    require(
        can_manage_organisation(actor, organisation),
        _("Only coordinators and the organisation's administrators can create its surveys."),
    )
    form = parse_xlsform(data)
    if not form.ok:
        raise ValidationError([problem_text(p) for p in form.problems])
    survey = Survey(
        organisation=organisation,
        created_by=actor,
        title=(title or form.title or form.form_id or _("Imported survey"))[:200],
        languages=",".join(form.languages),
        form_id=form.form_id[:100],
        form_version=form.version[:100],
    )
    survey.slug = _unique_slug(Survey, survey.title)
    survey.full_clean()
    survey.save()
    try:
        _create_questions(survey, form)
    except ValidationError as error:
        raise ValidationError(
            _("The form could not be imported: %(error)s") % {"error": " ".join(error.messages)}
        ) from error
    audit.record(
        actor=actor,
        action="survey.import",
        target=survey,
        changes={"questions": [None, len(form.questions)], "form_id": [None, form.form_id]},
    )
    return survey


def problem_text(problem: Any) -> str:
    where = problem.sheet or _("file")
    if problem.row:
        where = _("%(sheet)s, row %(row)s") % {"sheet": where, "row": problem.row}
    if problem.feature:
        where = f"{where} ({problem.feature})"
    return f"{where}: {problem.reason}"
