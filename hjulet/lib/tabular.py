"""Writing tables to CSV, XLSX and JSON safely."""

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 then


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


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.append(list(header))
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    records = [dict(zip(header, row, strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2, default=str).encode("utf-8")
