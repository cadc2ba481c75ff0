"""Writing tables to CSV, XLSX and JSON safely."""

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


#: Rows written into one piece of a streamed file: large enough that the server sends few,
#: full packets; small enough that memory stays a few hundred kilobytes.
STREAM_ROWS = 500


def _batches(rows: Iterable[Sequence[Any]], size: int = STREAM_ROWS) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV in pieces of ``STREAM_ROWS`` rows, for a streamed response: memory does not
    grow with the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # BOM: Excel reads UTF-8 then
    writer.writerow(header)
    yield buffer.getvalue().encode("utf-8")
    for batch in _batches(rows):
        buffer.seek(0)
        buffer.truncate()
        for row in batch:
            writer.writerow([neutralise("" if v is None else v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return b"".join(iter_csv(header, rows))


def xlsx_value(value: Any) -> Any:
    """A value for an XLSX cell: control characters XML cannot hold are dropped (openpyxl
    refuses them), then formulas are neutralised."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: at most 31 characters, none of []:*?/\\, and not
    empty or starting/ending with an apostrophe."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", ILLEGAL_CHARACTERS_RE.sub("", title))
    cleaned = cleaned.strip().strip("'")[:31].strip()
    return cleaned or "Data"


def write_xlsx(
    destination: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> None:
    """Write the workbook to a binary file in openpyxl's write-only mode: each row goes to
    disk as it is appended, so memory does not grow with the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.append(list(header))
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    workbook.save(destination)


def xlsx_file(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> IO[bytes]:
    """The workbook in an anonymous temporary file, at its start, for a ``FileResponse``
    (which sends it in blocks and closes it, and so deletes it)."""
    destination = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    try:
        write_xlsx(destination, header, rows, title)
    except BaseException:
        destination.close()
        raise
    destination.seek(0)
    return destination


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows, title)
    return buffer.getvalue()


def iter_json(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """A JSON array of one object per row, in pieces of ``STREAM_ROWS`` rows."""
    yield b"["
    separator = "\n"
    for batch in _batches(rows):
        pieces = []
        for row in batch:
            record = dict(zip(header, row, strict=True))
            pieces.append(separator + json.dumps(record, ensure_ascii=False, default=str))
            separator = ",\n"
        yield "".join(pieces).encode("utf-8")
    yield b"\n]\n"


def to_json(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return b"".join(iter_json(header, rows))
