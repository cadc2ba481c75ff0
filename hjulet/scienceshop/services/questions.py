"""Asking a question, reformulating it, and the coordinators' decisions on it."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import changes
from hjulet.core.models import Term
from hjulet.core.permissions import require, require_signed_in
from hjulet.regions.permissions import can_coordinate, require_can_coordinate

from ..models import EventKind, Question, QuestionFormulation
from ..workflow import DECISIONS, FORMULATION_OPEN, OUTCOMES, Status
from ._common import (
    _check_challenges,
    _coordinators,
    _event,
    _locked,
    _locked_in,
    _mail,
    _move,
    _question_url,
    _stripped,
)
from .permissions import is_member, require_coordinator_or_assigned

QUESTION_FIELDS = (
    "title",
    "background",
    "wanted_knowledge",
    "intended_use",
    "non_commercial",
    "results_may_be_public",
    "lacks_means",
)


@transaction.atomic
def question_submit(
    *,
    actor: Any,
    organisation: Organisation,
    challenges: Sequence[Term] = (),
    **fields: Any,
) -> Question:
    """A member of an organisation asks a question on its behalf."""
    require_signed_in(actor)
    require(
        is_member(actor, organisation.pk),
        _("You can ask questions on behalf of organisations you are a member of."),
    )
    fields = _stripped(fields)
    missing = {
        name: _("Answer yes or no.")
        for name in ("non_commercial", "results_may_be_public", "lacks_means")
        if fields.get(name) is None
    }
    if missing:
        raise ValidationError(missing)
    question = Question(
        organisation=organisation,
        submitted_by=actor,
        **{k: v for k, v in fields.items() if k in QUESTION_FIELDS},
    )
    question.full_clean()
    _check_challenges(challenges)
    changes.create(
        actor,
        question,
        ("organisation", *QUESTION_FIELDS),
        action="question.submit",
        clean=False,
        also={"challenges": [None, sorted(t.code for t in challenges)]},
    )
    question.challenges.set(challenges)
    QuestionFormulation.objects.create(
        question=question,
        number=1,
        text=question.wanted_knowledge,
        comment=_("As the organisation first asked it."),
        author=actor,
    )
    _event(question, actor, EventKind.STATUS, to_status=Status.SUBMITTED)
    _mail(
        _coordinators(),
        "submitted",
        question=question,
        organisation=organisation,
        url=_question_url(question),
    )
    return question


# --- intake -----------------------------------------------------------------------------


@transaction.atomic
def formulation_add(
    *, actor: Any, question: Question, text: str, comment: str = ""
) -> QuestionFormulation:
    """A new version of the question's wording, by a coordinator or the asking organisation.
    The coordinator's first formulation opens the dialogue."""
    require_signed_in(actor)
    require(
        can_coordinate(actor, question) or is_member(actor, question.organisation_id),
        _("Only coordinators and the asking organisation can reformulate the question."),
    )
    coordinates = can_coordinate(actor, question)
    question = _locked_in(
        question,
        FORMULATION_OPEN,
        _("The question is “%(status)s”; its wording can no longer change."),
    )
    number = (question.formulations.aggregate(last=Max("number"))["last"] or 0) + 1
    formulation = QuestionFormulation(
        question=question, number=number, text=(text or "").strip(), comment=comment, author=actor
    )
    changes.create(
        actor,
        formulation,
        action="question.formulation_add",
        target=question,
        also={"formulation": [None, number], "text": [None, formulation.text]},
    )
    _event(question, actor, EventKind.FORMULATION, _("Version %(n)s") % {"n": number})
    if coordinates and question.status == Status.SUBMITTED:
        _move(actor=actor, question=question, target=Status.IN_DIALOGUE)
    readers = [question.submitted_by] if coordinates else _coordinators()
    _mail(
        [p for p in readers if p is not None and p.pk != actor.pk],
        "formulation",
        question=question,
        formulation=formulation,
        url=_question_url(question),
    )
    return formulation


@transaction.atomic
def question_decide(*, actor: Any, question: Question, decision: str, reason: str) -> Question:
    """Accept, refer elsewhere, give advice or decline; always with a reason."""
    require_can_coordinate(actor, question)
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose accept, refer, advise or decline.")})
    return _move(actor=actor, question=_locked(question), target=decision, reason=reason)


@transaction.atomic
def question_transition(
    *, actor: Any, question: Question, target: str, reason: str = ""
) -> Question:
    """The other moves of the table (start the dialogue, work has started). Outcomes are
    recorded with ``outcome_record`` so that they always carry their content."""
    require_coordinator_or_assigned(actor, question)
    if target not in Status.values:
        raise ValidationError({"target": _("Unknown status.")})
    if target in OUTCOMES:
        raise ValidationError(
            {"target": _("Record the outcome instead; it says what became of the question.")}
        )
    return _move(actor=actor, question=_locked(question), target=target, reason=reason)


# --- researchers ------------------------------------------------------------------------
