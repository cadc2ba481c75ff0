"""Reading uploaded CSV and XLSX files safely into a header and rows of text.

Nothing here trusts the file: the format is decided by the content (an XLSX is a zip with the
parts of an Excel workbook, a CSV is text), the name only has to agree with it; a workbook's
declared uncompressed size is checked before anything is unpacked (Python's zipfile never
inflates an entry beyond its declared size, so the declared sum bounds the work); the number
of rows is limited; formulas are never evaluated (openpyxl with ``data_only=True`` gives the
value Excel saved, and a CSV cell is always text).

Errors are ``SpreadsheetError`` with a ``code`` and ``params`` for the caller to turn into a
message in the reader's language; this module knows nothing of Django.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Generator, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from .tabular import FORMULA_START

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)

#: Defaults; callers pass their own limits from settings.
MAX_ROWS = 100_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1_000
MAX_COLUMNS = 1_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Excel (.xls) and other Office 97 files
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_DELIMITERS = (";", ",", "\t")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read. ``code`` says why; ``params`` give the details.

    Codes: ``empty``, ``wrong_extension``, ``old_excel``, ``not_xlsx``, ``not_csv``,
    ``too_large_unpacked``, ``too_many_parts``, ``unreadable_xlsx``, ``unreadable_csv``,
    ``no_sheet``, ``no_rows``, ``too_many_rows``, ``too_many_columns``.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Row:
    """One row of data. ``number`` is the row as the spreadsheet shows it (header = 1);
    ``cells`` has one text per header column; ``overflow`` counts filled cells to the right
    of the last named column (usually a sign of a wrong delimiter or a shifted row)."""

    number: int
    cells: tuple[str, ...]
    overflow: int = 0


@dataclass
class Table:
    file_type: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)


def extension_of(filename: str) -> str:
    name = (filename or "").strip().lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def unneutralise(value: str) -> str:
    """Undo ``tabular.neutralise``: our exports put an apostrophe before text that a
    spreadsheet would run as a formula; on the way back in, the apostrophe goes again."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def sniff(data: bytes) -> str | None:
    """``xlsx``, ``csv``, ``xls`` (old binary Excel) or None (something else) by content."""
    if data.startswith(_ZIP_MAGIC):
        return XLSX
    if data.startswith(_OLE_MAGIC):
        return "xls"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return CSV  # UTF-16 text with a byte-order mark ("Unicode text" from Excel)
    if b"\x00" in data[:65536]:
        return None  # binary
    return CSV


def read_spreadsheet(
    data: bytes,
    filename: str,
    *,
    max_rows: int = MAX_ROWS,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> Table:
    """The first sheet of an .xlsx or the records of a .csv, as text.

    The first row with anything in it is the header. Completely empty rows are left out;
    the others keep the numbers the spreadsheet shows. Raises ``SpreadsheetError``."""
    if not data or not data.strip():
        raise SpreadsheetError("empty")
    extension = extension_of(filename)
    if extension not in FORMATS:
        raise SpreadsheetError("wrong_extension", extension=extension)
    kind = sniff(data)
    if kind == "xls":
        raise SpreadsheetError("old_excel")
    if extension == XLSX:
        if kind != XLSX:
            raise SpreadsheetError("not_xlsx")
        rows = _xlsx_rows(data, max_uncompressed_bytes)
    else:
        if kind != CSV:
            raise SpreadsheetError("not_csv")
        rows = _csv_rows(data)
    with closing(rows):
        return _table(extension, rows, max_rows)


def _table(file_type: str, rows: Iterable[tuple[int, list[str]]], max_rows: int) -> Table:
    rows = iter(rows)
    header_row = next(((n, cells) for n, cells in rows if any(cells)), None)
    if header_row is None:
        raise SpreadsheetError("empty")
    _number, header = header_row
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise SpreadsheetError("too_many_columns", limit=MAX_COLUMNS)
    table = Table(file_type=file_type, header=header)
    width = len(header)
    for number, cells in rows:
        if not any(cells):
            continue
        if len(table.rows) >= max_rows:
            raise SpreadsheetError("too_many_rows", limit=max_rows)
        padded = (cells + [""] * width)[:width]
        overflow = sum(1 for cell in cells[width:] if cell)
        table.rows.append(Row(number=number, cells=tuple(padded), overflow=overflow))
    if not table.rows:
        raise SpreadsheetError("no_rows")
    return table


def _clean(text: str) -> str:
    # PostgreSQL cannot store NUL; nobody means it. Whitespace around a value is never meant.
    return text.replace("\x00", "").strip()


# --- CSV --------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SpreadsheetError("unreadable_csv", line=1) from error
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def detect_delimiter(text: str) -> str:
    """The most common of ; , and tab on the first line outside quotes (Swedish Excel
    writes ;, most others ,)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> Generator[tuple[int, list[str]], None, None]:
    text = decode_text(data)
    if "\x00" in text:
        raise SpreadsheetError("not_csv")
    # The file is already limited in size; a long cell must not stop the reader halfway.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=detect_delimiter(text), strict=True
    )
    return _numbered_csv(reader)


def _numbered_csv(reader: Any) -> Generator[tuple[int, list[str]], None, None]:
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Most often a quotation mark that is never closed, where this record begins.
            raise SpreadsheetError("unreadable_csv", row=number + 1, line=line) from error
        number += 1
        yield number, [_clean(cell) for cell in record]


# --- XLSX -------------------------------------------------------------------------------


def check_zip(data: bytes, max_uncompressed_bytes: int) -> None:
    """Refuse anything but an Excel workbook, and zip bombs, before openpyxl sees it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise SpreadsheetError("not_xlsx") from error
    names = {entry.filename for entry in entries}
    if not all(part in names for part in _XLSX_PARTS):
        raise SpreadsheetError("not_xlsx")
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SpreadsheetError("too_many_parts", limit=MAX_ZIP_ENTRIES)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_uncompressed_bytes:
        raise SpreadsheetError("too_large_unpacked", size=unpacked, limit=max_uncompressed_bytes)


def cell_text(value: Any) -> str:
    """A cell's value as the text a person would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return _clean(str(value))


def _xlsx_rows(
    data: bytes, max_uncompressed_bytes: int
) -> Generator[tuple[int, list[str]], None, None]:
    check_zip(data, max_uncompressed_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError("unreadable_xlsx") from error
    return _numbered_xlsx(workbook)


def _numbered_xlsx(workbook: Any) -> Generator[tuple[int, list[str]], None, None]:
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SpreadsheetError("no_sheet")
        # The stored dimensions may be wrong (some programs write "A1"), and openpyxl would
        # stop at them; without them it reads every row. It also yields the empty rows
        # between filled ones, so counting from 1 gives the row numbers Excel shows.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    except SpreadsheetError:
        raise
    except Exception as error:  # damaged XML, a lying zip (CRC), unknown cell types
        raise SpreadsheetError("unreadable_xlsx") from error
    finally:
        workbook.close()
