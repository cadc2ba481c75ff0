"""XLSForm import: read the survey, choices and settings sheets, check them with pyxform and
turn them into question specs. Anything Hjulet does not support is reported by sheet, row
and feature, and the form is then refused as a whole (nothing is half-imported).

Read as pyxform reads it: sheet names and column headers whatever their case (``Survey``,
``TYPE``, ``Label::Svenska (sv)``), a workbook's only sheet is the survey whatever its name,
blank rows are skipped (only filled rows count towards the limit), and cells are read row
by row, never further right than the header goes."""

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from hjulet.lib import conditions
from hjulet.lib.spreadsheets import SpreadsheetError, cell_text, check_zip

from .models import QuestionType

MAX_BYTES = 5 * 1024 * 1024
# What the workbook may unpack to: far above any real form of MAX_ROWS rows, far below what
# a zip bomb of MAX_BYTES would unpack to.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2000  # filled rows per sheet
MAX_COLUMNS = 200
# pyxform (and so ODK and Kobo) stops reading a sheet after this many blank rows in a row.
# Hjulet stops too, after looking a little further to tell the author when something
# follows that the other tools would leave out; a sheet formatted down to row 1,048,576
# is then read in a moment, not parsed to the end.
MAX_BLANK_RUN = 60
BLANK_LOOKAHEAD = 5000
SHEETS = ("survey", "choices", "settings")
# The sheet names pyxform knows; a workbook's only sheet is the survey unless it is one.
PYXFORM_SHEETS = {"survey", "choices", "settings", "external_choices", "osm", "entities"}
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
}
SIMPLE_TYPES = {
    "text": QuestionType.TEXT,
    "integer": QuestionType.INTEGER,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "date": QuestionType.DATE,
    "note": QuestionType.NOTE,
    "time": QuestionType.TIME,
    "calculate": QuestionType.CALCULATE,
    # pyxform's "phone number" is text with digits only (regex(., '^\d*$')).
    "phone number": QuestionType.TEXT,
}
SELECT = re.compile(
    r"^(select_one|select one|select_multiple|select multiple|select all that apply)"
    r"(?:\s+from)?\s+(\S+)(\s+or[_ ]specify[_ ]other|\s+or[_ ]other)?$",
    re.IGNORECASE,
)
# The texts pyxform adds for "or_other" and "phone number", in the survey's languages (these
# are part of the questionnaire, not of the interface).
OTHER_CHOICE = ("other", "Annat", "Other")
OTHER_QUESTION = ("Ange annat", "Specify other.")
DIGITS_HINT = ("Skriv bara siffror.", "Enter numbers only.")
TEXT_COLUMNS = ("label", "hint", "constraint_message", "required_message")
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "choice_filter"}
SURVEY_COLUMNS |= {"appearance", "calculation"}
CHOICE_COLUMNS = {"list_name", "list name", "name", "label"}
SETTINGS_COLUMNS = {
    "form_title",
    "form_id",
    "version",
    "default_language",
    "instance_name",
    "style",
    "public_key",
    "submission_url",
    "allow_choice_duplicates",
}
# Every column name pyxform knows, to be matched whatever its case.
XLSFORM_COLUMNS = SURVEY_COLUMNS | CHOICE_COLUMNS | SETTINGS_COLUMNS | set(TEXT_COLUMNS)
XLSFORM_COLUMNS |= {"image", "audio", "video", "media", "big-image", "default", "read_only"}
XLSFORM_COLUMNS |= {"repeat_count", "parameters", "trigger", "guidance_hint", "body", "bind"}
XLSFORM_COLUMNS |= {"control", "instance", "required_message", "label_name", "list_name"}
TRUE_VALUES = {"yes", "true", "true()", "1"}
FALSE_VALUES = {"", "no", "false", "false()", "0"}
APPEARANCES = {
    QuestionType.SELECT_ONE: {"", "minimal", "likert", "horizontal", "horizontal-compact"},
    QuestionType.SELECT_MULTIPLE: {"", "minimal", "horizontal", "horizontal-compact"},
    QuestionType.TEXT: {"", "multiline", "numbers"},
}


@dataclass
class Problem:
    sheet: str
    row: int
    feature: str
    reason: str


