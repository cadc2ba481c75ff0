"""Reading a file and checking its rows."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from tempfile import TemporaryFile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.lib.spreadsheets import (
    SpreadsheetError,
    StreamedTable,
    Table,
    open_spreadsheet,
    read_spreadsheet,
    unneutralise,
)

from .. import participedia, services
from ..models import ImportBatch
from .cells import Lookups
from .checks import RowCheck, service_issues
from .columns import max_rows, max_uncompressed_bytes
from .layouts import Layout, layout_of

MAX_CELL_CHARACTERS = 100_000


@contextmanager
def _file_problems() -> Iterator[None]:
    """A problem with the file as a whole becomes a ValidationError on "file"."""
    try:
        yield
    except SpreadsheetError as error:
        raise ValidationError({"file": file_error_message(error)}, code=error.code) from error


def read_table(content: bytes, filename: str) -> Table:
    with _file_problems():
        return read_spreadsheet(
            content,
            filename,
            max_rows=max_rows(),
            max_uncompressed_bytes=max_uncompressed_bytes(),
        )


STORED_SLICE_BYTES = 4 << 20


def stored_content(batch_pk: int) -> bytes:
    """The file an ``ImportBatch`` keeps, read from the database a slice at a time into a
    temporary file and from there once: fetching the column whole holds it two or three
    times over (PostgreSQL sends a bytea as hex text, the driver decodes it, then a copy
    to ``bytes``), which is what a worker's peak memory was made of."""
    rows = ImportBatch.objects.filter(pk=batch_pk)
    size = rows.annotate(size=Length("content")).values_list("size", flat=True).get()
    with TemporaryFile() as spool:
        for start in range(1, (size or 0) + 1, STORED_SLICE_BYTES):
            part = Substr("content", start, STORED_SLICE_BYTES)
            spool.write(rows.annotate(part=part).values_list("part", flat=True).get())
        spool.seek(0)
        return spool.read()


def open_table(content: bytes, filename: str) -> StreamedTable:
    """The file read a row at a time (``lib.spreadsheets.open_spreadsheet``); a problem
    with the file as a whole is a ValidationError on "file", as in ``read_table``. Read
    its rows with ``table_chunks``."""
    with _file_problems():
        return open_spreadsheet(
            content,
            filename,
            max_rows=max_rows(),
            max_uncompressed_bytes=max_uncompressed_bytes(),
        )


def table_chunks(table: StreamedTable, size: int) -> Iterator[Table]:
    """The rows of a streamed file, ``size`` at a time, each chunk a ``Table``; a problem
    found while reading is a ValidationError on "file"."""
    while True:
        with _file_problems():
            rows = list(islice(table.rows, size))
        if not rows:
            return
        yield Table(table.file_type, table.header, rows)


FILE_ERRORS = {
    "empty": gettext_lazy(
        "The file is empty. Choose a CSV or Excel file with a header row and at least one "
        "initiative."
    ),
    "wrong_extension": gettext_lazy(
        "Only .csv and .xlsx files can be imported. Save the spreadsheet as CSV or as an "
        "Excel workbook (.xlsx) and upload it again."
    ),
    "old_excel": gettext_lazy(
        "This is an old Excel file (.xls). Open it in Excel, save it as .xlsx or CSV and "
        "upload it again."
    ),
    "not_xlsx": gettext_lazy(
        "The file is named .xlsx but is not an Excel workbook. Save it from your spreadsheet "
        "program as .xlsx or CSV and upload it again."
    ),
    "not_csv": gettext_lazy(
        "The file is named .csv but is not a text file. Save it as CSV (UTF-8) or as .xlsx "
        "and upload it again."
    ),
    "too_large_unpacked": gettext_lazy(
        "The workbook unpacks to more than %(limit)s MB, more than can be imported. Split it "
        "into smaller files."
    ),
    "too_many_parts": gettext_lazy(
        "The workbook has too many parts to be read. Save it again as .xlsx or CSV."
    ),
    "unreadable_xlsx": gettext_lazy(
        "The Excel file is damaged or cannot be read. Save it again as .xlsx or CSV and "
        "upload it again."
    ),
    "unreadable_csv": gettext_lazy(
        "The CSV file cannot be read from row %(row)s (line %(line)s of the file): perhaps a "
        "quotation mark is not closed. Correct the file and upload it again."
    ),
    "no_sheet": gettext_lazy("The workbook has no sheet."),
    "no_rows": gettext_lazy("The file has a header row but no initiatives under it."),
    "too_many_rows": gettext_lazy(
        "The file has more than %(limit)s rows of initiatives. Split it into smaller files."
    ),
    "too_many_columns": gettext_lazy("The file has more than %(limit)s columns."),
}


