"""Hypothesis fuzzing of the pure parsers: whatever the input, each raises only its own error
(which the callers turn into a message), never anything else."""

import io
import re
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from hjulet.lib import conditions, orgnr
from hjulet.lib.spreadsheets import MAX_UNCOMPRESSED_BYTES, SpreadsheetError, read_spreadsheet
from hjulet.lib.tabular import FORMULA_START, to_xlsx

from .bombs import xlsx_zip_bomb

FUZZ = settings(max_examples=100, deadline=None)

TOKENS = [
    "${a}", "${b}", "${c}", ".", "=", "!=", ">", "<", ">=", "<=", " and ", " or ", "not(",
    "selected(", "count-selected(", "string-length(", "(", ")", ",", "'x'", "'", '"y"', "1",
    "2.5", "-", "+", "*", " div ", " mod ", " ", "true()", "cf", "${", "}", "0x1", "1e309",
]  # fmt: skip
expressions = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join), st.text(max_size=120)
)
answer_values = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.text(max_size=3), max_size=3),
    st.booleans(),
)
answers = st.dictionaries(st.sampled_from(["a", "b", "c"]), answer_values)


@FUZZ
@given(source=expressions, values=answers, current=answer_values, columns=answers)
def test_condition_parser_and_evaluator_raise_only_expression_errors(
    source, values, current, columns
):
    try:
        expression = conditions.parse(source)
    except conditions.ExpressionError:
        return
    assert expression.references <= {"a", "b", "c"} | expression.references
    try:
        result = expression.evaluate(values, current, {f"{k}": v for k, v in columns.items()})
    except conditions.ExpressionError:
        return
    assert isinstance(result, bool)


@FUZZ
@given(st.one_of(st.text(max_size=30), st.from_regex(r"\A[0-9 \-+]{8,14}\Z")))
def test_org_number_parser_raises_only_its_own_error(raw):
    try:
        number = orgnr.normalise_org_number(raw)
    except orgnr.OrgNumberError as error:
        assert str(error) in ("format", "checksum")
        return
    assert re.fullmatch(r"\d{6}-\d{4}", number)
    assert orgnr.normalise_org_number(number) == number
    assert orgnr.with_check_digit(number.replace("-", "")[:9]) == number


def small_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["titel", "kommunkod"])
    workbook.active.append(["Språkcafé", "2480"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK = small_workbook()


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda text: text.encode("utf-8")),
        st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), max_size=8).map(
            lambda flips: _flip(WORKBOOK, flips)
        ),
    ),
    filename=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.CSV", "a", "a.xlsx.exe"]),
)
def test_spreadsheet_reader_raises_only_its_own_error(data, filename):
    try:
        table = read_spreadsheet(data, filename)
    except SpreadsheetError:
        return
    assert table.header and all(isinstance(cell, str) for cell in table.header)


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    changed = bytearray(data)
    for position, value in flips:
        changed[position] = value
    return bytes(changed)


def test_a_real_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = xlsx_zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on disk …
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # … 150 MB inside
        assert sum(e.file_size for e in archive.infolist()) > MAX_UNCOMPRESSED_BYTES
    try:
        read_spreadsheet(bomb, "bomb.xlsx")
    except SpreadsheetError as error:
        assert error.code == "too_large_unpacked"
    else:
        raise AssertionError("the zip bomb was read")


@FUZZ
@given(title=st.text(max_size=60), cell=st.text(max_size=20))
def test_any_title_and_text_make_a_workbook_excel_accepts(title, cell):
    workbook = load_workbook(io.BytesIO(to_xlsx(["a"], [["=1", cell]], title=title)))
    name = workbook.sheetnames[0]
    assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert workbook.active["A2"].value == "'=1"
    value = workbook.active["B2"].value or ""
    assert not value.startswith(FORMULA_START)
