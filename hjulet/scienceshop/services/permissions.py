"""Who may see and do what with a science shop question."""

from typing import Any

from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.regions.permissions import can_coordinate

from ..models import Question
from ..workflow import ASSIGNED, COORDINATOR, OPEN_TO_RESEARCHERS, transition_for


def is_member(actor: Any, organisation_id: int) -> bool:
    return (
        is_signed_in(actor)
        and Membership.objects.filter(user=actor, organisation_id=organisation_id).exists()
    )


def is_assigned(actor: Any, question: Question) -> bool:
    if not is_signed_in(actor):
        return False
    return (
        question.assignments.filter(researcher=actor).exists()
        or question.assignments.filter(supervisor=actor).exists()
    )


def is_researcher(actor: Any) -> bool:
    return is_signed_in(actor) and actor.is_researcher


def can_view_question(actor: Any, question: Question) -> bool:
    """Coordinators see every question (a regional hub's those of its area); the asking
    organisation its own; researchers the open ones and those they work on. Everyone else sees
    only published summaries."""
    if not is_signed_in(actor):
        return False
    return (
        can_coordinate(actor, question)
        or is_member(actor, question.organisation_id)
        or (actor.is_researcher and question.status in OPEN_TO_RESEARCHERS)
        or is_assigned(actor, question)
    )


def require_view(actor: Any, question: Question) -> None:
    require_signed_in(actor)
    require(
        can_view_question(actor, question),
        _(
            "Only the asking organisation, coordinators and researchers (once the question is "
            "accepted) can see this question."
        ),
    )


def can_see_meetings(actor: Any, question: Question) -> bool:
    """Meetings (participants, notes, next steps) are the working notes of the asking
    organisation, the assigned researchers and coordinators. Other researchers see an open
    question so that they can offer to help, not the meetings of those already on it."""
    return is_signed_in(actor) and (
        can_coordinate(actor, question)
        or is_member(actor, question.organisation_id)
        or is_assigned(actor, question)
    )


def can_move(actor: Any, question: Question, target: str) -> bool:
    transition = transition_for(question.status, target)
    if transition is None or not is_signed_in(actor):
        return False
    return (COORDINATOR in transition.actors and can_coordinate(actor, question)) or (
        ASSIGNED in transition.actors and is_assigned(actor, question)
    )


def require_coordinator_or_assigned(actor: Any, question: Question) -> None:
    require_signed_in(actor)
    require(
        can_coordinate(actor, question) or is_assigned(actor, question),
        _("Only coordinators and the researchers assigned to the question can do this."),
    )