@dataclass
class ChoiceSpec:
    name: str
    label_sv: str
    label_en: str = ""
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class QuestionSpec:
    row: int
    name: str
    type: str
    label_sv: str
    label_en: str = ""
    hint_sv: str = ""
    hint_en: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message_sv: str = ""
    constraint_message_en: str = ""
    choice_filter: str = ""
    calculation: str = ""
    appearance: str = ""
    group: str = ""  # name of the enclosing group
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass
class ParsedForm:
    title: str = ""
    form_id: str = ""
    version: str = ""
    languages: list[str] = field(default_factory=lambda: ["sv"])
    questions: list[QuestionSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)
    allow_choice_duplicates: bool = False
    sheet_titles: dict[str, str] = field(default_factory=dict)  # "survey" → "Blad1"

    @property
    def ok(self) -> bool:
        return not self.problems

    def _count(self, *types: str) -> int:
        return sum(1 for q in self.questions if q.type in types)

    @property
    def question_count(self) -> int:
        """Questions the respondent answers (not groups, notes or calculations)."""
        return len(self.questions) - self._count(
            QuestionType.GROUP, QuestionType.NOTE, QuestionType.CALCULATE
        )

    @property
    def group_count(self) -> int:
        return self._count(QuestionType.GROUP)

    @property
    def note_count(self) -> int:
        return self._count(QuestionType.NOTE)

    @property
    def calculation_count(self) -> int:
        return self._count(QuestionType.CALCULATE)

    def problem(self, sheet: str, row: int, feature: str, reason: str) -> None:
        self.problems.append(Problem(sheet, row, feature, reason))


def language_of(column: str, default: str) -> tuple[str, str | None]:
    """'label::Svenska (sv)' → ('label', 'sv'); 'label' → ('label', default); an unknown
    language → ('label', None)."""
    base = column.split(":", 1)[0]
    language = column[len(base) :].lstrip(":").strip().lower()
    if not language:
        return base.strip(), default
    code = re.search(r"\(([a-z]{2,3})(?:-[a-z]+)?\)", language)
    if code:
        language = code.group(1)
    if language in ("sv", "swe", "svenska", "swedish"):
        return base.strip(), "sv"
    if language in ("en", "eng", "english", "engelska"):
        return base.strip(), "en"
    return base.strip(), None


def normal_header(text: str) -> str:
    """'  LABEL::Svenska (sv) ' → 'label::Svenska (sv)': an XLSForm column's name in lower
    case (as pyxform matches it), the language as written, inner whitespace collapsed.
    Other columns (a choice filter's ``CF``) keep their case, as in pyxform."""
    text = " ".join(text.split())
    base, colon, rest = text.partition(":")
    if base.strip().lower() in XLSFORM_COLUMNS:
        return base.strip().lower() + colon + rest
    return text


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


def _check_expression(
    form: ParsedForm, row: int, column: str, source: str, names: set[str], choice_columns: set
) -> None:
    if not source:
        return
    try:
        expression = conditions.parse(source)
    except conditions.ExpressionError as error:
        form.problem(
            "survey",
            row,
            column,
            _("The expression cannot be used: %(error)s.") % {"error": error},
        )
        return
    unknown = expression.references - names
    if unknown:
        form.problem(
            "survey",
            row,
            column,
            _("Refers to unknown questions: %(names)s.") % {"names": ", ".join(sorted(unknown))},
        )
    if expression.columns - choice_columns:
        form.problem(
            "survey",
            row,
            column,
            _("Names that are not choice columns: %(names)s.")
            % {"names": ", ".join(sorted(expression.columns - choice_columns))},
        )


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


