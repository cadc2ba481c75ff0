"""Reading XLSForms whose sheets declare far more than they hold (issue 18).

Three workbooks, each parsed by ``parse_xlsform`` (our reading plus pyxform's own check):

- ``declared``: 90 questions and one formatted cell in the sheet's last row (1,048,576) and
  column (XFD), as Excel leaves a sheet whose whole column was formatted;
- ``styled``: 90 questions followed by ``--styled`` rows that each hold one formatted empty
  cell and no <dimension> (openpyxl's write-only mode writes such files);
- ``full``: 2,000 filled rows (the limit).

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/xlsform_reading.py
"""

import argparse
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from hjulet.surveys.xlsform import MAX_ROWS, parse_xlsform  # noqa: E402

HEADER = ["type", "name", "label"]


def declared() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(HEADER)
    for index in range(90):
        sheet.append(["integer", f"q{index}", f"Fråga {index}"])
    sheet.cell(row=1_048_576, column=1).font = Font(bold=True)
    sheet.cell(row=1, column=16_384).font = Font(bold=True)
    return _save(book)


def styled(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("survey")
    sheet.append(HEADER)
    for index in range(90):
        sheet.append(["integer", f"q{index}", f"Fråga {index}"])
    cell = WriteOnlyCell(sheet, value=None)
    cell.font = Font(bold=True)
    for _ in range(rows):
        sheet.append([cell])
    return _save(book)


def full() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(HEADER)
    for index in range(MAX_ROWS):
        sheet.append(["integer", f"q{index}", f"Fråga {index}"])
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(name: str, data: bytes) -> None:
    """Time without tracemalloc (it slows Python down severalfold), then the peak of the
    memory Python allocates in a second run."""
    start = time.perf_counter()
    form = parse_xlsform(data)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    parse_xlsform(data)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(
        f"| {name} | {len(data) / 1e6:.2f} MB | {len(form.questions)} | {len(form.problems)} "
        f"| {seconds:.2f} s | {peak:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styled", type=int, default=200_000)
    args = parser.parse_args()
    print("| workbook | file | questions | problems | time | peak traced |")
    print("| --- | --- | --- | --- | --- | --- |")
    measure("declared 1,048,576 × 16,384", declared())
    measure(f"styled {args.styled:,} rows", styled(args.styled))
    measure(f"full {MAX_ROWS:,} rows", full())


if __name__ == "__main__":
    main()
