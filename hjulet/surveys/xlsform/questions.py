"""The survey sheet's rows as question specs: types, groups, "or other", appearances and
the expressions' references."""

import re

from django.utils.translation import gettext as _

from hjulet.lib import conditions

from ..models import QuestionType
from .columns import (
    APPEARANCES,
    DIGITS_HINT,
    METADATA_TYPES,
    OTHER_CHOICE,
    OTHER_QUESTION,
    SELECT,
    SIMPLE_TYPES,
    SURVEY_COLUMNS,
    TEXT_COLUMNS,
    language_of,
)
from .form import ChoiceSpec, ParsedForm, Problem, QuestionSpec
from .sheets import _flag, _texts


def _questions(
    rows: list, default: str, choice_lists: dict[str, list[ChoiceSpec]], form: ParsedForm
) -> None:
    groups: list[str] = []
    checks: list[tuple[int, str, str, set]] = []
    for row, record in rows:
        kind = " ".join(record.get("type", "").split())
        lowered = kind.lower()
        name = record.get("name", "")
        for column, value in record.items():
            base = language_of(column, default)[0].lower()
            if value and base not in SURVEY_COLUMNS and base not in TEXT_COLUMNS:
                form.problem(
                    "survey",
                    row,
                    column,
                    _("The column '%(column)s' is not supported.") % {"column": column},
                )
        if kind != _lower_keywords(kind):
            form.problem(
                "survey",
                row,
                "type",
                _("ODK reads question types in lower case only: write '%(type)s'.")
                % {"type": _lower_keywords(kind)},
            )
            continue
        if lowered in ("end group", "end_group"):
            if groups:
                groups.pop()
            continue
        if lowered in METADATA_TYPES:
            form.ignored.append(
                Problem("survey", row, kind, _("Metadata is not collected; skipped."))
            )
            continue
        texts = _texts(record, default, form, "survey", row)
        spec = QuestionSpec(
            row=row,
            name=name,
            type="",
            label_sv=texts.get("label_sv") or texts.get("label_en", ""),
            label_en=texts.get("label_en", ""),
            hint_sv=texts.get("hint_sv") or texts.get("hint_en", ""),
            hint_en=texts.get("hint_en", ""),
            constraint_message_sv=texts.get("constraint_message_sv")
            or texts.get("constraint_message_en", ""),
            constraint_message_en=texts.get("constraint_message_en", ""),
            relevant=record.get("relevant", ""),
            constraint=record.get("constraint", ""),
            choice_filter=record.get("choice_filter", ""),
            calculation=record.get("calculation", ""),
            appearance=record.get("appearance", "").lower(),
            group=groups[-1] if groups else "",
        )
        spec.required = _flag(record.get("required", ""), form, row, "required")
        select = SELECT.match(kind)
        other: QuestionSpec | None = None
        if lowered in ("begin group", "begin_group"):
            spec.type = QuestionType.GROUP
            spec.label_sv = spec.label_sv or name
            groups.append(name)
        elif select:
            multiple = "one" not in select.group(1).lower()
            spec.type = QuestionType.SELECT_MULTIPLE if multiple else QuestionType.SELECT_ONE
            list_name = select.group(2)
            if list_name not in choice_lists:
                form.problem(
                    "survey",
                    row,
                    "type",
                    _("The choice list '%(name)s' is missing.") % {"name": list_name},
                )
                continue
            spec.choices = list(choice_lists[list_name])
            if select.group(3):
                other = _or_other(spec, form)
                if other is None:
                    continue
            if spec.type == QuestionType.SELECT_ONE and spec.appearance == "likert":
                spec.type = QuestionType.LIKERT
        elif lowered in SIMPLE_TYPES:
            spec.type = SIMPLE_TYPES[lowered]
            if lowered == "phone number":
                spec.appearance = spec.appearance or "numbers"
                if not spec.hint_sv:
                    spec.hint_sv, spec.hint_en = DIGITS_HINT
            if spec.type == QuestionType.CALCULATE:
                # Never shown to respondents; results and exports name it by its name.
                spec.required, spec.label_sv = False, spec.label_sv or name
                if not spec.calculation:
                    form.problem(
                        "survey", row, "calculation", _("A calculate row needs a calculation.")
                    )
                    continue
            elif spec.calculation:
                form.problem(
                    "survey",
                    row,
                    "calculation",
                    _("Only calculate rows can have a calculation."),
                )
        else:
            form.problem(
                "survey",
                row,
                "type",
                _("The question type '%(type)s' is not supported.") % {"type": kind or "—"},
            )
            continue
        allowed = APPEARANCES.get(
            QuestionType.SELECT_ONE if spec.type == QuestionType.LIKERT else spec.type, {""}
        )
        if spec.appearance and spec.type != QuestionType.GROUP and spec.appearance not in allowed:
            form.problem(
                "survey",
                row,
                "appearance",
                _("The appearance '%(value)s' is not supported.") % {"value": spec.appearance},
            )
        if not re.fullmatch(r"[A-Za-z_][\w-]*", name or ""):
            form.problem("survey", row, "name", _("A question needs a name (letters, digits, _)."))
            continue
        if not spec.label_sv and spec.type not in (QuestionType.GROUP, QuestionType.CALCULATE):
            form.problem("survey", row, "label", _("The question has no label."))
        # A choice filter reads the choice's own columns and its name ("selected(${a}, name)").
        choice_columns = {c for choice in spec.choices for c in choice.columns} | {"name"}
        checks.extend(
            [
                (row, "relevant", spec.relevant, set()),
                (row, "constraint", spec.constraint, set()),
                (row, "choice_filter", spec.choice_filter, choice_columns),
                (row, "calculation", spec.calculation, set()),
            ]
        )
        form.questions.append(spec)
        if other is not None:
            form.questions.append(other)
    names = {q.name for q in form.questions}
    if len(names) != len(form.questions):
        seen: set[str] = set()
        for question in form.questions:
            if question.name in seen:
                form.problem("survey", question.row, "name", _("The name is used twice."))
            seen.add(question.name)
    for row, column, source, choice_columns in checks:
        _check_expression(form, row, column, source, names, choice_columns)


