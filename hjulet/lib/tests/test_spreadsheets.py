import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from hjulet.lib.spreadsheets import (
    SpreadsheetError,
    cell_text,
    check_zip,
    column_letter,
    decode_text,
    detect_delimiter,
    read_spreadsheet,
    unneutralise,
)
from hjulet.lib.tabular import neutralise, to_csv, to_xlsx


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def code_of(data: bytes, filename: str, **limits) -> str:
    with pytest.raises(SpreadsheetError) as error:
        read_spreadsheet(data, filename, **limits)
    return error.value.code


def test_csv_with_bom_semicolons_and_swedish_letters():
    data = '\ufefftitel;kommun\r\nSpråkcafé;Umeå\r\n\r\n"Läxhjälp; två kvällar";Kalix\r\n'
    table = read_spreadsheet(data.encode("utf-8"), "fil.csv")
    assert table.file_type == "csv"
    assert table.header == ["titel", "kommun"]
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("Språkcafé", "Umeå")),
        (4, ("Läxhjälp; två kvällar", "Kalix")),  # row 3 is empty and left out
    ]


def test_csv_from_old_windows_excel_is_cp1252():
    data = "title;kommun\nÖppen förskola – Malmö;Malmö\n".encode("cp1252")
    table = read_spreadsheet(data, "gammal.csv")
    assert table.rows[0].cells == ("Öppen förskola – Malmö", "Malmö")


def test_decode_falls_back_to_latin1_and_reads_utf16():
    assert decode_text(b"\x81abc") == "\x81abc"  # undefined in cp1252
    assert decode_text("titel\tkommun\n".encode("utf-16")) == "titel\tkommun\n"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1,5;2;3", ";"),
        ("a,b,c\n1;2;3", ","),
        ('"a;b",c,d', ","),
        ("a\tb\tc", "\t"),
        ("bara en kolumn", ","),
    ],
)
def test_delimiter_is_read_from_the_header_outside_quotes(text, delimiter):
    assert detect_delimiter(text) == delimiter


def test_multi_line_cells_keep_the_row_numbers_a_spreadsheet_shows():
    data = b'title,summary\nA,"rad ett\nrad tv\xc3\xa5"\nB,kort\n'
    table = read_spreadsheet(data, "x.csv")
    assert [(r.number, r.cells[0]) for r in table.rows] == [(2, "A"), (3, "B")]


def test_short_and_long_rows():
    table = read_spreadsheet(b"a,b,c\n1\n1,2,3,4,5\n", "x.csv")
    assert table.rows[0].cells == ("1", "", "")
    assert table.rows[0].overflow == 0
    assert table.rows[1].cells == ("1", "2", "3")
    assert table.rows[1].overflow == 2


def test_an_unclosed_quote_is_an_error_naming_where_it_begins():
    data = b'title,summary\nA,B\nC,"open\nD,E\n'
    with pytest.raises(SpreadsheetError) as error:
        read_spreadsheet(data, "x.csv")
    assert error.value.code == "unreadable_csv"
    assert error.value.params == {"row": 3, "line": 3}


def test_nul_bytes_mean_it_is_not_text():
    assert code_of(b"title,summary\nA,B\x00\n", "x.csv") == "not_csv"


def test_xlsx_values_become_text_and_gaps_keep_row_numbers():
    data = xlsx(
        [
            ["title", "start_date", "participants_reached", "kommunkod", None],
            ["Språkcafé", datetime.datetime(2024, 3, 1), 120.0, 114, None],
            [None, None, None, None, None],
            ["Läxhjälp", datetime.date(2023, 1, 2), 7, "2480", None],
        ]
    )
    table = read_spreadsheet(data, "bok.xlsx")
    assert table.file_type == "xlsx"
    assert table.header == ["title", "start_date", "participants_reached", "kommunkod"]
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("Språkcafé", "2024-03-01", "120", "114")),
        (4, ("Läxhjälp", "2023-01-02", "7", "2480")),
    ]


