"""Workbooks built in code for the XLSForm tests (openpyxl), one sheet per keyword."""

import io

from openpyxl import Workbook

# A cascade: the counties offered follow the state chosen (the choices' ``cf`` column); "king"
# stands in both states' lists, so a form with it needs ``ALLOW_CHOICE_DUPLICATES``.
CASCADE = [
    ["type", "name", "label", "choice_filter"],
    ["select_one states", "state", "Delstat", ""],
    ["select_one counties", "county", "County", "${state}=cf"],
]
COUNTIES = [
    ["list_name", "name", "label", "cf"],
    ["states", "texas", "Texas", ""],
    ["states", "washington", "Washington", ""],
    ["counties", "king", "King", "washington"],
    ["counties", "pierce", "Pierce", "washington"],
    ["counties", "king", "King", "texas"],
    ["counties", "cameron", "Cameron", "texas"],
]
ALLOW_CHOICE_DUPLICATES = [["allow_choice_duplicates"], ["yes"]]


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
