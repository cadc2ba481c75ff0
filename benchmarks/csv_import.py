"""Benchmark of the knowledge bank's CSV import against a bare insert of the same rows.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/csv_import.py \\
        --rows 100000 [--database-url postgres://postgres@127.0.0.1:5432/hjulet_import_bench]

Generates a deterministic CSV of N initiatives (Swedish-like titles, summaries and
descriptions from ``search_engine.TextGenerator``, kommun codes over all 290 municipalities,
stages, one to three challenges, a target group, goals, a start date and a number of
participants; about 400 bytes a row, so 100,000 rows stay under the 50 MB upload limit),
then, in a scratch database (default: a SQLite file in the temp folder, made anew each run;
for PostgreSQL the database is created when missing and its knowledge bank, audit log and
search index are emptied), with the reference data loaded and one organisation and member:

- **ours**: ``importing.import_prepare`` (read and check every row, store the preview) and
  ``importing.import_commit`` (check again, save every initiative with its partnership,
  tags, audit entry and search index in one transaction), timed together and apart;
- **bare**: the engine alone on the same file: ``csv`` parses it and the rows go into the
  initiatives table in one transaction with one ``executemany`` (SQLite) or ``COPY``
  (PostgreSQL) on a connection of its own, kommun and stage ids looked up in dicts; then
  rolled back.

It prints rows/s, seconds, the ratio and the verdict against the target (≤ 60 s for 100,000
rows, on this 2-core machine). ``run(database_url, rows)`` returns the same as a list of
dicts for ``benchmarks/run_all.py``. Runs with DEBUG off, as in production. Not part of the
tests.
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_engine import SEED, TextGenerator, prepare_database

TARGET_SECONDS = 60.0
TARGET_ROWS = 100_000
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "hjulet-csv-import-benchmark.sqlite3"
HEADER = [
    "title",
    "summary",
    "kommunkod",
    "stage",
    "utmaningar",
    "målgrupper",
    "sdg",
    "startdatum",
    "deltagare",
    "beskrivning",
]
STAGES = ["ide", "test", "etablerad", "spridd", "avslutad"]


# --- the file ---------------------------------------------------------------------------


def generate_csv(rows: int, municipality_codes: list[str], tags: dict[str, list[str]]) -> bytes:
    """A deterministic CSV of ``rows`` initiatives (semicolons, UTF-8 with BOM, as Excel
    writes it in Sweden)."""
    rng = random.Random(SEED + 8)
    text = TextGenerator(SEED + 8)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for _ in range(rows):
        topics = text.content_words(3)
        start = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
        writer.writerow(
            [
                text.text(rng.randint(4, 8), topics),
                text.text(rng.randint(10, 18), topics) + ".",
                rng.choice(municipality_codes),
                rng.choice(STAGES),
                "; ".join(rng.sample(tags["challenges"], rng.randint(1, 3))),
                rng.choice(tags["target_groups"]),
                ", ".join(rng.sample(tags["sdgs"], rng.randint(0, 2))),
                start.isoformat(),
                str(rng.randrange(5000)) if rng.random() < 0.7 else "",
                text.body(rng.randint(15, 30), topics),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- the database -----------------------------------------------------------------------


def _use_database(database_url: str | None) -> str:
    """Point Django's default connection at the scratch database (set up Django if it is
    not yet; switch the connection if it is, so run_all can call ``run`` for each)."""
    url = database_url or f"sqlite:///{DEFAULT_SQLITE}"
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    prepare_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    else:
        import dj_database_url
        from django.conf import settings
        from django.db import connections

        connections.close_all()
        database = dj_database_url.parse(url)
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        settings.DATABASES["default"] = {**settings.DATABASES["default"], **database}
        connections.settings = connections.configure_settings(settings.DATABASES)
        del connections["default"]
    from django.conf import settings

    settings.DEBUG = False  # as in production: DEBUG keeps every query
    return url


def _reset() -> tuple:
    """Migrate, load the reference data, empty what an earlier run imported; one
    organisation with one member."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from hjulet.accounts.models import Membership, Organisation, User
    from hjulet.core.models import AuditEntry, Term, Vocabulary
    from hjulet.core.reference_data import load_geography, load_vocabularies
    from hjulet.knowledge.models import ImportBatch, Initiative, Partnership

    call_command("migrate", verbosity=0)
    load_geography(with_boundaries=False)
    load_vocabularies()
    with transaction.atomic(), connection.cursor() as cursor:
        tables = [
            Initiative.challenges.through,
            Initiative.target_groups.through,
            Initiative.sdgs.through,
            Initiative.methods.through,
            Partnership,
            Initiative,
            ImportBatch,
            AuditEntry,
        ]
        names = [connection.ops.quote_name(model._meta.db_table) for model in tables]
        if connection.vendor == "postgresql":
            # TRUNCATE, not DELETE: deleted rows and their index entries would stay behind
            # and each run would insert into a larger, slower database (1.5 GB after a few
            # runs, a 100,000-row import 25 s slower).
            names += ["core_search_document", "core_search_term"]
            cursor.execute(f"TRUNCATE {', '.join(names)} CASCADE")
        else:
            for name in names:
                cursor.execute(f"DELETE FROM {name}")
            cursor.execute("DELETE FROM core_search_fts")
            cursor.execute("DELETE FROM core_search_document")
            cursor.execute("DELETE FROM core_search_term")
    user, _ = User.objects.get_or_create(
        email="importer@example.se",
        defaults={"name": "Ida Import", "email_canonical": "importer@example.se"},
    )
    sector = Term.objects.in_vocabulary(Vocabulary.SECTOR).order_by("position").first()
    organisation, _ = Organisation.objects.get_or_create(
        slug="importforeningen", defaults={"name": "Importföreningen", "sector": sector}
    )
    Membership.objects.get_or_create(user=user, organisation=organisation)
    return user, organisation


