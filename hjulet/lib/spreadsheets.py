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

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Generator, Iterable
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
    with open_spreadsheet(
        data, filename, max_rows=max_rows, max_uncompressed_bytes=max_uncompressed_bytes
    ) as sheet:
        return Table(sheet.file_type, sheet.header, list(sheet.rows))


class StreamedTable:
    """A spreadsheet read a row at a time (``open_spreadsheet``): ``header`` is read at
    once, ``rows`` yields each ``Row`` as it is read, so memory holds the file and the rows
    in use, not every row. The limits are checked while reading: ``rows`` raises
    ``SpreadsheetError`` ("too_many_rows", "no_rows", an unreadable record) when it gets
    there. Use it as a context manager (or call ``close``) to free the reader."""

    def __init__(
        self,
        file_type: str,
        records: Generator[tuple[int, list[str]], None, None],
        max_rows: int,
        expected_rows: int | None = None,
    ) -> None:
        self.file_type = file_type
        self._records = records
        self.max_rows = max_rows
        #: About how many rows the file has, known before reading them (None: unknown).
        self.expected_rows = expected_rows
        header_row = next(((n, cells) for n, cells in records if any(cells)), None)
        if header_row is None:
            records.close()
            raise SpreadsheetError("empty")
        _number, header = header_row
        while header and not header[-1]:
            header.pop()
        if len(header) > MAX_COLUMNS:
            records.close()
            raise SpreadsheetError("too_many_columns", limit=MAX_COLUMNS)
        self.header = header
        self.rows = self._rows()

    def _rows(self) -> Generator[Row, None, None]:
        width = len(self.header)
        count = 0
        for number, cells in self._records:
            if not any(cells):
                continue
            if count >= self.max_rows:
                raise SpreadsheetError("too_many_rows", limit=self.max_rows)
            count += 1
            padded = (cells + [""] * width)[:width]
            overflow = sum(1 for cell in cells[width:] if cell)
            yield Row(number=number, cells=tuple(padded), overflow=overflow)
        if not count:
            raise SpreadsheetError("no_rows")

    def close(self) -> None:
        self.rows.close()
        self._records.close()

    def __enter__(self) -> "StreamedTable":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_spreadsheet(
    data: bytes,
    filename: str,
    *,
    max_rows: int = MAX_ROWS,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> StreamedTable:
    """The first sheet of an .xlsx or the records of a .csv, read as ``read_spreadsheet``
    reads them but a row at a time (``StreamedTable``). Raises ``SpreadsheetError`` for
    what is wrong with the file as a whole or its header."""
    if not data or not data.strip():
        raise SpreadsheetError("empty")
    extension = extension_of(filename)
    if extension not in FORMATS:
        raise SpreadsheetError("wrong_extension", extension=extension)
    kind = sniff(data)
    if kind == "xls":
        raise SpreadsheetError("old_excel")
    expected = None
    if extension == XLSX:
        if kind != XLSX:
            raise SpreadsheetError("not_xlsx")
        rows, expected = _xlsx_rows(data, max_uncompressed_bytes)
    else:
        if kind != CSV:
            raise SpreadsheetError("not_csv")
        rows = _csv_rows(data)
    return StreamedTable(extension, rows, max_rows, expected)


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


def text_encoding(data: bytes) -> tuple[str, int]:
    """How ``decode_text`` would decode the file, without decoding it whole: the codec and
    how many bytes of byte-order mark to skip. UTF-8 is checked a block at a time."""
    if data.startswith(b"\xef\xbb\xbf"):
        start = 3
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", 0
    else:
        start = 0
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        view = memoryview(data)[start:]
        try:
            for offset in range(0, len(view), _BLOCK):
                decoder.decode(view[offset : offset + _BLOCK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            view.release()
        return encoding, start
    return "latin-1", start


_BLOCK = 1 << 20


def _csv_rows(data: bytes) -> Generator[tuple[int, list[str]], None, None]:
    """The records of a CSV file, decoded and parsed as they are read: memory holds the
    file's bytes and a block of text, not the whole text."""
    encoding, start = text_encoding(data)
    if encoding != "utf-16" and b"\x00" in data:
        raise SpreadsheetError("not_csv")
    try:
        first = _text_stream(data, encoding, start).read(65536)
    except UnicodeDecodeError as error:  # UTF-16 that is not
        raise SpreadsheetError("unreadable_csv", line=1) from error
    if "\x00" in first:
        raise SpreadsheetError("not_csv")
    # The file is already limited in size; a long cell must not stop the reader halfway.
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    stream = _without_nul(_text_stream(data, encoding, start))
    reader = csv.reader(stream, delimiter=detect_delimiter(first), strict=True)
    return _numbered_csv(reader)


def _text_stream(data: bytes, encoding: str, start: int) -> io.TextIOWrapper:
    source = io.BytesIO(data)  # shares the bytes (copied only if written to)
    source.seek(start)
    return io.TextIOWrapper(source, encoding=encoding, newline="")


def _without_nul(lines: Iterable[str]) -> Generator[str, None, None]:
    """The lines; a NUL anywhere in a decoded UTF-16 file makes it no text file."""
    for line in lines:
        if "\x00" in line:
            raise SpreadsheetError("not_csv")
        yield line


def _numbered_csv(reader: Any) -> Generator[tuple[int, list[str]], None, None]:
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
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
) -> tuple[Generator[tuple[int, list[str]], None, None], int | None]:
    """The rows of the first sheet (openpyxl's read-only mode: read as they are parsed)
    and the number of rows its stored dimensions claim (None when they say nothing)."""
    check_zip(data, max_uncompressed_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError("unreadable_xlsx") from error
    expected = None
    try:
        if workbook.worksheets:
            claimed = workbook.worksheets[0].max_row
            expected = claimed - 1 if claimed and claimed > 1 else None
    except Exception:  # dimensions are a hint; a damaged one is found when reading
        expected = None
    return _numbered_xlsx(workbook), expected


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
