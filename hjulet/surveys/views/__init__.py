"""The survey pages, one module per part: surveys, importing, questions, distribution,
answering, results and coding, reports. Every view is importable from here (urls.py)."""

from .answering import (
    anonymous_start,
    answer,
    answer_conditions,
    preview_conditions,
    survey_preview,
)
from .distribution import distribution
from .imports import LEGACY_SESSION_UPLOAD, UPLOAD_PURPOSE, survey_import, survey_import_commit
from .questions import question_action, question_edit
from .reports import report_create, report_detail, report_edit
from .results import coding, results
from .surveys import (
    access_grant,
    access_revoke,
    survey_action,
    survey_create,
    survey_detail,
    survey_list,
    survey_update,
)

__all__ = [
    "LEGACY_SESSION_UPLOAD",
    "UPLOAD_PURPOSE",
    "access_grant",
    "access_revoke",
    "anonymous_start",
    "answer",
    "answer_conditions",
    "coding",
    "distribution",
    "preview_conditions",
    "question_action",
    "question_edit",
    "report_create",
    "report_detail",
    "report_edit",
    "results",
    "survey_action",
    "survey_create",
    "survey_detail",
    "survey_import",
    "survey_import_commit",
    "survey_list",
    "survey_preview",
    "survey_update",
]
