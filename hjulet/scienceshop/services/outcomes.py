"""What became of a question (a knowledge summary, a research project, or closed) and the
asking organisation's follow-up."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.core.models import Term
from hjulet.core.permissions import require, require_signed_in
from hjulet.regions.permissions import can_coordinate

from .. import searching
from ..models import EventKind, FollowUp, Outcome, OutcomeKind, Question
from ..workflow import OUTCOMES, Status, transition_for
from ._common import (
    _assigned_people,
    _check_challenges,
    _coordinators,
    _event,
    _locked,
    _locked_in,
    _mail,
    _move,
    _question_url,
)
from .permissions import is_member, require_coordinator_or_assigned

OUTCOME_STATUS = {
    OutcomeKind.SUMMARY: Status.PUBLISHED,
    OutcomeKind.RESEARCH_PROJECT: Status.RESEARCH_PROJECT,
    OutcomeKind.CLOSED: Status.CLOSED,
}


@transaction.atomic
def outcome_record(
    *,
    actor: Any,
    question: Question,
    kind: str,
    title: str = "",
    summary: str = "",
    challenges: Sequence[Term] = (),
    funder: str = "",
    link: str = "",
    reason: str = "",
) -> Outcome:
    """Publish a knowledge summary, record that it became a research project, or close the
    question with a reason."""
    require_coordinator_or_assigned(actor, question)
    if kind not in OUTCOME_STATUS:
        raise ValidationError({"kind": _("Choose what became of the question.")})
    question = _locked(question)
    target = OUTCOME_STATUS[kind]
    if transition_for(question.status, target) is None:
        # _move explains which move is refused; nothing below has been written.
        _move(actor=actor, question=question, target=target, reason=reason)
    errors = {}
    if kind == OutcomeKind.SUMMARY:
        if not title.strip():
            errors["title"] = _("Give the summary a title.")
        if not summary.strip():
            errors["summary"] = _("Write the knowledge summary.")
        if not question.results_may_be_public:
            errors["kind"] = _(
                "The organisation did not agree that the results may be public; record the "
                "outcome in another way."
            )
    elif kind == OutcomeKind.RESEARCH_PROJECT:
        if not funder.strip():
            errors["funder"] = _("Name the funder.")
    elif not reason.strip():
        errors["reason"] = _("Give a reason; the organisation that asked will read it.")
    if errors:
        raise ValidationError(errors)
    _check_challenges(challenges)
    outcome = Outcome(
        question=question,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        funder=funder.strip(),
        link=link.strip(),
        reason=reason.strip(),
        created_by=actor,
        published_at=timezone.now() if kind == OutcomeKind.SUMMARY else None,
    )
    outcome.full_clean()
    _move(actor=actor, question=question, target=target, reason=reason)
    changes.create(
        actor,
        outcome,
        action="question.outcome",
        target=question,
        clean=False,
        also={
            "outcome": [None, kind],
            "title": [None, outcome.title],
            "challenges": [None, sorted(t.code for t in challenges)],
        },
    )
    outcome.challenges.set(challenges)
    searching.index_summary(outcome)
    _event(question, actor, EventKind.OUTCOME, outcome.title or outcome.funder or reason)
    return outcome


@transaction.atomic
def follow_up_record(*, actor: Any, question: Question, was_used: str, how: str) -> FollowUp:
    """The asking organisation says whether and how the result was used."""
    require_signed_in(actor)
    require(
        is_member(actor, question.organisation_id) or can_coordinate(actor, question),
        _("Only the asking organisation can follow up its question."),
    )
    question = _locked_in(
        question, OUTCOMES, _("There is no result to follow up yet; the question is “%(status)s”.")
    )
    if FollowUp.objects.filter(question=question).exists():
        raise ValidationError(_("The follow-up is already recorded."), code="duplicate")
    follow_up = FollowUp(
        question=question, was_used=was_used, how=(how or "").strip(), created_by=actor
    )
    changes.create(
        actor,
        follow_up,
        action="question.follow_up",
        target=question,
        also={"was_used": [None, was_used], "how": [None, how]},
    )
    _event(question, actor, EventKind.FOLLOW_UP, how)
    _mail(
        _coordinators() + _assigned_people(question),
        "follow_up",
        question=question,
        follow_up=follow_up,
        url=_question_url(question),
    )
    return follow_up
