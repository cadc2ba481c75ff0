"""THE one command: every benchmark on SQLite and then PostgreSQL, one table each and a
combined Markdown table for docs/benchmarks.md.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/run_all.py \\
        [--scale 1] [--databases sqlite,postgresql] \\
        [--sqlite-url sqlite:///tmp/hjulet-bench.sqlite3] \\
        [--postgresql-url postgres://postgres@127.0.0.1:5432/hjulet_bench]

For each database it fills the data with ``generate.py`` (or reuses it when the counts
match; ``--refill`` forces), then runs: the knowledge bank's search, similar, filtered list
and detail rows (``knowledge_bank.py``), the site-wide search /sok/ and /api/v1/search
against the engine's search() (``site_search.py``), map aggregation and every API list endpoint
(``maps_and_lists.py``), the survey analysis against NumPy (``survey_analysis.py``), the
export of every initiative as CSV, JSON and XLSX with time and peak memory (``exports.py``),
gunicorn under locust at 16 and 64 users (``load_test.py``, ``--load-seconds`` per level)
and CSV import throughput (``csv_import.py``, when present, on a scratch database of its own:
``<name>-import.sqlite3`` or ``<name>_import``, which it empties). Each database runs in a
process of its own (Django is configured once per process) that hands its rows back as JSON.

Progress goes to stderr; the machine, the tables and the Markdown go to stdout. Targets:
search p95 ≤ 50 ms, list and detail pages ≤ 100 ms, similar ≤ 100 ms, within 2× of the bare
engine; survey analysis ≤ 2 s and within 3× of NumPy; 100,000-row CSV import ≤ 60 s.
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import IMPORT_SECONDS, Row, log, machine, markdown_table, print_table
from generate import FULL, default_sqlite_url

DEFAULT_POSTGRESQL = "postgres://postgres@127.0.0.1:5432/hjulet_bench"


def _scratch_url(database_url: str) -> str:
    """A database of its own for the import benchmark, which empties (SQLite: deletes) it."""
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return f"sqlite:///{path.with_name(path.stem + '-import' + path.suffix)}"
    return database_url + "_import"


def _import_rows(database_url: str, rows: int) -> list[Row]:
    """CSV import throughput, from the import helper's ``run()``. It switches Django's
    connection to a scratch database of its own, so it runs last."""
    try:
        import csv_import
    except ImportError:
        log("CSV import: not available (benchmarks/csv_import.py is missing)")
        return [Row("CSV import", None, None, target=None, max_ratio=None, note="not available")]
    found = []
    try:
        results = csv_import.run(_scratch_url(database_url), rows)
    except Exception as error:  # recorded in the table: the other rows still count
        log(f"CSV import failed: {error!r}")
        note = f"failed: {error}"[:200]
        return [Row("CSV import", None, None, target=None, max_ratio=None, note=note)]
    for result in results:
        ours = result["ours_s"] * 1000
        bare = result["bare_s"] * 1000
        found.append(
            Row(
                f"CSV import of {rows:,} rows (check + import)",
                ours,
                ours,
                bare,
                bare,
                target=IMPORT_SECONDS * 1000 * rows / 100_000,
                max_ratio=None,
                note=(
                    f"{result.get('rows_per_s', 0):,} rows/s; check {result.get('check_s')} s, "
                    f"import {result.get('import_s')} s; bare: csv + one executemany/COPY"
                ),
            )
        )
    return found


def _load_rows(database_url: str, duration: int) -> list[Row]:
    """gunicorn under locust at 16 and 64 users (``load_test.py``); its report goes to stderr."""
    import contextlib

    import load_test

    if duration <= 0:
        return []
    try:
        with contextlib.redirect_stdout(sys.stderr):
            levels = load_test.run(database_url, users=(16, 64), duration=duration)
    except Exception as error:  # recorded in the table: the other rows still count
        log(f"load test failed: {error}")
        return [Row("load test", None, None, max_ratio=None, note=f"failed: {error}"[:200])]
    return [
        Row(
            f"load {level['users']} users: every page and API call",
            level["p50"],
            level["p95"],
            target=load_test.PAGE_P95_MS if level["users"] == load_test.TARGET_USERS else None,
            max_ratio=None,
            note=(
                f"{level['rps']:.1f} req/s, p99 {level['p99']:.0f} ms, "
                f"errors {level['error_rate']:.1%}, max RSS per worker "
                f"{level['max_rss_mb']:.0f} MB; load test's verdict: {level['verdict']}"
            ),
        )
        for level in levels
    ]


def one_database(arguments) -> None:
    """In the child process: fill, run every benchmark, write the rows as JSON."""
    from generate import fill, setup

    started = time.perf_counter()
    setup(arguments.one)
    import exports
    import knowledge_bank
    import maps_and_lists
    import site_search
    import survey_analysis
    from django.db import connection

    log(f"\n=== {connection.vendor} ({arguments.one}) ===")
    counts = fill(arguments.scale, arguments.refill)
    rows: list[Row] = []
    rows += knowledge_bank.benchmark(
        queries=arguments.queries,
        similar=arguments.queries // 2,
        pages=arguments.queries // 2,
        rounds=2,
    )
    rows += site_search.benchmark(queries=arguments.queries // 2, rounds=2)
    rows += maps_and_lists.maps()
    rows += maps_and_lists.api_lists()
    rows += survey_analysis.benchmark()
    rows += exports.benchmark()
    rows += _load_rows(arguments.one, arguments.load_seconds)
    rows += _import_rows(arguments.one, max(1000, round(100_000 * arguments.scale)))
    for row in rows:
        row.database = connection.vendor
    payload = {
        "database": connection.vendor,
        "counts": counts,
        "seconds": time.perf_counter() - started,
        "rows": [dataclasses.asdict(row) for row in rows],
    }
    Path(arguments.output).write_text(json.dumps(payload), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sqlite-url", default=default_sqlite_url())
    parser.add_argument("--postgresql-url", default=DEFAULT_POSTGRESQL)
    parser.add_argument("--refill", action="store_true", help="refill even if already filled")
    parser.add_argument(
        "--queries", type=int, default=200, help="search queries (half as many of the others)"
    )
    parser.add_argument(
        "--load-seconds", type=int, default=60, help="per load level (0: no load test)"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child: one database URL
    parser.add_argument("--output", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if arguments.one:
        one_database(arguments)
        return

    urls = {"sqlite": arguments.sqlite_url, "postgresql": arguments.postgresql_url}
    chosen = [name.strip() for name in arguments.databases.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in urls]
    if unknown:
        raise SystemExit(f"Unknown database {', '.join(unknown)}: use sqlite and postgresql.")
    print(f"Machine: {machine([urls[name] for name in chosen])}")
    print(
        f"Scale {arguments.scale:g}: "
        + ", ".join(f"{round(count * arguments.scale):,} {name}" for name, count in FULL.items())
    )
    results: dict[str, list[Row]] = {}
    for name in chosen:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            output = handle.name
        command = [
            sys.executable,
            __file__,
            "--one",
            urls[name],
            "--output",
            output,
            "--scale",
            str(arguments.scale),
            "--queries",
            str(arguments.queries),
            "--load-seconds",
            str(arguments.load_seconds),
        ] + (["--refill"] if arguments.refill else [])
        started = time.perf_counter()
        completed = subprocess.run(command, check=False)
        if completed.returncode != 0:
            log(f"{name}: the benchmarks failed (exit {completed.returncode}); see above.")
            continue
        payload = json.loads(Path(output).read_text(encoding="utf-8"))
        os.unlink(output)
        rows = [Row(**row) for row in payload["rows"]]
        results[name] = rows
        print_table(
            f"{payload['database']} (scale {arguments.scale:g}, "
            f"{time.perf_counter() - started:.0f} s with the fill)",
            rows,
        )
    print(f"\nMachine after the runs: {machine([urls[name] for name in chosen])}")
    if results:
        print("\nMarkdown for docs/benchmarks.md:\n")
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        print(markdown_table({names[name]: rows for name, rows in results.items()}))
    if len(results) < len(chosen):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
