"""The science shop's workflow in one place: every status, who may move a question from one
status to the next, and which moves need a reason the organisation will read.

Services consult ``transition_for``; anything not in ``TRANSITIONS`` is refused."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    ACCEPTED = "accepted", _("Accepted")
    REFERRED = "referred", _("Referred elsewhere")
    ADVISED = "advised", _("Advice given")
    DECLINED = "declined", _("Declined")
    MATCHED = "matched", _("Matched")
    IN_PROGRESS = "in_progress", _("In progress")
    PUBLISHED = "published", _("Knowledge summary published")
    RESEARCH_PROJECT = "research_project", _("Became a research project")
    CLOSED = "closed", _("Closed")


# Who may make a move: the coordinator, the researchers assigned to the question, or the
# members of the asking organisation.
COORDINATOR = "coordinator"
ASSIGNED = "assigned"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset[str]
    needs_reason: bool = False


def _t(source: str, target: str, *actors: str, reason: bool = False) -> Transition:
    return Transition(source, target, frozenset(actors or {COORDINATOR}), reason)


S = Status
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in [
        _t(S.SUBMITTED, S.IN_DIALOGUE),
        *[
            _t(source, decision, reason=True)
            for source in (S.SUBMITTED, S.IN_DIALOGUE)
            for decision in (S.ACCEPTED, S.REFERRED, S.ADVISED, S.DECLINED)
        ],
        _t(S.ACCEPTED, S.MATCHED),
        _t(S.ACCEPTED, S.CLOSED, reason=True),
        _t(S.MATCHED, S.IN_PROGRESS, COORDINATOR, ASSIGNED),
        _t(S.MATCHED, S.CLOSED, reason=True),
        _t(S.IN_PROGRESS, S.PUBLISHED, COORDINATOR, ASSIGNED),
        _t(S.IN_PROGRESS, S.RESEARCH_PROJECT, COORDINATOR, ASSIGNED),
        _t(S.IN_PROGRESS, S.CLOSED, COORDINATOR, ASSIGNED, reason=True),
    ]
}

DECISIONS = (S.ACCEPTED, S.REFERRED, S.ADVISED, S.DECLINED)
OUTCOMES = (S.PUBLISHED, S.RESEARCH_PROJECT, S.CLOSED)
# Where researchers can see a question and say they are interested.
OPEN_TO_RESEARCHERS = (S.ACCEPTED, S.MATCHED, S.IN_PROGRESS)
# While the question's wording may still change.
FORMULATION_OPEN = (S.SUBMITTED, S.IN_DIALOGUE, S.ACCEPTED)
MEETINGS_OPEN = (S.IN_DIALOGUE, S.ACCEPTED, S.MATCHED, S.IN_PROGRESS)
ASSIGNMENT_OPEN = (S.ACCEPTED, S.MATCHED, S.IN_PROGRESS)
FINISHED = (S.REFERRED, S.ADVISED, S.DECLINED, *OUTCOMES)
# The stages whose duration the coordinators' overview reports.
STAGES = (S.SUBMITTED, S.IN_DIALOGUE, S.ACCEPTED, S.MATCHED, S.IN_PROGRESS)


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def targets_from(source: str) -> list[str]:
    return [target for (start, target) in TRANSITIONS if start == source]
