"""Every write to methods, initiatives, partnerships and adaptations.

Each function checks permissions, validates, runs in a transaction, records an audit entry
and keeps the search index in step with the database.
"""

from ._common import ENTRY_FIELDS, INITIATIVE_FIELDS, METHOD_FIELDS, RESERVED_SLUGS, TAGS
from .adaptations import adaptation_create, adaptation_delete
from .bulk import (
    BULK_BATCH_SIZE,
    SLUG_LOOKUP_SIZE,
    InvalidEntry,
    initiative_create_many,
    initiative_problems,
)
from .editors import (
    editor_candidates,
    entry_review,
    initiative_editor_add,
    initiative_editor_remove,
)
from .initiatives import initiative_create, initiative_update
from .methods import method_create, method_update
from .partnerships import (
    partnership_accept,
    partnership_decline,
    partnership_remove,
    partnership_set,
)
from .permissions import (
    answer_refused,
    can_answer_for,
    can_edit_initiative,
    can_edit_method,
    can_follow_initiative,
    can_manage_initiative,
    edit_refused,
    is_lead_admin,
    lead_admin_memberships,
    manage_refused,
    method_edit_refused,
)

__all__ = [
    "BULK_BATCH_SIZE",
    "ENTRY_FIELDS",
    "INITIATIVE_FIELDS",
    "METHOD_FIELDS",
    "RESERVED_SLUGS",
    "SLUG_LOOKUP_SIZE",
    "TAGS",
    "InvalidEntry",
    "adaptation_create",
    "adaptation_delete",
    "answer_refused",
    "can_answer_for",
    "can_edit_initiative",
    "can_edit_method",
    "can_follow_initiative",
    "can_manage_initiative",
    "edit_refused",
    "editor_candidates",
    "entry_review",
    "initiative_create",
    "initiative_create_many",
    "initiative_editor_add",
    "initiative_editor_remove",
    "initiative_problems",
    "initiative_update",
    "is_lead_admin",
    "lead_admin_memberships",
    "manage_refused",
    "method_create",
    "method_edit_refused",
    "method_update",
    "partnership_accept",
    "partnership_decline",
    "partnership_remove",
    "partnership_set",
]
