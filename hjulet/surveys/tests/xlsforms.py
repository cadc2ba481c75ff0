"""Workbooks built in code for the XLSForm tests (openpyxl), one sheet per keyword."""

import io

from openpyxl import Workbook


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    """``workbook(("survey", [header, row, …]), ("choices", […]))`` as .xlsx bytes; the
    sheets keep the names (and case) given."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form(survey: list[list], choices: list[list] | None = None, settings=None) -> bytes:
    sheets = [("survey", survey)]
    if choices is not None:
        sheets.append(("choices", choices))
    if settings is not None:
        sheets.append(("settings", settings))
    return workbook(*sheets)
