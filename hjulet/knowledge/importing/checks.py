"""What the check of a row finds, and how it is stored and shown."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .layouts import Layout

#: The stored check (preview page, API) lists the first rows, the rows with errors and the
#: rows with warnings, each up to these numbers; the counts always cover the whole file.
PREVIEW_ROWS = 100
MAX_LISTED_ROWS_WITH_ERRORS = 1000


@dataclass
class Issue:
    column: str  # as written in the file's header; "" when it concerns the whole row
    message: str


@dataclass
class RowCheck:
    number: int
    title: str = ""
    municipality: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    bad_fields: set[str] = field(default_factory=set)
    warnings: list[Issue] = field(default_factory=list)  # the row is imported all the same

    def problem(self, column: str, message: str, *fields: str) -> None:
        self.issues.append(Issue(column, message))
        self.bad_fields.update(fields)

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(column, message))


def issue_text(row: int, column: str, message: str) -> str:
    if column:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    return _("Row %(row)d: %(message)s") % {"row": row, "message": message}


class Listing:
    """Which checks the stored report lists, given in file order: the correct rows among
    the first ``PREVIEW_ROWS``, the first ``MAX_LISTED_ROWS_WITH_ERRORS`` rows with errors and
    as many with warnings only. The two are counted apart, so that a file of many long
    summaries (each cut, with a warning) does not leave its errors out of the report: once
    the file is imported, the report is all there is to list them from."""

    def __init__(self) -> None:
        self.listed: list[RowCheck] = []
        self.with_errors = 0
        self.with_warnings = 0  # and no errors

    def add(self, position: int, check: RowCheck) -> None:
        if check.issues:
            self.with_errors += 1
            if self.with_errors <= MAX_LISTED_ROWS_WITH_ERRORS:
                self.listed.append(check)
        elif check.warnings:
            self.with_warnings += 1
            if self.with_warnings <= MAX_LISTED_ROWS_WITH_ERRORS:
                self.listed.append(check)
        elif position < PREVIEW_ROWS:
            self.listed.append(check)


def report_of(checks: Sequence[RowCheck]) -> list[dict[str, Any]]:
    """The check as stored in the batch and shown on the preview page and in the API: the
    rows a ``Listing`` lists, in file order."""
    listing = Listing()
    for position, check in enumerate(checks):
        listing.add(position, check)
    return [
        {
            "row": check.number,
            "title": check.title,
            "municipality": check.municipality,
            "errors": _reported(check, check.issues),
            "warnings": _reported(check, check.warnings),
        }
        for check in listing.listed
    ]


def _reported(check: RowCheck, issues: list[Issue]) -> list[dict[str, Any]]:
    return [
        {
            "column": issue.column,
            "message": issue.message,
            "text": issue_text(check.number, issue.column, issue.message),
        }
        for issue in issues
    ]


def service_issues(error: ValidationError, layout: "Layout") -> list[Issue]:
    if not hasattr(error, "error_dict"):
        return [Issue("", message) for message in error.messages]
    issues = []
    for name, messages in error.message_dict.items():
        column = "" if name == NON_FIELD_ERRORS else layout.column_for(name)
        issues.extend(Issue(column, message) for message in messages)
    return issues


def problems_text(checks: Sequence[RowCheck]) -> str:
    problems = [issue_text(c.number, i.column, i.message) for c in checks for i in c.issues]
    return " ".join(problems[:5])
