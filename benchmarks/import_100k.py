"""Benchmark of a 100,000-row import the way a large file goes: checked and imported by the
background tasks (``import_jobs.check_import`` and ``run_import``), with the worker's time
and peak memory.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/import_100k.py \\
        [--rows 100000] [--databases sqlite,postgresql] \\
        [--postgresql-url postgres://postgres@127.0.0.1:5432/hjulet_import_bench] \\
        [--profile /tmp/import.html]

The file is ``csv_import.generate_csv`` (deterministic: same seed, same bytes; about 410
bytes a row). For each database one child process plays the web request: it prepares the
scratch database (SQLite: a file in the temp folder made anew; PostgreSQL: emptied),
generates the file and calls ``start_import``, which stores it and queues the check in the
database backend. A second child is the worker: ``db_worker --batch`` checks the file,
``commit_import`` queues the import and ``db_worker --batch`` runs it. The worker's seconds
(check, import) and its peak RSS are reported against the targets: ≤ 60 s for 100,000 rows,
≤ 300 MB. ``--profile`` writes a pyinstrument profile of the worker. Not part of the tests.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 60.0
TARGET_MB = 300
DEFAULT_POSTGRESQL = "postgres://postgres@127.0.0.1:5432/hjulet_import_bench"
SQLITE = Path(tempfile.gettempdir()) / "hjulet-import-100k.sqlite3"


def _setup(database_url: str, *, fresh: bool) -> None:
    """Django on the scratch database; ``fresh`` makes it anew (SQLite: deletes the file)."""
    if fresh:
        import csv_import

        csv_import._use_database(database_url)
    else:
        import django

        os.environ["DATABASE_URL"] = database_url
        django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.IMPORT_PROGRESS_DIR = str(Path(tempfile.gettempdir()) / "hjulet-bench-progress")
    if os.environ.get("BENCH_CHUNK_ROWS"):  # --chunk-rows: rows saved per round
        settings.IMPORT_CHUNK_ROWS = int(os.environ["BENCH_CHUNK_ROWS"])


def upload(database_url: str, rows: int) -> dict:
    """The web process's part: scratch database, the file, ``start_import`` (which stores
    the file and queues the check)."""
    import csv_import

    _setup(database_url, fresh=True)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from hjulet.knowledge import import_jobs
    from hjulet.knowledge.models import InitiativeEditor

    call_command("migrate", verbosity=0)
    InitiativeEditor.objects.all().delete()  # csv_import._reset empties the rest
    DBTaskResult.objects.all().delete()
    user, organisation = csv_import._reset()
    codes, tags, _municipalities, _stages = csv_import._reference()
    content = csv_import.generate_csv(rows, codes, tags)
    batch = import_jobs.start_import(
        actor=user, upload=SimpleUploadedFile("initiativ.csv", content), lead=organisation
    )
    return {"batch": batch.pk, "megabytes": round(len(content) / 1024 / 1024, 1)}


def work(database_url: str, batch_id: int, profile: str | None) -> dict:
    """The worker's part, in a process of its own: ``db_worker --batch`` checks the file,
    ``commit_import`` queues the import, ``db_worker --batch`` imports it."""
    _setup(database_url, fresh=False)
    from django.core.management import call_command
    from django.db import connection

    from hjulet.knowledge import import_jobs
    from hjulet.knowledge.models import ImportBatch, Initiative

    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    checked = time.perf_counter()
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if batch.error_count or batch.status != ImportBatch.Status.PREVIEWED or batch.phase:
        raise SystemExit(f"The check failed: {batch.failure or batch.report[:3]}")
    import_jobs.commit_import(actor=batch.user, batch=batch)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    imported = time.perf_counter()
    if profiler is not None:
        profiler.stop()
        Path(profile).write_text(
            profiler.output_text(show_all=False)
            if profile.endswith(".txt")
            else profiler.output_html()
        )
    batch.refresh_from_db()
    count = Initiative.objects.count()
    if batch.status != ImportBatch.Status.IMPORTED or count != batch.row_count:
        raise SystemExit(f"Imported {count} of {batch.row_count} ({batch.status}: {batch.failure})")
    return {
        "database": "PostgreSQL" if connection.vendor == "postgresql" else "SQLite",
        "rows": count,
        "check_s": round(checked - started, 1),
        "import_s": round(imported - checked, 1),
        "total_s": round(imported - started, 1),
        # ru_maxrss is in KiB on Linux: the worker process's peak, Django loaded included.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_mb": round(before_mb),
    }


def _child(arguments: list[str]) -> dict:
    command = [sys.executable, __file__, *arguments]
    # The database backend from the start: the task backends are read once, at setup.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TASK_BACKEND": "database"}
    env.pop("HJULET_TESTING", None)
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if output.returncode:
        raise SystemExit(f"The child failed:\n{output.stderr[-4000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(database_url: str, rows: int, profile: str | None = None) -> dict:
    uploaded = _child(["--upload", database_url, "--rows", str(rows)])
    worker = ["--work", database_url, "--batch", str(uploaded["batch"])]
    if profile:
        worker += ["--profile", profile]
    return {**_child(worker), "megabytes": uploaded["megabytes"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgresql-url", default=DEFAULT_POSTGRESQL)
    parser.add_argument("--profile", help="write a pyinstrument profile (HTML) per database")
    parser.add_argument("--chunk-rows", type=int, help="IMPORT_CHUNK_ROWS for the worker")
    parser.add_argument("--upload", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.upload:
        print(json.dumps(upload(arguments.upload, arguments.rows)))
        return
    if arguments.work:
        print(json.dumps(work(arguments.work, arguments.batch, arguments.profile)))
        return
    if arguments.chunk_rows:
        os.environ["BENCH_CHUNK_ROWS"] = str(arguments.chunk_rows)
    urls = {"sqlite": f"sqlite:///{SQLITE}", "postgresql": arguments.postgresql_url}
    target = TARGET_SECONDS * arguments.rows / 100_000
    for name in arguments.databases.split(","):
        load = os.getloadavg()
        profile = arguments.profile and arguments.profile.replace(".", f"-{name}.", 1)
        result = run(urls[name], arguments.rows, profile)
        verdict = (
            "met"
            if result["total_s"] <= target and result["peak_rss_mb"] <= TARGET_MB
            else "missed"
        )
        print(
            f"{result['database']}: {result['rows']:,} rows ({result['megabytes']} MB CSV): "
            f"{result['total_s']} s (check {result['check_s']} s, import {result['import_s']} s; "
            f"{round(result['rows'] / result['total_s']):,} rows/s), peak RSS "
            f"{result['peak_rss_mb']} MB (worker before its first task "
            f"{result['rss_before_mb']} MB); "
            f"target ≤ {target:.0f} s and ≤ {TARGET_MB} MB: {verdict} "
            f"(load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at start)",
            flush=True,
        )


if __name__ == "__main__":
    main()