def _lower_keywords(kind: str) -> str:
    """The type with its keywords in lower case ('SELECT_ONE Orter' → 'select_one Orter'):
    pyxform knows them only so, while a list name keeps its case."""
    select = SELECT.match(kind)
    if not select:
        return kind.lower()
    return kind[: select.start(2)].lower() + select.group(2) + kind[select.end(2) :].lower()


def _or_other(spec: QuestionSpec, form: ParsedForm) -> QuestionSpec | None:
    """``select_one list or_other``, as pyxform builds it: the choice "other" (Annat) is
    added unless the list has it, and a text question ``<name>_other`` is shown when it is
    chosen. None (with a problem) where pyxform refuses it too."""
    if spec.choice_filter:
        form.problem(
            "survey",
            spec.row,
            "or_other",
            _("'Or specify other' cannot be combined with a choice filter (nor can it in ODK)."),
        )
        return None
    name, label_sv, label_en = OTHER_CHOICE
    if not any(choice.name == name for choice in spec.choices):
        spec.choices.append(ChoiceSpec(name, label_sv, label_en if spec.label_en else ""))
    question_sv, question_en = OTHER_QUESTION
    return QuestionSpec(
        row=spec.row,
        name=f"{spec.name}_other",
        type=QuestionType.TEXT,
        label_sv=question_sv,
        label_en=question_en if spec.label_en else "",
        relevant=f"selected(${{{spec.name}}}, '{name}')",
        group=spec.group,
    )


def _check_expression(
    form: ParsedForm, row: int, column: str, source: str, names: set[str], choice_columns: set
) -> None:
    if not source:
        return
    try:
        expression = conditions.parse(source)
    except conditions.ExpressionError as error:
        form.problem(
            "survey",
            row,
            column,
            _("The expression cannot be used: %(error)s.") % {"error": error},
        )
        return
    unknown = expression.references - names
    if unknown:
        form.problem(
            "survey",
            row,
            column,
            _("Refers to unknown questions: %(names)s.") % {"names": ", ".join(sorted(unknown))},
        )
    if expression.columns - choice_columns:
        form.problem(
            "survey",
            row,
            column,
            _("Names that are not choice columns: %(names)s.")
            % {"names": ", ".join(sorted(expression.columns - choice_columns))},
        )
