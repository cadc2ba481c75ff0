"""Every write in the science shop. Each function checks permissions first, validates, runs in
a transaction, records an audit entry and a step on the question's timeline, and e-mails the
people the step concerns. Status changes go through ``_common._move``, which consults the one
transition table in ``workflow.py``.

The parts: ``permissions`` (who may see and do what), ``questions`` (asking, formulations,
decisions), ``researchers`` (profiles, interest, assignments), ``meetings`` and ``outcomes``
(with the follow-up)."""

from ._common import (
    MATCHING_RESEARCHERS_TOLD,
)
from .meetings import (
    MEETING_FIELDS,
    meeting_create,
    meeting_update,
)
from .outcomes import (
    OUTCOME_STATUS,
    follow_up_record,
    outcome_record,
)
from .permissions import (
    can_move,
    can_see_meetings,
    can_view_question,
    is_assigned,
    is_member,
    is_researcher,
    require_coordinator_or_assigned,
    require_view,
)
from .questions import (
    QUESTION_FIELDS,
    formulation_add,
    question_decide,
    question_submit,
    question_transition,
)
from .researchers import (
    PROFILE_FIELDS,
    assignment_create,
    interest_express,
    researcher_profile_save,
)

__all__ = [
    "MATCHING_RESEARCHERS_TOLD",
    "MEETING_FIELDS",
    "OUTCOME_STATUS",
    "PROFILE_FIELDS",
    "QUESTION_FIELDS",
    "assignment_create",
    "can_move",
    "can_see_meetings",
    "can_view_question",
    "follow_up_record",
    "formulation_add",
    "interest_express",
    "is_assigned",
    "is_member",
    "is_researcher",
    "meeting_create",
    "meeting_update",
    "outcome_record",
    "question_decide",
    "question_submit",
    "question_transition",
    "require_coordinator_or_assigned",
    "require_view",
    "researcher_profile_save",
]
