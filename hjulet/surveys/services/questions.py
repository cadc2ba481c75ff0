"""Questions and their choices, while the survey is a draft."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.core import audit, changes
from hjulet.lib import conditions

from ..models import CHOICE_TYPES, Choice, Question, QuestionType, Survey
from ._common import _move, _require_draft, require_manage

QUESTION_FIELDS = (
    "name",
    "type",
    "group",
    "label_sv",
    "label_en",
    "hint_sv",
    "hint_en",
    "required",
    "relevant",
    "constraint",
    "constraint_message_sv",
    "constraint_message_en",
    "choice_filter",
    "calculation",
    "appearance",
)


def _check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    names = set(question.survey.questions.exclude(pk=question.pk).values_list("name", flat=True))
    names.add(question.name)
    if question.type == QuestionType.CALCULATE and not question.calculation:
        errors["calculation"] = _("A calculated value needs a calculation.")
    elif question.type != QuestionType.CALCULATE and question.calculation:
        errors["calculation"] = _("Only calculated values have a calculation.")
    for field in ("relevant", "constraint", "choice_filter", "calculation"):
        if field in errors:
            continue
        source = getattr(question, field)
        if not source:
            continue
        try:
            expression = conditions.parse(source)
        except conditions.ExpressionError as error:
            errors[field] = _("The condition cannot be used: %(error)s.") % {"error": error}
            continue
        unknown = expression.references - names
        if unknown:
            errors[field] = _("Refers to unknown questions: %(names)s.") % {
                "names": ", ".join(sorted(unknown))
            }
    if question.group_id and question.group.survey_id != question.survey_id:
        errors["group"] = _("The group belongs to another survey.")
    if errors:
        raise ValidationError(errors)


def _parse_choice_lines(text: str) -> list[tuple[str, str, str]]:
    """'value | Swedish label | English label' per line (a line with just a label gets its
    value from the label)."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            parts = [slugify(parts[0]).replace("-", "_") or str(number), parts[0]]
        name, label_sv, label_en = [*parts, "", ""][:3]
        if not name or not label_sv:
            errors.append(_("Line %(number)s needs a value and a label.") % {"number": number})
        rows.append((name[:100], label_sv[:300], label_en[:300]))
    if errors:
        raise ValidationError({"choices": errors})
    if len({row[0] for row in rows}) != len(rows):
        raise ValidationError({"choices": _("Each option needs its own value.")})
    return rows


def _set_choices(question: Question, text: str | None) -> list[str] | None:
    if text is None:
        return None
    rows = _parse_choice_lines(text) if question.type in CHOICE_TYPES else []
    if question.type in CHOICE_TYPES and len(rows) < 2:
        raise ValidationError({"choices": _("A choice question needs at least two options.")})
    existing = {c.name: c for c in question.choices.all()}
    keep = []
    for position, (name, label_sv, label_en) in enumerate(rows, start=1):
        choice = existing.get(name) or Choice(question=question, name=name)
        choice.position, choice.label_sv, choice.label_en = position, label_sv, label_en
        choice.save()
        keep.append(choice.pk)
    question.choices.exclude(pk__in=keep).delete()
    return [row[0] for row in rows]


@transaction.atomic
def question_create(
    *, actor: Any, survey: Survey, choices: str | None = None, **fields: Any
) -> Question:
    require_manage(actor, survey)
    _require_draft(survey)
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(
        survey=survey,
        position=last + 1,
        **{k: v for k, v in fields.items() if k in QUESTION_FIELDS},
    )
    question.full_clean()
    _check_question(question)
    question.save()
    names = _set_choices(question, choices or "")
    changes.record_created(
        actor, question, QUESTION_FIELDS, action="question.create", also={"choices": [None, names]}
    )
    return question


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    choices: str | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Question:
    require_manage(actor, question.survey)
    _require_draft(question.survey)
    with changes.edit(
        actor,
        question,
        QUESTION_FIELDS,
        action="question.update",
        expected_version=expected_version,
        lock="in_place",  # keeping the survey and group it was loaded with
        clean=False,
        save_fields=(),  # saved below already, before its choices
    ) as change:
        old_choices = list(question.choices.values_list("name", flat=True))
        change.assign(fields)
        question.full_clean()
        _check_question(question)
        question.save()
        names = _set_choices(question, choices)
        if names is not None and names != old_choices:
            change.also({"choices": [old_choices, names]})
    return question


@transaction.atomic
def question_move(*, actor: Any, question: Question, offset: int) -> Question:
    """Move a question up (-1) or down (+1) among its survey's questions."""
    require_manage(actor, question.survey)
    _require_draft(question.survey)
    index, target = _move(
        question.survey.questions, question, offset, _("The question cannot move further.")
    )
    audit.record(
        actor=actor,
        action="question.move",
        target=question,
        changes={"position": [index + 1, target + 1]},
    )
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    require_manage(actor, question.survey)
    _require_draft(question.survey)
    dependants = [
        q.name
        for q in question.survey.questions.exclude(pk=question.pk)
        if f"${{{question.name}}}" in f"{q.relevant} {q.constraint} {q.choice_filter}"
    ]
    if dependants:
        raise ValidationError(
            _("Other questions refer to this one in their conditions: %(names)s.")
            % {"names": ", ".join(dependants)}
        )
    changes.delete(actor, question, action="question.delete")
