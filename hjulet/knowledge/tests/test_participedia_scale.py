"""Participedia's case export at its real size, through the worker.

The real export has 2,258 cases; it is not in the shared data, only ten of its rows are
(``participedia-cases-sample.csv``, all 111 columns). This file is built from those ten
rows repeated to 2,258, each copy with its own id and title, with the trouble a real
export has: cases in a country nobody knows or in none (explained; the other rows are
imported all the same), cases that say neither that they are ongoing nor when they ended,
and texts that only repeat the summary. It is not the real export: it says that a file of
its shape and size goes through the background check and import whole.
"""

import csv
import io
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from hjulet.core import search
from hjulet.core.models import AuditEntry
from hjulet.core.tests.shared_data import shared_file
from hjulet.knowledge import import_jobs, participedia
from hjulet.knowledge.import_mappings import value_key
from hjulet.knowledge.models import ImportBatch, ImportValueMapping, Initiative, Partnership

from .factories import make_method

REAL_CASES = 2_258  # Participedia's case export when issue 17 was written
#: Data rows (counted from 0) whose country is not one we know, and one with none.
UNKNOWN_COUNTRY = {17: "Atlantis", 1_000: "Ruritania", 2_251: "Gondwana"}
NO_COUNTRY = 1_505  # a copy of CaliforniaSpeaks
BAD_ROWS = {*UNKNOWN_COUNTRY, NO_COUNTRY}
NOT_ACCEPTED = "Crowdfunding"  # a proposed method the coordinator leaves out
Phase = ImportBatch.Phase


def sample() -> tuple[list[str], list[dict[str, str]]]:
    with shared_file("participedia-cases-sample.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def scaled_export() -> tuple[bytes, list[dict[str, str]]]:
    """The sample's rows repeated to ``REAL_CASES``, and the rows as written."""
    header, cases = sample()
    rows = []
    for n in range(REAL_CASES):
        row = dict(cases[n % len(cases)])
        row["id"] = str(10_000 + n)
        row["title"] = f"{row['title']} (kopia {n // len(cases) + 1})"
        if n in UNKNOWN_COUNTRY:
            row["country"] = UNKNOWN_COUNTRY[n]
        if n == NO_COUNTRY:
            row["country"] = ""
        if n % 7 == 3:  # says neither that it goes on nor when it ended
            row["ongoing"], row["end_date"] = "", ""
        if n % 5 == 1 and row["description"]:  # the text only repeats the summary
            row["body"] = f"  {row['description']}\n"
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[row[name] for name in header] for row in rows])
    return buffer.getvalue().encode("utf-8"), rows


def expected_stage(row: dict[str, str]) -> str:
    if row["ongoing"] == "1":
        return "etablerad"
    return "avslutad" if row["end_date"] else "okant"


def mapped_terms(row: dict[str, str], table: dict[str, str | None], *prefixes: str) -> set[str]:
    """The codes the value-mapping table gives the values of the row's numbered columns."""
    values = [
        piece
        for name, cell in row.items()
        if name.startswith(prefixes)
        for piece in cell.split(",")
        if piece.strip()
    ]
    return {table[value_key(v)] for v in values if table.get(value_key(v))}


