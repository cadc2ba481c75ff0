"""XLSForm import: read the survey, choices and settings sheets, check them with pyxform and
turn them into question specs. Anything Hjulet does not support is reported by sheet, row
and feature, and the form is then refused as a whole (nothing is half-imported)."""

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
MAX_ROWS = 2000
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
}
SELECT = re.compile(
    r"^(select_one|select one|select_multiple|select multiple|select all that apply)"
    r"(?:\s+from)?\s+(\S+)(\s+or[_ ]specify[_ ]other|\s+or_other)?$"
)
TEXT_COLUMNS = ("label", "hint", "constraint_message", "required_message")
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "choice_filter"}
SURVEY_COLUMNS |= {"appearance"}
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
TRUE_VALUES = {"yes", "true", "true()", "1"}
FALSE_VALUES = {"", "no", "false", "false()", "0"}
APPEARANCES = {
    QuestionType.SELECT_ONE: {"", "minimal", "likert", "horizontal", "horizontal-compact"},
    QuestionType.SELECT_MULTIPLE: {"", "minimal", "horizontal", "horizontal-compact"},
    QuestionType.TEXT: {"", "multiline"},
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

    @property
    def ok(self) -> bool:
        return not self.problems

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


def _read_sheets(data: bytes, form: ParsedForm) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Every sheet as (row number, {column: text}) for the non-empty rows; duplicate column
    headers are reported where they are."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower()
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            sheets[name] = []
            continue
        header = [cell_text(cell).strip() for cell in header_row]
        seen: set[str] = set()
        for column in header:
            if column and column.lower() in seen:
                form.problem(
                    name,
                    1,
                    column,
                    _("The column '%(column)s' appears twice.") % {"column": column},
                )
            seen.add(column.lower())
        records = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS:
                form.problem(name, number, "", _("The sheet has too many rows."))
                break
            record = {
                header[i]: cell_text(value).strip()
                for i, value in enumerate(values)
                if i < len(header) and header[i] and value is not None
            }
            if any(record.values()):
                records.append((number, record))
        sheets[name] = records
    workbook.close()
    return sheets


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
    lists: dict[str, list[ChoiceSpec]] = {}
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
    import; ``form.ignored`` what is skipped without harm (metadata, other languages)."""
    form = ParsedForm()
    if len(data) > MAX_BYTES:
        form.problem("", 0, "", _("The file is larger than 5 MB."))
        return form
    try:
        check_zip(data, MAX_UNCOMPRESSED_BYTES)
    except SpreadsheetError as error:
        if error.code == "too_large_unpacked":
            form.problem("", 0, "", _("The workbook unpacks to more than 50 MB."))
        else:
            form.problem("", 0, "", _("The file is not an Excel workbook (.xlsx)."))
        return form
    try:
        sheets = _read_sheets(data, form)
    except Exception:  # openpyxl raises many kinds on a damaged file (zlib, XML, KeyError …)
        form.problem("", 0, "", _("The Excel file is damaged and cannot be read."))
        return form
    if "survey" not in sheets:
        form.problem("survey", 0, "", _("The workbook has no sheet called 'survey'."))
    if form.problems:
        return form
    default = _settings(sheets, form)
    choice_lists = _choices(sheets, default, form)
    _questions(sheets["survey"], default, choice_lists, form)
    if form.problems:
        return form
    try:  # pyxform's own checks of everything Hjulet accepted
        convert(xlsform=data, validate=False)
    except PyXFormError as error:
        match = re.search(r"\[row\s*:\s*(\d+)\]", str(error))
        form.problem("survey", int(match.group(1)) if match else 0, "pyxform", str(error))
        return form
    except Exception:  # pyxform reads the workbook again, and not every failure is its own
        form.problem("survey", 0, "pyxform", _("The form cannot be read by pyxform."))
        return form
    languages = {"sv"}
    if any(q.label_en for q in form.questions):
        languages.add("en")
    form.languages = sorted(languages, key=lambda code: code != default)
    return form


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
            appearance=record.get("appearance", "").lower(),
            group=groups[-1] if groups else "",
        )
        spec.required = _flag(record.get("required", ""), form, row, "required")
        select = SELECT.match(kind)
        if lowered in ("begin group", "begin_group"):
            spec.type = QuestionType.GROUP
            spec.label_sv = spec.label_sv or name
            groups.append(name)
        elif select:
            if select.group(3):
                form.problem("survey", row, "or_other", _("'Or specify other' is not supported."))
                continue
            multiple = not select.group(1).startswith("select_one") and "one" not in select.group(1)
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
            spec.choices = choice_lists[list_name]
            if spec.type == QuestionType.SELECT_ONE and spec.appearance == "likert":
                spec.type = QuestionType.LIKERT
        elif lowered in SIMPLE_TYPES:
            spec.type = SIMPLE_TYPES[lowered]
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
        if not spec.label_sv and spec.type != QuestionType.GROUP:
            form.problem("survey", row, "label", _("The question has no label."))
        choice_columns = {c for choice in spec.choices for c in choice.columns}
        checks.extend(
            [
                (row, "relevant", spec.relevant, set()),
                (row, "constraint", spec.constraint, set()),
                (row, "choice_filter", spec.choice_filter, choice_columns),
            ]
        )
        form.questions.append(spec)
    names = {q.name for q in form.questions}
    if len(names) != len(form.questions):
        seen: set[str] = set()
        for question in form.questions:
            if question.name in seen:
                form.problem("survey", question.row, "name", _("The name is used twice."))
            seen.add(question.name)
    for row, column, source, choice_columns in checks:
        _check_expression(form, row, column, source, names, choice_columns)


def problems_as_dicts(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.__dict__ for p in problems]