def file_error_message(error: SpreadsheetError) -> str:
    params: dict[str, Any] = {"row": "?", "line": "?", "limit": "", **error.params}
    if error.code == "too_large_unpacked":
        params["limit"] = f"{error.params['limit'] / 1024 / 1024:.0f}"
    message = FILE_ERRORS.get(error.code, FILE_ERRORS["unreadable_xlsx"])
    return str(message) % params


def row_values(layout: Layout, cells: Sequence[str], check: RowCheck) -> dict[str, str]:
    values = {}
    for name, index in layout.columns.items():
        text = unneutralise(cells[index])
        if len(text) > MAX_CELL_CHARACTERS:
            check.problem(
                layout.names[name],
                _("The text is longer than %(limit)d characters.") % {"limit": MAX_CELL_CHARACTERS},
                name,
            )
        values[name] = text
    for name, default in layout.defaults.items():
        values[name] = values.get(name) or default
    return values


#: How often (in rows) the check and the import tell ``progress`` how far they are.
PROGRESS_EVERY = 500
#: Rows saved per call of the bulk service in one import: the import is still one
#: transaction, but memory holds one chunk's initiatives at a time and progress is told
#: after each chunk. A setting (IMPORT_CHUNK_ROWS) so that tests can make it small.
DEFAULT_CHUNK_ROWS = 5_000


def chunk_rows() -> int:
    return getattr(settings, "IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS)


def check_rows(
    table: Table,
    layout: Layout,
    lookups: Lookups,
    *,
    progress: Callable[[int], None] | None = None,
) -> list[RowCheck]:
    """Every row read into service arguments, or with the reasons it cannot be.
    ``progress`` is called with the number of rows checked every ``PROGRESS_EVERY`` rows."""
    checks = []
    for position, row in enumerate(table.rows, start=1):
        if progress is not None and position % PROGRESS_EVERY == 0:
            progress(position)
        check = RowCheck(number=row.number)
        values = row_values(layout, row.cells, check)
        check.title = values.get("title", "")[:200]
        if row.overflow:
            check.problem(
                "",
                _(
                    "The row has %(count)d filled cells to the right of the last named column. "
                    "Check that every column has a name in the first row and that no cell has "
                    "moved."
                )
                % {"count": row.overflow},
            )
        if not layout.missing:  # else the person first chooses the columns
            layout.check_row(layout, values, check, lookups)
        checks.append(check)
    return checks


def check_fields(check: RowCheck, layout: Layout) -> None:
    """The rules the service applies to the row's fields (lengths, e-mail address, …),
    without a query; fields already found wrong are not checked twice, so the person sees
    every problem of the row once."""
    problems = services.initiative_problems(check.fields, exclude=check.bad_fields)
    if problems is not None:
        check.issues.extend(service_issues(problems, layout))


def analyse(
    content: bytes,
    filename: str,
    *,
    check_models: bool = True,
    mapping: dict[str, Any] | None = None,
    saved: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    on_read: Callable[[Table], None] | None = None,
) -> tuple[Layout, list[RowCheck]]:
    """Read and check every row. ``check_models=False`` leaves the fields' own rules to
    the bulk service, which applies them while saving (the import would check twice).
    ``mapping`` and ``saved`` choose the columns (see ``layout_of``). ``on_read`` is given
    the table once it is read (how many rows there are); ``progress`` the number of rows
    checked, now and then."""
    table = read_table(content, filename)
    layout = layout_of(table.header, mapping, saved=saved)
    if on_read is not None:
        on_read(table)
    checks = check_rows(table, layout, Lookups(), progress=progress)
    if check_models and not layout.missing:
        check_model_rules(checks, layout)
    return layout, checks


def check_model_rules(checks: Sequence[RowCheck], layout: Layout) -> None:
    """The rules of the model each row becomes, beside those of the columns."""
    for check in checks:
        if layout.format == ImportBatch.Format.PARTICIPEDIA_METHODS:
            problems = participedia.method_problems(check.fields)
            if problems is not None:
                check.issues.extend(service_issues(problems, layout))
        else:
            check_fields(check, layout)