def errors_listed(client, batch: ImportBatch) -> list[list[str]]:
    response = client.get(reverse("knowledge:import-errors", args=[batch.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def run_worker() -> float:
    """``manage.py db_worker`` runs what is queued, here, against the same database."""
    began = time.monotonic()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return time.monotonic() - began


@pytest.mark.django_db(transaction=True)
def test_an_export_of_the_real_size_is_checked_and_imported_by_the_worker(
    reference_data, coordinator, organisation, as_user, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_PROGRESS_DIR = str(tmp_path / "progress")
    for name in ("IMPORT_BACKGROUND_ROWS", "IMPORT_CHUNK_ROWS", "IMPORT_MAX_ROWS"):
        if hasattr(settings, name):
            delattr(settings, name)  # the real limits: over 1,000 rows goes to the worker
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    deliberation = make_method(coordinator, title="Deliberation")
    focus = make_method(coordinator, title="Focus groups")  # close to "Focus Group"
    content, rows = scaled_export()
    good = REAL_CASES - len(BAD_ROWS)
    bad_lines = sorted(n + 2 for n in BAD_ROWS)  # the header is row 1

    # The check, by the worker.
    with translation.override("en"):
        batch = import_jobs.start_import(
            actor=coordinator,
            upload=SimpleUploadedFile("participedia-cases.csv", content),
            lead=organisation,
        )
    assert batch.in_background and batch.phase == Phase.QUEUED_CHECK
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    check_seconds = run_worker()
    batch.refresh_from_db()
    assert batch.format == ImportBatch.Format.PARTICIPEDIA
    assert (batch.phase, batch.status) == ("", ImportBatch.Status.PREVIEWED)
    assert (batch.row_count, batch.error_count) == (REAL_CASES, len(BAD_ROWS))
    errors = {r["row"]: [e["text"] for e in r["errors"]] for r in batch.report if r["errors"]}
    assert sorted(errors) == bad_lines
    for n, country in UNKNOWN_COUNTRY.items():
        assert f"“{country}” is not a country we know" in errors[n + 2][0]
    assert "The case has no country" in errors[NO_COUNTRY + 2][0]
    assert not import_jobs.can_commit(batch) and import_jobs.can_commit_good_rows(batch)

    # The preview: what the methods become, and the rows with errors to download.
    client = as_user(coordinator)
    client.cookies["hjulet_language"] = "en"
    began = time.monotonic()
    preview = client.get(reverse("knowledge:import-preview", args=[batch.pk]))
    preview_seconds = time.monotonic() - began
    assert preview.status_code == 200
    assert f"Import the {good} correct rows" in preview.content.decode()
    mappings = participedia.batch_mappings(batch)
    matched = {row.title: row.method for row in mappings.methods if row.method}
    assert matched == {"Deliberation": deliberation, "Focus Group": focus}
    proposed = {row.title for row in mappings.proposed}
    assert {"Survey", "Online Deliberation", NOT_ACCEPTED} <= proposed
    accepted = participedia.method_proposals_accept(
        actor=coordinator, batch=batch, titles=sorted(proposed - {NOT_ACCEPTED})
    )
    method_of = {"Deliberation": deliberation, "Focus Group": focus}
    method_of |= {method.title: method for method in accepted}
    listed = errors_listed(client, batch)
    assert sorted(int(row[0]) for row in listed) == bad_lines

    # The import of the rows without errors, by the worker, in one transaction.
    assert import_jobs.commit_import(actor=coordinator, batch=batch, skip_bad_rows=True) is None
    assert ImportBatch.objects.get(pk=batch.pk).phase == Phase.QUEUED_IMPORT
    import_seconds = run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.phase) == (ImportBatch.Status.IMPORTED, "")
    assert (batch.imported_count, batch.skipped_count) == (good, len(BAD_ROWS))
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    told = [m.to for m in mail.outbox if "participedia-cases.csv" in m.subject]
    assert told == [[coordinator.email]] * 2  # checked, then imported

    # Every good row is an initiative as its case says.
    table: dict[str, dict[str, str | None]] = {"challenge": {}, "target-group": {}}
    for m in ImportValueMapping.objects.filter(source="participedia").select_related(
        "vocabulary", "term"
    ):
        table[m.vocabulary.slug][m.key] = m.term.code if m.term else None
    saved = {
        i.title: i
        for i in Initiative.objects.select_related("stage").prefetch_related(
            "methods", "challenges", "target_groups"
        )
    }
    assert set(saved) == {row["title"] for n, row in enumerate(rows) if n not in BAD_ROWS}
    country_of = {"Canada": "CA", "United States": "US", "China": "CN", "Germany": "DE"}
    stages: Counter = Counter()
    tagged: Counter = Counter()
    repeated = 0
    for n, row in enumerate(rows):
        if n in BAD_ROWS:
            continue
        initiative = saved[row["title"]]
        assert initiative.municipality_id is None and initiative.is_international
        assert initiative.country == country_of[row["country"]]
        assert initiative.place and initiative.place == initiative.place.strip(" ,")
        if row["city"]:
            assert row["city"].startswith(initiative.place)
        assert initiative.stage.code == expected_stage(row), row["title"]
        stages[initiative.stage.code] += 1
        used = participedia.method_references(row[participedia.CASE_FIELDS["methods"]])
        assert {m.pk for m in initiative.methods.all()} == {
            method_of[r.title].pk for r in used if r.title != NOT_ACCEPTED
        }, row["title"]
        challenges = mapped_terms(row, table["challenge"], "general_issues_", "specific_topics_")
        assert {t.code for t in initiative.challenges.all()} == challenges, row["title"]
        groups = mapped_terms(row, table["target-group"], "targeted_participants_")
        assert {t.code for t in initiative.target_groups.all()} == groups, row["title"]
        tagged["challenges"] += bool(challenges)
        tagged["target groups"] += bool(groups)
        if n % 5 == 1 and row["description"]:
            assert initiative.summary and initiative.description == "", row["title"]
            repeated += 1
    assert all(stages[code] > 100 for code in ("okant", "etablerad", "avslutad")), stages
    # Three of the ten sample cases have a value the seeded table maps to a challenge, one a
    # target group (the rest are skipped, e.g. "economics", or not in the table yet).
    assert tagged["challenges"] > good // 4 and tagged["target groups"] > good // 20, tagged
    assert repeated > 100
    assert {t.code for t in saved["CaliforniaSpeaks (kopia 1)"].challenges.all()} == {"ohalsa"}

    # The bad rows left nothing behind, and each good one is whole.
    assert Partnership.objects.filter(organisation=organisation).count() == good
    assert AuditEntry.objects.filter(action="initiative.create").count() == good
    found = search.search("CaliforniaSpeaks", kinds=["initiative"])
    copies = [n for n, row in enumerate(rows) if row["title"].startswith("CaliforniaSpeaks")]
    assert NO_COUNTRY in copies and len(found) == len(copies) - 1
    # The skipped rows are still listed for the person to correct, though the file is gone.
    assert bytes(ImportBatch.objects.get(pk=batch.pk).content) == b""
    assert errors_listed(client, batch) == listed
    print(
        f"\n{REAL_CASES} rows, {len(content) / 1e6:.1f} MB: check {check_seconds:.1f} s, "
        f"preview page {preview_seconds:.1f} s, import {import_seconds:.1f} s"
    )
