"""Reading the sheets: survey, choices and settings by name whatever the case, the filled
rows as (row number, {column: text}), texts per language and yes/no cells."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hjulet.lib.spreadsheets import cell_text

from .columns import (
    BLANK_LOOKAHEAD,
    FALSE_VALUES,
    MAX_BLANK_RUN,
    MAX_COLUMNS,
    MAX_ROWS,
    PYXFORM_SHEETS,
    SHEETS,
    TEXT_COLUMNS,
    TRUE_VALUES,
    language_of,
    normal_header,
)
from .form import ParsedForm, Problem


def _pick_sheets(workbook: Any, form: ParsedForm) -> dict[str, Any]:
    """survey, choices and settings by name whatever the case; a workbook's only sheet is
    the survey when its name is none of pyxform's (pyxform does the same)."""
    picked: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        role = sheet.title.strip().lower()
        if role in SHEETS and role not in picked:
            picked[role] = sheet
    if "survey" not in picked and len(workbook.worksheets) == 1:
        only = workbook.worksheets[0]
        if only.title.strip().lower() not in PYXFORM_SHEETS:
            picked["survey"] = only
    form.sheet_titles = {role: sheet.title for role, sheet in picked.items()}
    return picked


def _read_sheet(sheet: Any, role: str, form: ParsedForm) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for the filled rows. Only filled rows count towards
    MAX_ROWS; no row is read further right than the header, so memory stays bounded
    whatever size the sheet declares."""
    # The stored dimensions may be wrong (some programs write "A1", others the whole sheet);
    # without them openpyxl reads the rows that are there.
    sheet.reset_dimensions()
    header_row = next(sheet.iter_rows(max_row=1, values_only=True), None) or ()
    header = [normal_header(cell_text(cell)) for cell in header_row]
    while header and not header[-1]:
        header.pop()
    if not header:
        return []
    if len(header) > MAX_COLUMNS:
        form.problem(
            role,
            1,
            "",
            _("The sheet has more than %(limit)s columns.") % {"limit": MAX_COLUMNS},
        )
        return []
    originals = [cell_text(cell).strip() for cell in header_row[: len(header)]]
    seen: set[str] = set()
    for column, original in zip(header, originals, strict=True):
        if column and column.lower() in seen:
            form.problem(
                role,
                1,
                original,
                _("The column '%(column)s' appears twice.") % {"column": original},
            )
        seen.add(column.lower())
    records: list[tuple[int, dict[str, str]]] = []
    blank_run = 0
    rows = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
    width = len(header)
    for number, values in enumerate(rows, start=2):
        if values.count(None) == width:  # fast path: most of a huge declared sheet
            blank_run += 1
            if blank_run > MAX_BLANK_RUN + BLANK_LOOKAHEAD:
                break
            continue
        record = {
            header[i]: cell_text(value).strip()
            for i, value in enumerate(values)
            if header[i] and value is not None
        }
        if not any(record.values()):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN + BLANK_LOOKAHEAD:
                break
            continue
        if blank_run > MAX_BLANK_RUN:
            form.problem(
                role,
                number,
                "",
                _(
                    "More than %(limit)s blank rows come before this row, and other XLSForm "
                    "tools (ODK, KoboToolbox) stop reading there. Remove the blank rows."
                )
                % {"limit": MAX_BLANK_RUN},
            )
            break
        blank_run = 0
        if len(records) >= MAX_ROWS:
            form.problem(
                role,
                number,
                "",
                _("The sheet has more than %(limit)s filled rows.") % {"limit": MAX_ROWS},
            )
            break
        records.append((number, record))
    return records


def _read_sheets(data: bytes, form: ParsedForm) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """The survey, choices and settings sheets as (row number, {column: text}) for the
    filled rows; duplicate column headers are reported where they are."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        picked = _pick_sheets(workbook, form)
        if "survey" not in picked:
            form.problem(
                "survey",
                0,
                "",
                _("The workbook has no sheet called 'survey' (its sheets: %(names)s).")
                % {"names": ", ".join(sheet.title for sheet in workbook.worksheets) or "—"},
            )
            return {}
        return {role: _read_sheet(sheet, role, form) for role, sheet in picked.items()}
    finally:
        workbook.close()


def _require_columns(sheets: dict, form: ParsedForm) -> None:
    """A missing column would otherwise show as a problem on every row."""
    if not sheets.get("survey"):
        form.problem(
            "survey",
            1,
            "",
            _(
                "The sheet has no questions: the first row holds the column names (type, name, "
                "label), the questions follow on the rows below."
            ),
        )
        return
    needed = {"survey": [("type",), ("name",)], "choices": [("list_name", "list name"), ("name",)]}
    for role, groups in needed.items():
        rows = sheets.get(role, [])
        if not rows:
            continue
        present = {column for _row, record in rows for column in record}
        for names in groups:
            if not any(name in present for name in names):
                form.problem(
                    role,
                    1,
                    names[0],
                    _("The column '%(column)s' is missing (or empty on every row).")
                    % {"column": names[0]},
                )


def _texts(record: dict[str, str], default: str, form: ParsedForm, sheet: str, row: int) -> dict:
    texts: dict[str, str] = {}
    for column, value in record.items():
        base, language = language_of(column, default)
        if base.lower() not in TEXT_COLUMNS or not value:
            continue
        if language is None:
            form.ignored.append(
                Problem(sheet, row, column, _("Only Swedish and English texts are imported."))
            )
            continue
        texts[f"{base.lower()}_{language}"] = value
    return texts


def _flag(value: str, form: ParsedForm, row: int, column: str) -> bool:
    if value.strip().lower() in TRUE_VALUES:
        return True
    if value.strip().lower() not in FALSE_VALUES:
        form.problem(
            "survey",
            row,
            column,
            _("Only yes or no is supported here, not '%(value)s'.") % {"value": value},
        )
    return False