def _questions(
    rows: list, default: str, choice_lists: dict[str, list[ChoiceSpec]], form: ParsedForm
) -> None:
    groups: list[str] = []
    checks: list[tuple[int, str, str, set]] = []
    for row, record in rows:
        kind = " ".join(record.get("type", "").split())
        lowered = kind.lower()
        name = record.get("name", "")
        for column, value in record.items():
            base = language_of(column, default)[0].lower()
            if value and base not in SURVEY_COLUMNS and base not in TEXT_COLUMNS:
                form.problem(
                    "survey",
                    row,
                    column,
                    _("The column '%(column)s' is not supported.") % {"column": column},
                )
        if kind != _lower_keywords(kind):
            form.problem(
                "survey",
                row,
                "type",
                _("ODK reads question types in lower case only: write '%(type)s'.")
                % {"type": _lower_keywords(kind)},
            )
            continue
        if lowered in ("end group", "end_group"):
            if groups:
                groups.pop()
            continue
        if lowered in METADATA_TYPES:
            form.ignored.append(
                Problem("survey", row, kind, _("Metadata is not collected; skipped."))
            )
            continue
        texts = _texts(record, default, form, "survey", row)
        spec = QuestionSpec(
            row=row,
            name=name,
            type="",
            label_sv=texts.get("label_sv") or texts.get("label_en", ""),
            label_en=texts.get("label_en", ""),
            hint_sv=texts.get("hint_sv") or texts.get("hint_en", ""),
            hint_en=texts.get("hint_en", ""),
            constraint_message_sv=texts.get("constraint_message_sv")
            or texts.get("constraint_message_en", ""),
            constraint_message_en=texts.get("constraint_message_en", ""),
            relevant=record.get("relevant", ""),
            constraint=record.get("constraint", ""),
            choice_filter=record.get("choice_filter", ""),
            calculation=record.get("calculation", ""),
            appearance=record.get("appearance", "").lower(),
            group=groups[-1] if groups else "",
        )
        spec.required = _flag(record.get("required", ""), form, row, "required")
        select = SELECT.match(kind)
        other: QuestionSpec | None = None
        if lowered in ("begin group", "begin_group"):
            spec.type = QuestionType.GROUP
            spec.label_sv = spec.label_sv or name
            groups.append(name)
        elif select:
            multiple = "one" not in select.group(1).lower()
            spec.type = QuestionType.SELECT_MULTIPLE if multiple else QuestionType.SELECT_ONE
            list_name = select.group(2)
            if list_name not in choice_lists:
                form.problem(
                    "survey",
                    row,
                    "type",
                    _("The choice list '%(name)s' is missing.") % {"name": list_name},
                )
                continue
            spec.choices = list(choice_lists[list_name])
            if select.group(3):
                other = _or_other(spec, form)
                if other is None:
                    continue
            if spec.type == QuestionType.SELECT_ONE and spec.appearance == "likert":
                spec.type = QuestionType.LIKERT
        elif lowered in SIMPLE_TYPES:
            spec.type = SIMPLE_TYPES[lowered]
            if lowered == "phone number":
                spec.appearance = spec.appearance or "numbers"
                if not spec.hint_sv:
                    spec.hint_sv, spec.hint_en = DIGITS_HINT
            if spec.type == QuestionType.CALCULATE:
                # Never shown to respondents; results and exports name it by its name.
                spec.required, spec.label_sv = False, spec.label_sv or name
                if not spec.calculation:
                    form.problem(
                        "survey", row, "calculation", _("A calculate row needs a calculation.")
                    )
                    continue
            elif spec.calculation:
                form.problem(
                    "survey",
                    row,
                    "calculation",
                    _("Only calculate rows can have a calculation."),
                )
        else:
            form.problem(
                "survey",
                row,
                "type",
                _("The question type '%(type)s' is not supported.") % {"type": kind or "—"},
            )
            continue
        allowed = APPEARANCES.get(
            QuestionType.SELECT_ONE if spec.type == QuestionType.LIKERT else spec.type, {""}
        )
        if spec.appearance and spec.type != QuestionType.GROUP and spec.appearance not in allowed:
            form.problem(
                "survey",
                row,
                "appearance",
                _("The appearance '%(value)s' is not supported.") % {"value": spec.appearance},
            )
        if not re.fullmatch(r"[A-Za-z_][\w-]*", name or ""):
            form.problem("survey", row, "name", _("A question needs a name (letters, digits, _)."))
            continue
        if not spec.label_sv and spec.type not in (QuestionType.GROUP, QuestionType.CALCULATE):
            form.problem("survey", row, "label", _("The question has no label."))
        # A choice filter reads the choice's own columns and its name ("selected(${a}, name)").
        choice_columns = {c for choice in spec.choices for c in choice.columns} | {"name"}
        checks.extend(
            [
                (row, "relevant", spec.relevant, set()),
                (row, "constraint", spec.constraint, set()),
                (row, "choice_filter", spec.choice_filter, choice_columns),
                (row, "calculation", spec.calculation, set()),
            ]
        )
        form.questions.append(spec)
        if other is not None:
            form.questions.append(other)
    names = {q.name for q in form.questions}
    if len(names) != len(form.questions):
        seen: set[str] = set()
        for question in form.questions:
            if question.name in seen:
                form.problem("survey", question.row, "name", _("The name is used twice."))
            seen.add(question.name)
    for row, column, source, choice_columns in checks:
        _check_expression(form, row, column, source, names, choice_columns)


def _lower_keywords(kind: str) -> str:
    """The type with its keywords in lower case ('SELECT_ONE Orter' → 'select_one Orter'):
    pyxform knows them only so, while a list name keeps its case."""
    select = SELECT.match(kind)
    if not select:
        return kind.lower()
    return kind[: select.start(2)].lower() + select.group(2) + kind[select.end(2) :].lower()


def _or_other(spec: QuestionSpec, form: ParsedForm) -> QuestionSpec | None:
    """``select_one list or_other``, as pyxform builds it: the choice "other" (Annat) is
    added unless the list has it, and a text question ``<name>_other`` is shown when it is
    chosen. None (with a problem) where pyxform refuses it too."""
    if spec.choice_filter:
        form.problem(
            "survey",
            spec.row,
            "or_other",
            _("'Or specify other' cannot be combined with a choice filter (nor can it in ODK)."),
        )
        return None
    name, label_sv, label_en = OTHER_CHOICE
    if not any(choice.name == name for choice in spec.choices):
        spec.choices.append(ChoiceSpec(name, label_sv, label_en if spec.label_en else ""))
    question_sv, question_en = OTHER_QUESTION
    return QuestionSpec(
        row=spec.row,
        name=f"{spec.name}_other",
        type=QuestionType.TEXT,
        label_sv=question_sv,
        label_en=question_en if spec.label_en else "",
        relevant=f"selected(${{{spec.name}}}, '{name}')",
        group=spec.group,
    )


def problems_as_dicts(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.__dict__ for p in problems]