def _reference() -> tuple[list[str], dict[str, list[str]], dict[str, int], dict[str, int]]:
    from hjulet.core.models import Municipality, Term, Vocabulary

    codes = sorted(Municipality.objects.values_list("code", flat=True))
    tags = {
        name: list(Term.objects.in_vocabulary(slug).active().values_list("code", flat=True))
        for name, slug in (
            ("challenges", Vocabulary.CHALLENGE),
            ("target_groups", Vocabulary.TARGET_GROUP),
            ("sdgs", Vocabulary.SDG),
        )
    }
    stages = dict(Term.objects.in_vocabulary(Vocabulary.STAGE).values_list("code", "pk"))
    return codes, tags, {code: 1 for code in codes}, stages


# --- the two ways -----------------------------------------------------------------------


def ours(content: bytes, user, organisation) -> tuple[float, float, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hjulet.knowledge import importing

    started = time.perf_counter()
    batch = importing.import_prepare(
        actor=user, upload=SimpleUploadedFile("initiativ.csv", content), lead=organisation
    )
    checked = time.perf_counter()
    if batch.error_count:
        raise SystemExit(f"The generated file has errors: {batch.report[:3]}")
    count = importing.import_commit(actor=user, batch=batch)
    return checked - started, time.perf_counter() - checked, count


def bare(content: bytes, url: str, stages: dict[str, int], user_id: int) -> float:
    """csv → rows → one executemany (SQLite) or COPY (PostgreSQL), rolled back."""
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    next(reader)
    now = datetime.datetime.now(datetime.UTC)
    rows = []
    for number, cells in enumerate(reader):
        title, summary, code, stage, _c, _t, _s, start, participants, description = cells
        rows.append(
            (
                now, now, title, f"bare-{number}", summary, "", "", False, None, None, False,
                user_id, 1, description, code, "", stages[stage], start or None, None,
                int(participants) if participants else None, "", "", "", "sv", "SE", "",
            )
        )  # fmt: skip
    columns = (
        "created_at, updated_at, title, slug, summary, evidence, links, is_reviewed, "
        "reviewed_at, reviewed_by_id, is_featured, created_by_id, version, description, "
        "municipality_id, address, stage_id, start_date, end_date, participants_reached, "
        "results, contact_name, contact_email, language, country, place"
    )
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as connection:
            copy_sql = f"COPY knowledge_initiative ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            elapsed = time.perf_counter() - started
            connection.rollback()
        return elapsed
    import sqlite3

    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        connection.execute("BEGIN")
        connection.executemany(
            f"INSERT INTO knowledge_initiative ({columns}) VALUES ({', '.join('?' * 26)})",
            [(*(r[0].isoformat(), r[1].isoformat()), *r[2:17], r[17], *r[18:]) for r in rows],
        )
        elapsed = time.perf_counter() - started
        connection.rollback()
    finally:
        connection.close()
    return elapsed


def _verdict(seconds: float, rows: int) -> tuple[float, str]:
    target = TARGET_SECONDS * rows / TARGET_ROWS
    return target, "met" if seconds <= target else "missed"


def run(database_url: str | None, rows: int) -> list[dict]:
    """Import ``rows`` generated rows into a scratch database; one result row."""
    url = _use_database(database_url)
    from django.db import connection

    user, organisation = _reset()
    codes, tags, _municipalities, stages = _reference()
    content = generate_csv(rows, codes, tags)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"{vendor}: {rows:,} rows, {len(content) / 1024 / 1024:.1f} MB of CSV", flush=True)
    bare_s = bare(content, url, stages, user.pk)
    check_s, commit_s, count = ours(content, user, organisation)
    if count != rows:
        raise SystemExit(f"Imported {count} of {rows} rows")
    from hjulet.core import search

    assert search.search("initiativ", kinds=["initiative"], limit=1) is not None
    ours_s = check_s + commit_s
    target, verdict = _verdict(ours_s, rows)
    return [
        {
            "label": f"CSV import, {rows:,} rows ({vendor}): check + import",
            "ours_s": round(ours_s, 2),
            "bare_s": round(bare_s, 2),
            "ratio": round(ours_s / bare_s, 1),
            "target": f"≤ {target:.0f} s",
            "verdict": verdict,
            "check_s": round(check_s, 2),
            "import_s": round(commit_s, 2),
            "rows": rows,
            "rows_per_s": round(rows / ours_s),
            "bare_rows_per_s": round(rows / bare_s),
        }
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument(
        "--database-url",
        help=f"a scratch database (default: the SQLite file {DEFAULT_SQLITE}, made anew)",
    )
    arguments = parser.parse_args()
    load = os.getloadavg()[0]
    for result in run(arguments.database_url, arguments.rows):
        print(
            f"{result['label']}\n"
            f"  ours: {result['ours_s']:.1f} s ({result['rows_per_s']:,} rows/s; check "
            f"{result['check_s']:.1f} s, import {result['import_s']:.1f} s)\n"
            f"  bare: {result['bare_s']:.1f} s ({result['bare_rows_per_s']:,} rows/s)\n"
            f"  ratio {result['ratio']}×, target {result['target']}: {result['verdict']} "
            f"(load average {load:.1f} at start)"
        )


if __name__ == "__main__":
    main()
