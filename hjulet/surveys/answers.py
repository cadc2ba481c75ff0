"""Checking a respondent's answers: types, choices, conditions (relevant), calculated values,
constraints and required questions. Pure functions over the survey's questions; services
store the result."""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from hjulet.lib import conditions

from .models import CHOICE_TYPES, Question, QuestionType


def _expression(source: str) -> conditions.Expression | None:
    if not source:
        return None
    try:
        return conditions.parse(source)
    except conditions.ExpressionError:
        return None


TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


def _shown(questions: Iterable[Question], values: dict[str, Any]) -> set[str]:
    shown: set[str] = set()
    for question in questions:
        if question.group_id and question.group.name not in shown:
            continue
        expression = _expression(question.relevant)
        if expression is None or expression.evaluate(values):
            shown.add(question.name)
    return shown


def not_asked_names(questions: Iterable[Question], answers: dict[str, Any]) -> list[str]:
    """Names of the questions taking an answer that a condition (theirs or their group's)
    hid for these answers: stored with the response as "not asked"."""
    questions = list(questions)
    shown = relevant_names(questions, answers)
    return [q.name for q in questions if q.takes_answer and q.name not in shown]


def evaluate_answers(
    questions: list[Question], answers: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """The answers to the questions shown, with the calculated values added, and the names
    of the questions (and groups) shown. Calculations and conditions may depend on each
    other in any order, so both are worked out again until nothing changes (a chain of n
    calculations settles in at most n + 1 rounds). Values sent for a calculation are
    never taken from the respondent."""
    calculations = [(q.name, _expression(q.calculation)) for q in questions if q.is_calculated]
    computed_names = {name for name, _expression in calculations}
    typed = {name: value for name, value in answers.items() if name not in computed_names}
    computed: dict[str, Any] = {}
    values: dict[str, Any] = dict(typed)
    shown: set[str] = set()
    for _attempt in range(len(calculations) + 2):
        shown = _shown(questions, values)
        context = {name: value for name, value in typed.items() if name in shown}
        context.update({n: v for n, v in computed.items() if n in shown})
        new: dict[str, Any] = {}
        for name, expression in calculations:
            if name not in shown or expression is None:
                continue
            value = expression.value(context)
            context.pop(name, None)
            if value is not None:
                context[name] = new[name] = value
        settled = new == computed and _shown(questions, context) == shown
        computed, values = new, context
        if settled:
            break
    return values, shown


def relevant_names(questions: list[Question], answers: dict[str, Any]) -> set[str]:
    """Names of the questions (and groups) shown for these answers."""
    return evaluate_answers(questions, answers)[1]


def allowed_choices(question: Question, answers: dict[str, Any]) -> list:
    choices = list(question.choices.all())
    expression = _expression(question.choice_filter)
    if expression is None:
        return choices
    return [
        c for c in choices if expression.evaluate(answers, columns={"name": c.name, **c.columns})
    ]


def _parse(question: Question, raw: Any) -> tuple[Any, str | None]:
    """Raw form input → stored value (None when empty) or an error message."""
    if question.type == QuestionType.SELECT_MULTIPLE:
        values = [v for v in (raw or []) if v]
        return (values or None), None
    text = (raw[-1] if isinstance(raw, list) and raw else raw or "").strip()
    if not text:
        return None, None
    if question.type == QuestionType.INTEGER:
        try:
            return int(text), None
        except ValueError:
            return None, _("Write a whole number, for example 12.")
    if question.type == QuestionType.DECIMAL:
        try:
            return float(text.replace(",", ".").replace(" ", "")), None
        except ValueError:
            return None, _("Write a number, for example 3,5.")
    if question.type == QuestionType.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, _("Write a date as YYYY-MM-DD.")
    if question.type == QuestionType.TIME:
        match = TIME.match(text)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            return None, _("Write a time as HH:MM, for example 09:30.")
        return f"{int(match.group(1)):02d}:{match.group(2)}", None
    if question.appearance == "numbers":
        digits = text.replace(" ", "")
        if not (digits.isascii() and digits.isdigit()):
            return None, _("Write digits only.")
        return digits[:5000], None
    return text[:5000], None


def clean_answers(
    questions: list[Question], raw: dict[str, Any], *, submit: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check raw input; returns (answers to store, {question name: error}). Answers to
    questions hidden by their condition are dropped; required ones only count on submit."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if not question.takes_answer or question.is_calculated:
            continue
        value, error = _parse(question, raw.get(question.name))
        if error:
            errors[question.name] = error
        elif value is not None:
            answers[question.name] = value
    answers, shown = evaluate_answers(questions, answers)
    for question in questions:
        name = question.name
        if not question.takes_answer or question.is_calculated:
            continue
        if name not in shown or name in errors:
            continue
        value = answers.get(name)
        if value is None:
            if submit and question.required:
                errors[name] = _("This question must be answered.")
            continue
        if question.type in CHOICE_TYPES:
            valid = {c.name for c in allowed_choices(question, answers)}
            chosen = value if isinstance(value, list) else [value]
            if any(v not in valid for v in chosen):
                errors[name] = _("Choose one of the options shown.")
                continue
        constraint = _expression(question.constraint)
        if constraint is not None and not constraint.evaluate(answers, current=value):
            errors[name] = question.constraint_message or _("The answer is not allowed.")
    return answers, errors
