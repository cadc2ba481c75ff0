"""Coding of free-text answers."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.core import audit, changes

from ..models import Code, Coding, Question, QuestionType, Response, Survey
from ._common import require_manage


@transaction.atomic
def code_create(*, actor: Any, survey: Survey, label: str) -> Code:
    require_manage(actor, survey)
    code = Code(survey=survey, label=label.strip())
    return changes.create(actor, code, (), action="code.create")


@transaction.atomic
def coding_set(
    *,
    actor: Any,
    response: Response,
    question: Question,
    codes: Sequence[Code],
    factor: str = "",
) -> list[Coding]:
    """Set the codes of one free-text answer (replacing earlier ones)."""
    survey = response.survey
    require_manage(actor, survey)
    if question.survey_id != survey.pk or question.type != QuestionType.TEXT:
        raise ValidationError(_("Only free-text answers of this survey can be coded."))
    if any(code.survey_id != survey.pk for code in codes):
        raise ValidationError(_("Use the codes of this survey."))
    before = sorted(
        Coding.objects.filter(response=response, question=question).values_list(
            "code__label", flat=True
        )
    )
    Coding.objects.filter(response=response, question=question).delete()
    codings = [
        Coding(response=response, question=question, code=code, factor=factor, coded_by=actor)
        for code in codes
    ]
    for coding in codings:
        coding.full_clean(validate_unique=False)
    Coding.objects.bulk_create(codings)
    audit.record(
        actor=actor,
        action="response.code",
        target=response,
        changes={question.name: [before, sorted(c.label for c in codes)], "factor": [None, factor]},
    )
    return codings
