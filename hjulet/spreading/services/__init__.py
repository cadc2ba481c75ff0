"""Every write to dissemination plans, adaptation drafts and their message threads.

One module per aggregate: ``plans`` (plans and their steps), ``drafts`` (adaptation drafts
from draft to published or stopped), ``threads`` (the messages about a draft);
``permissions`` says who may do what."""

from .drafts import (
    DRAFT_FIELDS,
    draft_create,
    draft_publish,
    draft_stop,
    draft_update,
    methods_of,
)
from .permissions import (
    can_create_plan,
    can_edit_draft,
    can_edit_plan,
    can_read_draft,
    can_use_thread,
    draft_refused,
    is_original_team,
    original_team,
    plan_refused,
)
from .plans import PLAN_FIELDS, plan_create, plan_update, step_create, step_set_done
from .threads import message_post

__all__ = [
    "DRAFT_FIELDS",
    "PLAN_FIELDS",
    "can_create_plan",
    "can_edit_draft",
    "can_edit_plan",
    "can_read_draft",
    "can_use_thread",
    "draft_create",
    "draft_publish",
    "draft_refused",
    "draft_stop",
    "draft_update",
    "is_original_team",
    "message_post",
    "methods_of",
    "original_team",
    "plan_create",
    "plan_refused",
    "plan_update",
    "step_create",
    "step_set_done",
]
