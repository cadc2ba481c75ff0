"""Benchmark of the initiative export (issue 15, point 6): every initiative of the generated
database as CSV, JSON and XLSX through the view (``/initiativ/export.<fmt>``, read to the end
as a server would send it), against the bare engine writing the same rows.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/exports.py \\
        [--scale 0.01] [--database-url postgres://postgres@127.0.0.1:5432/hjulet_bench]

At ``--scale 1`` the database has 100,000 initiatives (``generate.py``; filled when missing,
reused afterwards). Each format is timed, then run again under ``tracemalloc`` for its peak
Python memory (tracing slows it, so the two are separate runs). "Bare" is one raw cursor over
the initiatives joined with their kommun, län and stage, partners, methods and tags
aggregated by the database (``string_agg`` / ``group_concat``), written with ``csv.writer``,
``json.dumps`` per row, or openpyxl's write-only mode: the least work that gives the same
file. Target: each export finishes well inside gunicorn's 60 s worker timeout (scaled with
the rows); memory should not grow with the rows (compare two scales). Not part of the tests.
"""

import argparse
import csv
import io
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, log

FORMATS = ("csv", "json", "xlsx")
WORKER_TIMEOUT_MS = 60_000  # config/gunicorn.conf.py
TARGET_ROWS = 100_000


def _bare_sql(vendor: str) -> str:
    """Every column of the export in one statement, related lists aggregated in SQL."""
    agg = (
        (lambda expr: f"string_agg({expr}, '; ')")
        if vendor == "postgresql"
        else (lambda expr: f"group_concat({expr}, '; ')")
    )
    text = "::text" if vendor == "postgresql" else ""

    def tags(table: str) -> str:
        return (
            f"(SELECT {agg('t.code')} FROM knowledge_initiative_{table} x "
            f"JOIN core_term t ON t.id = x.term_id WHERE x.initiative_id = i.id)"
        )

    return (
        "SELECT i.title, i.summary, i.municipality_id, m.name, c.name, i.country, i.place, s.code, "
        f"i.start_date{text}, i.end_date{text}, i.participants_reached, "
        f"(SELECT {agg('o.name')} FROM knowledge_partnership p "
        "JOIN accounts_organisation o ON o.id = p.organisation_id "
        "WHERE p.initiative_id = i.id AND p.role = 'lead' AND p.status = 'accepted'), "
        f"(SELECT {agg('o.name')} FROM knowledge_partnership p "
        "JOIN accounts_organisation o ON o.id = p.organisation_id "
        "WHERE p.initiative_id = i.id AND p.role <> 'lead' AND p.status = 'accepted'), "
        f"(SELECT {agg('me.title')} FROM knowledge_initiative_methods x "
        "JOIN knowledge_method me ON me.id = x.method_id WHERE x.initiative_id = i.id), "
        f"{tags('challenges')}, {tags('target_groups')}, {tags('sdgs')}, "
        "i.contact_name, i.contact_email, i.slug "
        "FROM knowledge_initiative i "
        "JOIN core_municipality m ON m.code = i.municipality_id "
        "JOIN core_county c ON c.code = m.county_id "
        "JOIN core_term s ON s.id = i.stage_id "
        "ORDER BY i.created_at DESC, i.id DESC"
    )


def _bare(fmt: str) -> Callable[[], int]:
    """The engine alone: a raw cursor of its own, the rows written straight to a file."""
    from django.db import connections

    from hjulet.knowledge.exports import HEADER
    from hjulet.lib.tabular import write_xlsx

    def run() -> int:
        connection = connections.create_connection("default")
        try:
            with connection.cursor() as cursor:
                cursor.execute(_bare_sql(connection.vendor))

                def rows():
                    while batch := cursor.fetchmany(2000):
                        for row in batch:
                            yield [*row[:-1], f"http://testserver/initiativ/{row[-1]}/"]

                with tempfile.TemporaryFile() as out:
                    if fmt == "xlsx":
                        write_xlsx(out, HEADER, rows(), "Initiativ")
                        return out.tell()
                    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
                    if fmt == "csv":
                        writer = csv.writer(text)
                        writer.writerow(HEADER)
                        writer.writerows(rows())
                    else:
                        text.write("[")
                        for number, row in enumerate(rows()):
                            text.write(",\n" if number else "\n")
                            text.write(json.dumps(dict(zip(HEADER, row, strict=True)), default=str))
                        text.write("\n]\n")
                    text.flush()
                    return out.tell()
        finally:
            connection.close()

    return run


def _ours(fmt: str) -> Callable[[], int]:
    from django.test import Client

    client = Client()

    def run(query: str = "") -> int:
        response = client.get(f"/initiativ/export.{fmt}{query}")
        if response.status_code != 200:
            raise RuntimeError(f"export.{fmt}: HTTP {response.status_code}")
        size = 0
        for piece in response.streaming_content:  # as the server sends it, piece by piece
            size += len(piece)
        response.close()
        return size

    return run


def _timed(work: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    size = work()
    return (time.perf_counter() - started) * 1000, size


def _peak(work: Callable[[], int]) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def benchmark(rounds: int = 1) -> list[Row]:
    """One row per format: time of ours against bare (``rounds`` runs each, interleaved),
    the peak memory of each in the note."""
    from django.conf import settings

    from hjulet.knowledge import exports
    from hjulet.knowledge.models import Initiative

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "100000/m"}
    count = Initiative.objects.count()
    # The site answers an XLSX of more than XLSX_MAX_ROWS rows with a page offering the CSV;
    # here the cap is lifted to measure what a whole XLSX would cost (the reason for the cap).
    exports.XLSX_MAX_ROWS = max(count, exports.XLSX_MAX_ROWS)
    target = WORKER_TIMEOUT_MS * max(count, 1) / TARGET_ROWS
    found = []
    for fmt in FORMATS:
        ours, bare = _ours(fmt), _bare(fmt)
        ours("?municipality=0180")  # warm the code path (imports, URLs) on a few rows
        our_times, bare_times = [], []
        for _ in range(rounds):
            elapsed, size = _timed(ours)
            our_times.append(elapsed)
            bare_elapsed, bare_size = _timed(bare)
            bare_times.append(bare_elapsed)
        our_peak, bare_peak = _peak(ours), _peak(bare)
        row = Row(
            f"export {fmt.upper()} of {count:,} initiatives",
            min(our_times),
            max(our_times),
            min(bare_times),
            max(bare_times),
            target=target,
            max_ratio=None,
            note=(
                f"peak memory {our_peak / 2**20:.1f} MB (bare {bare_peak / 2**20:.1f} MB); "
                f"{size / 2**20:.1f} MB written (bare {bare_size / 2**20:.1f} MB)"
            ),
        )
        log(f"  {row.label}: {row.ours95:,.0f} ms against {row.bare95:,.0f} ms; {row.note}")
        found.append(row)
    return found


def main() -> None:
    from generate import default_sqlite_url, fill, setup

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1: 100,000 initiatives")
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--refill", action="store_true")
    arguments = parser.parse_args()
    setup(arguments.database_url)
    fill(arguments.scale, arguments.refill)
    from common import print_table
    from django.db import connection

    print_table(f"Exports on {connection.vendor}", benchmark(arguments.rounds))


if __name__ == "__main__":
    main()
