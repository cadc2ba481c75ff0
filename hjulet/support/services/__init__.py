"""Every write to support structures, funding calls, follows and advice requests.

Each function checks permissions first, validates, runs in a transaction and records an
audit entry. E-mail goes out after commit (core/mail.py). The parts: ``structures`` (the
support directory), ``calls`` (funding calls and follows) and ``advice`` (advice requests);
``_common`` holds what several of them use.
"""

from .advice import (
    DUPLICATE_WINDOW,
    REQUEST_FIELDS,
    can_view_request,
    eligible_advisers,
    handles_request,
    request_add_note,
    request_assign,
    request_close,
    request_create,
    request_forward,
    route,
)
from .calls import (
    CALL_FIELDS,
    REMIND_DAYS_BEFORE,
    RESERVED_SLUGS,
    call_create,
    call_follow,
    call_reminders_send,
    call_unfollow,
    call_update,
    can_edit_call,
)
from .structures import (
    STRUCTURE_FIELDS,
    can_edit_structure,
    structure_create,
    structure_update,
)

__all__ = [
    "CALL_FIELDS",
    "DUPLICATE_WINDOW",
    "REMIND_DAYS_BEFORE",
    "REQUEST_FIELDS",
    "RESERVED_SLUGS",
    "STRUCTURE_FIELDS",
    "call_create",
    "call_follow",
    "call_reminders_send",
    "call_unfollow",
    "call_update",
    "can_edit_call",
    "can_edit_structure",
    "can_view_request",
    "eligible_advisers",
    "handles_request",
    "request_add_note",
    "request_assign",
    "request_close",
    "request_create",
    "request_forward",
    "route",
    "structure_create",
    "structure_update",
]
