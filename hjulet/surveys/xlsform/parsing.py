"""Reading and checking a whole XLSForm: the file's limits, settings, choice lists and
questions, then pyxform's own checks."""

import re
from typing import Any

from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from hjulet.lib.spreadsheets import SpreadsheetError, check_zip

from .columns import (
    CHOICE_COLUMNS,
    MAX_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    SETTINGS_COLUMNS,
    TRUE_VALUES,
    language_of,
)
from .form import ChoiceSpec, ParsedForm, Problem
from .questions import _questions
from .sheets import _read_sheets, _require_columns, _texts


def parse_xlsform(data: bytes) -> ParsedForm:
    """Read and check an XLSForm (.xlsx). ``form.problems`` lists everything that stops the
    import; ``form.ignored`` what is skipped without harm (metadata, other languages).
    Problems name the sheets as the workbook does ("Survey", or "Blad1" when that is its
    only sheet)."""
    form = ParsedForm()
    _parse(data, form)
    for problem in (*form.problems, *form.ignored):
        problem.sheet = form.sheet_titles.get(problem.sheet, problem.sheet)
    return form


def _parse(data: bytes, form: ParsedForm) -> None:
    if len(data) > MAX_BYTES:
        form.problem("", 0, "", _("The file is larger than 5 MB."))
        return
    try:
        check_zip(data, MAX_UNCOMPRESSED_BYTES)
    except SpreadsheetError as error:
        if error.code == "too_large_unpacked":
            form.problem("", 0, "", _("The workbook unpacks to more than 50 MB."))
        else:
            form.problem("", 0, "", _("The file is not an Excel workbook (.xlsx)."))
        return
    try:
        sheets = _read_sheets(data, form)
    except Exception:  # openpyxl raises many kinds on a damaged file (zlib, XML, KeyError …)
        form.problem("", 0, "", _("The Excel file is damaged and cannot be read."))
        return
    if form.problems:
        return
    _require_columns(sheets, form)
    if form.problems:
        return
    default = _settings(sheets, form)
    choice_lists = _choices(sheets, default, form)
    _questions(sheets["survey"], default, choice_lists, form)
    if form.problems:
        return
    try:  # pyxform's own checks of everything Hjulet accepted
        convert(xlsform=data, validate=False)
    except PyXFormError as error:
        match = re.search(r"\[row\s*:\s*(\d+)\]", str(error))
        form.problem("survey", int(match.group(1)) if match else 0, "pyxform", str(error))
        return
    except Exception:  # pyxform reads the workbook again, and not every failure is its own
        form.problem("survey", 0, "pyxform", _("The form cannot be read by pyxform."))
        return
    languages = {"sv"}
    if any(q.label_en for q in form.questions):
        languages.add("en")
    form.languages = sorted(languages, key=lambda code: code != default)


def _settings(sheets: dict, form: ParsedForm) -> str:
    rows = sheets.get("settings", [])
    default = "sv"
    if rows:
        row, record = rows[0]
        form.title = record.get("form_title", "")
        form.form_id = record.get("form_id", "")
        form.version = record.get("version", "")
        duplicates = record.get("allow_choice_duplicates", "").lower()
        form.allow_choice_duplicates = duplicates in TRUE_VALUES
        if record.get("default_language"):
            _base, language = language_of(f"label::{record['default_language']}", "sv")
            if language is None:
                form.problem(
                    "settings",
                    row,
                    "default_language",
                    _("Only Swedish or English can be the default language."),
                )
            else:
                default = language
        for column, value in record.items():
            if value and column.lower() not in SETTINGS_COLUMNS:
                form.problem(
                    "settings",
                    row,
                    column,
                    _("The setting '%(column)s' is not supported.") % {"column": column},
                )
    return default


def _choices(sheets: dict, default: str, form: ParsedForm) -> dict[str, list[ChoiceSpec]]:
    """The choice lists by list name. A choice is known by its list and its name: one name
    twice in a list is refused unless the settings allow it (as in pyxform), and then each
    keeps its own label and filter columns."""
    lists: dict[str, list[ChoiceSpec]] = {}
    first_row: dict[tuple[str, str], int] = {}
    for row, record in sheets.get("choices", []):
        list_name = record.get("list_name") or record.get("list name") or ""
        name = record.get("name", "")
        if not list_name or not name:
            form.problem("choices", row, "list_name/name", _("A choice needs a list and a name."))
            continue
        texts = _texts(record, default, form, "choices", row)
        label_sv = texts.get("label_sv") or texts.get("label_en") or name
        extra = {
            column: value
            for column, value in record.items()
            if language_of(column, default)[0].lower() not in CHOICE_COLUMNS
            and column.lower() not in ("image", "audio", "video")
        }
        for column in ("image", "audio", "video"):
            if record.get(column):
                form.problem("choices", row, column, _("Media in choices is not supported."))
        earlier = first_row.setdefault((list_name, name), row)
        if earlier != row and not form.allow_choice_duplicates:
            form.problem(
                "choices",
                row,
                "name",
                _(
                    "The value '%(name)s' is already in the list '%(list)s' (row %(row)s). "
                    "Give each choice its own value, or set allow_choice_duplicates to yes "
                    "on the settings sheet."
                )
                % {"name": name, "list": list_name, "row": earlier},
            )
        lists.setdefault(list_name, []).append(
            ChoiceSpec(name, label_sv, texts.get("label_en", ""), extra)
        )
    return lists


def problems_as_dicts(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.__dict__ for p in problems]
