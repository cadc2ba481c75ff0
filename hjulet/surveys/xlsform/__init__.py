"""XLSForm import: read the survey, choices and settings sheets, check them with pyxform and
turn them into question specs. Anything Hjulet does not support is reported by sheet, row
and feature, and the form is then refused as a whole (nothing is half-imported).

Read as pyxform reads it: sheet names and column headers whatever their case (``Survey``,
``TYPE``, ``Label::Svenska (sv)``), a workbook's only sheet is the survey whatever its name,
blank rows are skipped (only filled rows count towards the limit), and cells are read row
by row, never further right than the header goes.

One module per step: ``columns`` (what a form may hold), ``form`` (what reading gives),
``sheets``, ``questions`` and ``parsing``; every name is importable from here."""

from .columns import (
    APPEARANCES,
    BLANK_LOOKAHEAD,
    CHOICE_COLUMNS,
    DIGITS_HINT,
    FALSE_VALUES,
    MAX_BLANK_RUN,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    METADATA_TYPES,
    OTHER_CHOICE,
    OTHER_QUESTION,
    PYXFORM_SHEETS,
    SELECT,
    SETTINGS_COLUMNS,
    SHEETS,
    SIMPLE_TYPES,
    SURVEY_COLUMNS,
    TEXT_COLUMNS,
    TRUE_VALUES,
    XLSFORM_COLUMNS,
    language_of,
    normal_header,
)
from .form import ChoiceSpec, ParsedForm, Problem, QuestionSpec
from .parsing import parse_xlsform, problems_as_dicts

__all__ = [
    "APPEARANCES",
    "BLANK_LOOKAHEAD",
    "CHOICE_COLUMNS",
    "DIGITS_HINT",
    "FALSE_VALUES",
    "MAX_BLANK_RUN",
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "METADATA_TYPES",
    "OTHER_CHOICE",
    "OTHER_QUESTION",
    "PYXFORM_SHEETS",
    "SELECT",
    "SETTINGS_COLUMNS",
    "SHEETS",
    "SIMPLE_TYPES",
    "SURVEY_COLUMNS",
    "TEXT_COLUMNS",
    "TRUE_VALUES",
    "XLSFORM_COLUMNS",
    "ChoiceSpec",
    "ParsedForm",
    "Problem",
    "QuestionSpec",
    "language_of",
    "normal_header",
    "parse_xlsform",
    "problems_as_dicts",
]