def test_xlsx_formulas_are_never_run():
    data = xlsx([["title", "summary"], ["=1+1", "=cmd|' /C calc'!A0"], ["Text", "=2+2"]])
    table = read_spreadsheet(data, "x.xlsx")
    # openpyxl saved the formulas without results; data_only gives the saved result (none),
    # never a computed one, and the formula text is not returned as a value either.
    assert [r.cells for r in table.rows] == [("Text", "")]


def test_text_that_looks_like_a_formula_stays_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title"])
    sheet.cell(2, 1).value = "=cmd|' /C calc'!A0"
    sheet.cell(2, 1).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_spreadsheet(buffer.getvalue(), "x.xlsx")
    assert table.rows[0].cells == ("=cmd|' /C calc'!A0",)
    csv_table = read_spreadsheet(b"title\n=cmd|' /C calc'!A0\n", "x.csv")
    assert csv_table.rows[0].cells == ("=cmd|' /C calc'!A0",)


def test_exports_read_back_and_the_apostrophe_goes():
    header = ["title", "summary"]
    rows = [['=HYPERLINK("x")', "-5 grader"], ["Vanlig", "text"]]
    for data, name in ((to_csv(header, rows), "e.csv"), (to_xlsx(header, rows, "I"), "e.xlsx")):
        table = read_spreadsheet(data, name)
        assert [unneutralise(c) for c in table.rows[0].cells] == rows[0]
        assert table.rows[1].cells == ("Vanlig", "text")
    assert unneutralise(neutralise("@SUM(A1)")) == "@SUM(A1)"
    assert unneutralise("'citat'") == "'citat'"


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "tom.csv", "empty"),
        (b"  \r\n \n", "tom.csv", "empty"),
        (b"title,summary\n", "bara-rubrik.csv", "no_rows"),
        (b"title,summary\n,\n , \n", "tomma-rader.csv", "no_rows"),
        (b"title\nx\n", "data.txt", "wrong_extension"),
        (b"title\nx\n", "utan-filandelse", "wrong_extension"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.xlsx", "not_xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.csv", "not_csv"),
        (b"title,summary\nA,B\n", "text.xlsx", "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammal.xls", "wrong_extension"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammal.xlsx", "old_excel"),
        (b"PK\x03\x04 trasig zip", "trasig.xlsx", "not_xlsx"),
    ],
)
def test_files_that_cannot_be_read(data, filename, code):
    assert code_of(data, filename) == code


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert code_of(buffer.getvalue(), "brev.xlsx") == "not_xlsx"
    assert code_of(xlsx([["title"], ["x"]]), "bok.csv") == "not_csv"


def test_a_workbook_with_a_broken_sheet_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<this is not xml")
    assert code_of(buffer.getvalue(), "trasig.xlsx") == "unreadable_xlsx"


def zip_bomb(unpacked: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_unpacking():
    bomb = zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # 64 MB of zeros packs into a small file
    with pytest.raises(SpreadsheetError) as error:
        read_spreadsheet(bomb, "bomb.xlsx", max_uncompressed_bytes=16 * 1024 * 1024)
    assert error.value.code == "too_large_unpacked"
    assert error.value.params["size"] > 64 * 1024 * 1024
    with pytest.raises(SpreadsheetError):
        check_zip(bomb, 16 * 1024 * 1024)


def test_row_limit():
    data = b"title\n" + b"x\n" * 11
    assert code_of(data, "x.csv", max_rows=10) == "too_many_rows"
    assert len(read_spreadsheet(data, "x.csv", max_rows=11).rows) == 11


def test_long_cells_are_read_whole():
    long = "å" * 200_000
    table = read_spreadsheet(f"title\n{long}\n".encode(), "x.csv")
    assert table.rows[0].cells == (long,)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "1"),
        (12.0, "12"),
        (12.5, "12.5"),
        (datetime.datetime(2024, 1, 2, 13, 30), "2024-01-02 13:30:00"),
        ("  mellanslag \x00 ", "mellanslag"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
