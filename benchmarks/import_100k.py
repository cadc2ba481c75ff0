"""Benchmark of a 100,000-row import the way a large file goes: checked and imported by the
background tasks (``import_jobs.check_import`` and ``run_import``), with the worker's time
and peak memory.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/import_100k.py \\
        [--rows 100000] [--databases sqlite,postgresql] \\
        [--postgresql-url postgres://postgres@127.0.0.1:5432/hjulet_import_bench] \\
        [--profile /tmp/import.html] [--memory-trace /tmp/import-memory.txt]

The file is ``csv_import.generate_csv`` (deterministic: same seed, same bytes; about 410
bytes a row). For each database one child process plays the web request: it prepares the
scratch database (SQLite: a file in the temp folder made anew; PostgreSQL: emptied),
generates the file and calls ``start_import``, which stores it and queues the check in the
database backend. Then, each in a process of its own as on a server: the worker checks the
file (``db_worker --batch``), a web request's ``commit_import`` queues the import, the worker
imports it. The worker's seconds (check, import) and its peak RSS in each run are reported
against the targets: ≤ 60 s for 100,000 rows, ≤ 300 MB. ``--profile`` writes a pyinstrument
profile of each worker run, ``--memory-trace`` tracemalloc's top lines. Not part of the
tests.
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


def _trace_top(label: str, path: str) -> None:
    """Append the 15 source lines holding the most traced memory now, and the traced peak."""
    import tracemalloc

    current, peak = tracemalloc.get_traced_memory()
    top = tracemalloc.take_snapshot().statistics("lineno")[:15]
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"== {label}: traced now {current / 2**20:.1f} MB, peak {peak / 2**20:.1f} MB\n")
        out.writelines(f"{stat}\n" for stat in top)


def work(database_url: str, phase: str, profile: str | None, memory_trace: str | None) -> dict:
    """One run of the worker, in a process of its own: ``db_worker --batch`` runs what is
    queued (``phase`` "check": the check; "import": the import), with its seconds and peak
    RSS. ``memory_trace`` appends tracemalloc's top lines at the end (and slows the run)."""
    _setup(database_url, fresh=False)
    from django.core.management import call_command

    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if memory_trace:
        import tracemalloc

        tracemalloc.start()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        output = profiler.output_text(show_all=False) if profile.endswith(".txt") else None
        Path(profile.replace(".", f"-{phase}.", 1)).write_text(output or profiler.output_html())
    if memory_trace:
        _trace_top(f"after the {phase}", memory_trace)
    return {
        "seconds": round(seconds, 1),
        # ru_maxrss is in KiB on Linux: this worker process's peak, Django loaded included.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_mb": round(before_mb),
    }


def commit(database_url: str, batch_id: int) -> dict:
    """The web request that says "import" after the check (``commit_import``, which queues
    the import): a process of its own, so that the worker's peak is the worker's alone."""
    _setup(database_url, fresh=False)
    from hjulet.knowledge import import_jobs
    from hjulet.knowledge.models import ImportBatch

    batch = ImportBatch.objects.select_related("user").defer("content").get(pk=batch_id)
    if batch.error_count or batch.status != ImportBatch.Status.PREVIEWED or batch.phase:
        raise SystemExit(f"The check failed: {batch.failure or batch.report[:3]}")
    import_jobs.commit_import(actor=batch.user, batch=batch)
    return {}


def result(database_url: str, batch_id: int) -> dict:
    """What the import left: every row saved, the batch marked imported."""
    _setup(database_url, fresh=False)
    from django.db import connection

    from hjulet.knowledge.models import ImportBatch, Initiative

    batch = ImportBatch.objects.defer("content").get(pk=batch_id)
    count = Initiative.objects.count()
    if batch.status != ImportBatch.Status.IMPORTED or count != batch.row_count:
        raise SystemExit(f"Imported {count} of {batch.row_count} ({batch.status}: {batch.failure})")
    return {
        "database": "PostgreSQL" if connection.vendor == "postgresql" else "SQLite",
        "rows": count,
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


def run(
    database_url: str, rows: int, profile: str | None = None, memory_trace: str | None = None
) -> dict:
    """Upload (web), check (worker), commit (web), import (worker), each in its own process."""
    uploaded = _child(["--upload", database_url, "--rows", str(rows)])
    batch = str(uploaded["batch"])
    worker = ["--profile", profile] if profile else []
    worker += ["--memory-trace", memory_trace] if memory_trace else []
    checked = _child(["--work", database_url, "--phase", "check", *worker])
    _child(["--commit", database_url, "--batch", batch])
    imported = _child(["--work", database_url, "--phase", "import", *worker])
    return {
        **_child(["--result", database_url, "--batch", batch]),
        "megabytes": uploaded["megabytes"],
        "check_s": checked["seconds"],
        "import_s": imported["seconds"],
        "total_s": round(checked["seconds"] + imported["seconds"], 1),
        "peak_rss_mb": max(checked["peak_rss_mb"], imported["peak_rss_mb"]),
        "peak_rss_check_mb": checked["peak_rss_mb"],
        "peak_rss_import_mb": imported["peak_rss_mb"],
        "rss_before_mb": checked["rss_before_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgresql-url", default=DEFAULT_POSTGRESQL)
    parser.add_argument("--profile", help="write a pyinstrument profile (HTML) per database")
    parser.add_argument("--chunk-rows", type=int, help="IMPORT_CHUNK_ROWS for the worker")
    parser.add_argument(
        "--memory-trace",
        help="append tracemalloc's top lines after the check and after the import to this "
        "file (one per database; slows the worker)",
    )
    parser.add_argument("--upload", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--commit", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.upload:
        print(json.dumps(upload(arguments.upload, arguments.rows)))
        return
    if arguments.work:
        found = work(arguments.work, arguments.phase, arguments.profile, arguments.memory_trace)
        print(json.dumps(found))
        return
    if arguments.commit:
        print(json.dumps(commit(arguments.commit, arguments.batch)))
        return
    if arguments.result:
        print(json.dumps(result(arguments.result, arguments.batch)))
        return
    if arguments.chunk_rows:
        os.environ["BENCH_CHUNK_ROWS"] = str(arguments.chunk_rows)
    urls = {"sqlite": f"sqlite:///{SQLITE}", "postgresql": arguments.postgresql_url}
    target = TARGET_SECONDS * arguments.rows / 100_000
    for name in arguments.databases.split(","):
        load = os.getloadavg()
        profile = arguments.profile and arguments.profile.replace(".", f"-{name}.", 1)
        trace = arguments.memory_trace and arguments.memory_trace.replace(".", f"-{name}.", 1)
        found = run(urls[name], arguments.rows, profile, trace)
        verdict = (
            "met" if found["total_s"] <= target and found["peak_rss_mb"] <= TARGET_MB else "missed"
        )
        print(
            f"{found['database']}: {found['rows']:,} rows ({found['megabytes']} MB CSV): "
            f"{found['total_s']} s (check {found['check_s']} s, import {found['import_s']} s; "
            f"{round(found['rows'] / found['total_s']):,} rows/s), worker's peak RSS "
            f"{found['peak_rss_mb']} MB (checking {found['peak_rss_check_mb']} MB, importing "
            f"{found['peak_rss_import_mb']} MB; before its first task "
            f"{found['rss_before_mb']} MB); "
            f"target ≤ {target:.0f} s and ≤ {TARGET_MB} MB: {verdict} "
            f"(load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at start)",
            flush=True,
        )


if __name__ == "__main__":
    main()
