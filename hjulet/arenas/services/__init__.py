"""Every write to arenas, agreements, challenges, ideas, comments, events and notifications.

Each function checks permissions first, validates, runs in a transaction and records an
audit entry. E-mail goes out after commit (core/mail.py). One module per aggregate:
``arenas`` (arenas and agreements), ``challenges`` (challenges and events), ``ideas`` (ideas,
comments, support, follows, idea → initiative), ``moderation`` (reports and decisions);
``permissions`` says who may do what.
"""

from .arenas import (
    AGREEMENT_FIELDS,
    ARENA_FIELDS,
    agreement_create,
    arena_add_organisation,
    arena_create,
)
from .challenges import (
    CHALLENGE_FIELDS,
    EVENT_FIELDS,
    challenge_create,
    challenge_set_open,
    event_create,
    event_register,
    registration_cancel,
)
from .ideas import (
    comment_create,
    follow_set,
    idea_create,
    idea_to_initiative,
    idea_update,
    support_add,
    support_withdraw,
)
from .moderation import content_report, moderation_decide
from .permissions import (
    can_manage_arena,
    can_manage_challenge,
    can_post_challenge,
    can_read_agreement,
    can_see,
    member_organisation_ids,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "ARENA_FIELDS",
    "CHALLENGE_FIELDS",
    "EVENT_FIELDS",
    "agreement_create",
    "arena_add_organisation",
    "arena_create",
    "can_manage_arena",
    "can_manage_challenge",
    "can_post_challenge",
    "can_read_agreement",
    "can_see",
    "challenge_create",
    "challenge_set_open",
    "comment_create",
    "content_report",
    "event_create",
    "event_register",
    "follow_set",
    "idea_create",
    "idea_to_initiative",
    "idea_update",
    "member_organisation_ids",
    "moderation_decide",
    "registration_cancel",
    "support_add",
    "support_withdraw",
]
