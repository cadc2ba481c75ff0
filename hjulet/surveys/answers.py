"""Checking a respondent's answers: types, choices, conditions (relevant), constraints and
required questions. Pure functions over the survey's questions; services store the result."""

import datetime
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


def relevant_names(questions: Iterable[Question], answers: dict[str, Any]) -> set[str]:
    """Names of the questions (and groups) shown for these answers."""
    shown: set[str] = set()
    for question in questions:
        if question.group_id and question.group.name not in shown:
            continue
        expression = _expression(question.relevant)
        if expression is None or expression.evaluate(answers):
            shown.add(question.name)
    return shown


def not_asked_names(questions: Iterable[Question], answers: dict[str, Any]) -> list[str]:
    """Names of the questions taking an answer that a condition (theirs or their group's)
    hid for these answers: stored with the response as "not asked"."""
    questions = list(questions)
    shown = relevant_names(questions, answers)
    return [q.name for q in questions if q.takes_answer and q.name not in shown]


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
    return text[:5000], None


def clean_answers(
    questions: list[Question], raw: dict[str, Any], *, submit: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check raw input; returns (answers to store, {question name: error}). Answers to
    questions hidden by their condition are dropped; required ones only count on submit."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if not question.takes_answer:
            continue
        value, error = _parse(question, raw.get(question.name))
        if error:
            errors[question.name] = error
        elif value is not None:
            answers[question.name] = value
    shown = relevant_names(questions, answers)
    answers = {name: value for name, value in answers.items() if name in shown}
    for question in questions:
        name = question.name
        if not question.takes_answer or name not in shown or name in errors:
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
