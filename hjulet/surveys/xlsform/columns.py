"""What an XLSForm may hold: limits, sheets, question types and columns as pyxform knows
them, and how a column names its language."""

import re

from ..models import QuestionType

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
