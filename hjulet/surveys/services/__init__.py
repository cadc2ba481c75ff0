"""Every write to surveys, questions, invitations, responses, codes and reports.

Each function checks permissions, validates, runs in a transaction and records an audit entry
(updates and creates through ``core.changes``). One module per aggregate; every name is
importable from here.
"""

from ._common import require_manage
from .coding import code_create, coding_set
from .imports import problem_text, survey_import_xlsform
from .invitations import MAX_INVITATIONS, invitation_preview, invitations_remind, invitations_send
from .permissions import (
    can_manage,
    can_manage_organisation,
    can_read_answers,
    can_see_survey,
    has_access_grant,
)
from .questions import (
    QUESTION_FIELDS,
    question_create,
    question_delete,
    question_move,
    question_update,
)
from .reports import (
    REPORT_FIELDS,
    report_block_add,
    report_block_delete,
    report_block_move,
    report_create,
    report_set_published,
    report_update,
)
from .responses import (
    LinkRefused,
    check_open_link,
    response_erase,
    response_for_token,
    response_save,
    response_start_anonymous,
)
from .surveys import (
    SURVEY_FIELDS,
    survey_access_grant,
    survey_access_revoke,
    survey_close,
    survey_create,
    survey_open,
    survey_set_anonymous_link,
    survey_update,
)

__all__ = [
    "MAX_INVITATIONS",
    "QUESTION_FIELDS",
    "REPORT_FIELDS",
    "SURVEY_FIELDS",
    "LinkRefused",
    "can_manage",
    "can_manage_organisation",
    "can_read_answers",
    "can_see_survey",
    "check_open_link",
    "code_create",
    "coding_set",
    "has_access_grant",
    "invitation_preview",
    "invitations_remind",
    "invitations_send",
    "problem_text",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "report_block_add",
    "report_block_delete",
    "report_block_move",
    "report_create",
    "report_set_published",
    "report_update",
    "require_manage",
    "response_erase",
    "response_for_token",
    "response_save",
    "response_start_anonymous",
    "survey_access_grant",
    "survey_access_revoke",
    "survey_close",
    "survey_create",
    "survey_import_xlsform",
    "survey_open",
    "survey_set_anonymous_link",
    "survey_update",
]
