"""Meetings about a question (planned or held)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import changes

from ..models import EventKind, Meeting, Question
from ..workflow import MEETINGS_OPEN, Status
from ._common import _concerned, _event, _locked_in, _mail, _move, _question_url, _stripped
from .permissions import require_coordinator_or_assigned

MEETING_FIELDS = (
    "starts_at",
    "duration_minutes",
    "place",
    "participants",
    "notes",
    "next_steps",
)


@transaction.atomic
def meeting_create(*, actor: Any, question: Question, **fields: Any) -> Meeting:
    """Record a meeting (planned or held). The first meeting after matching starts the work."""
    require_coordinator_or_assigned(actor, question)
    question = _locked_in(
        question, MEETINGS_OPEN, _("The question is “%(status)s”; meetings can no longer be added.")
    )
    meeting = Meeting(
        question=question,
        created_by=actor,
        **{k: v for k, v in _stripped(fields).items() if k in MEETING_FIELDS and v is not None},
    )
    changes.create(actor, meeting, MEETING_FIELDS, action="question.meeting", target=question)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    _event(question, actor, EventKind.MEETING, f"{when} {meeting.place}".strip())
    _mail(
        [p for p in _concerned(question) if p is not None and p.pk != actor.pk],
        "meeting",
        question=question,
        meeting=meeting,
        url=_question_url(question),
    )
    if question.status == Status.MATCHED:
        _move(actor=actor, question=question, target=Status.IN_PROGRESS)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: Any, meeting: Meeting, expected_version: int | None = None, **fields: Any
) -> Meeting:
    """Notes and next steps after the meeting (or a new time before it)."""
    question = meeting.question
    require_coordinator_or_assigned(actor, question)
    question = _locked_in(
        question,
        MEETINGS_OPEN,
        _("The question is “%(status)s”; meetings can no longer be changed."),
    )
    with changes.edit(
        actor,
        meeting,
        MEETING_FIELDS,
        action="question.meeting_update",
        expected_version=expected_version,
        target=question,
    ) as change:
        change.assign({k: v for k, v in _stripped(fields).items() if v is not None})
    meeting = change.instance
    if change.changes:
        _event(question, actor, EventKind.MEETING, meeting.next_steps or meeting.notes)
    return meeting
