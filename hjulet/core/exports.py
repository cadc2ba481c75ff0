"""Sending an exported table: CSV and JSON are streamed while the rows are read (memory does
not grow with the rows); XLSX is written in openpyxl's write-only mode to a temporary file
and sent from it in blocks. Cells are made formula-safe by ``lib/tabular``."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from hjulet.lib.tabular import iter_csv, iter_json, xlsx_file

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def download(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str, title: str
) -> StreamingHttpResponse:
    """An attachment named ``filename`` in ``fmt`` (csv, json or xlsx); ``title`` names the
    XLSX sheet."""
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(header, rows, title),
            as_attachment=True,
            filename=filename,
            content_type=CONTENT_TYPES[fmt],
        )
    write = iter_csv if fmt == "csv" else iter_json
    response = StreamingHttpResponse(write(header, rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#: An XLSX file costs about 0.25 ms of a worker per row (openpyxl), CSV and JSON a tenth of
#: that: beyond this many rows an XLSX export is not made in the request; a page offers to
#: have the worker build it (``export_jobs``) or to take the CSV.
XLSX_MAX_ROWS = 10_000


def too_large(
    request: HttpRequest, *, total: int, build_url: str, query: str, csv_url: str, list_url: str
) -> HttpResponse:
    """The page for an XLSX export of more than ``XLSX_MAX_ROWS`` rows: a form that has the
    worker build it (POST ``query`` to ``build_url``), the CSV instead, or back to the list."""
    return render(
        request,
        "core/export_too_large.html",
        {
            "total": total,
            "limit": XLSX_MAX_ROWS,
            "build_url": build_url,
            "query": query,
            "csv_url": csv_url,
            "list_url": list_url,
        },
    )
