"""Large imports read a chunk at a time, the warning count of a background check, and the
stale-job rule: a worker that was killed leaves no import "Importeras" for ever."""

import datetime
import io
import os
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from hjulet.core.models import AuditEntry
from hjulet.knowledge import import_jobs
from hjulet.knowledge.models import ImportBatch, Initiative

from .test_import import bearer, csv_file, english, nothing_saved
from .test_import_jobs import rows, start

pytestmark = pytest.mark.django_db
Phase = ImportBatch.Phase
INTERRUPTED = "The import was interrupted"


@pytest.fixture(autouse=True)
def small_thresholds(settings, tmp_path, reference_data, member):
    member.language = "en"
    member.save(update_fields=["language"])
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.IMPORT_CHUNK_ROWS = 5
    settings.IMPORT_STALE_MINUTES = 15
    settings.IMPORT_PROGRESS_DIR = str(tmp_path / "progress")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def ago(minutes: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def running(batch: ImportBatch, phase: str, *, started: float, beat: float | None = None):
    """Put the batch in a worker's phase, started ``started`` minutes ago, with the last
    heartbeat ``beat`` minutes ago."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        phase=phase,
        phase_started_at=ago(started),
        updated_at=None if beat is None else ago(beat),
    )
    batch.refresh_from_db()
    return batch


# --- reading a chunk at a time ----------------------------------------------------------


def test_a_large_xlsx_file_is_read_in_chunks_and_imported(member, organisation, after_commit):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "summary", "kommun", "stage"])
    for n in range(13):
        sheet.append([f"Läxhjälp {n}", "Hjälp med läxor.", "Umeå", "ide"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with after_commit():
        batch = start(member, organisation, buffer.getvalue(), name="stor.xlsx")
    batch.refresh_from_db()
    assert batch.in_background  # guessed from its size (some thousand bytes)
    assert (batch.row_count, batch.error_count, batch.phase) == (13, 0, "")
    with after_commit():
        import_jobs.commit_import(actor=member, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Initiative.objects.count() == 13


def test_a_broken_record_after_the_first_chunks_fails_the_check_with_its_line(
    member, organisation, after_commit
):
    content = rows(12) + b'"Inte st\xc3\xa4ngd;Samtal.;Ume\xc3\xa5;ide;integration\n'
    with after_commit():
        batch = start(member, organisation, content)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.phase == ""
    assert "row 14" in batch.failure and "quotation mark" in batch.failure
    assert not batch.content


def test_too_many_rows_is_found_while_reading(member, organisation, after_commit, settings):
    settings.IMPORT_MAX_ROWS = 10
    with after_commit():
        batch = start(member, organisation, rows(12))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "more than 10 rows" in batch.failure


def test_the_background_check_keeps_the_warning_count_and_the_page_shows_it(
    as_user, member, organisation, after_commit
):
    long = "Det här är en mening om läxhjälp. " * 20  # over 400 characters: cut, with a warning
    body = [["title", "summary", "kommun", "stage"]]
    body += [[f"Läxhjälp {n}", long if n in (2, 9) else "Kort.", "Umeå", "ide"] for n in range(12)]
    with after_commit():
        batch = start(member, organisation, csv_file(body))
    batch.refresh_from_db()
    assert batch.in_background
    assert (batch.row_count, batch.error_count, batch.warning_count) == (12, 0, 2)
    listed = [row["row"] for row in batch.report if row["warnings"]]
    assert listed == [4, 11]
    page = english(as_user(member)).get(reverse("knowledge:import-preview", args=[batch.pk]))
    assert "2 rows have warnings" in page.content.decode()
    api = english(as_user(member)).get(f"/api/v1/imports/{batch.pk}", **bearer(member))
    assert api.json()["warning_count"] == 2


# --- the stale-job rule -----------------------------------------------------------------


def test_a_check_without_progress_for_too_long_fails_when_the_page_reads_it(
    as_user, member, organisation, after_commit
):
    batch = running(start(member, organisation, rows(20)), Phase.CHECKING, started=40, beat=16)
    with after_commit():
        page = english(as_user(member)).get(reverse("knowledge:import-preview", args=[batch.pk]))
    assert page.status_code == 200
    assert INTERRUPTED in page.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.phase) == (ImportBatch.Status.FAILED, "")
    assert "15 minutes" in batch.failure and "Nothing was saved" in batch.failure
    assert not batch.content
    entry = AuditEntry.objects.get(action="import.fail")
    assert entry.actor is None  # the rule found it, not the worker
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert batch.failure in mail.outbox[0].body
    # Read again: nothing more happens.
    english(as_user(member)).get(reverse("knowledge:import-progress", args=[batch.pk]))
    assert AuditEntry.objects.filter(action="import.fail").count() == 1 and len(mail.outbox) == 1


def test_a_recent_heartbeat_keeps_a_long_check_alive(as_user, member, organisation):
    batch = running(start(member, organisation, rows(20)), Phase.CHECKING, started=40, beat=2)
    assert not import_jobs.is_stale(batch)
    progress = english(as_user(member)).get(reverse("knowledge:import-progress", args=[batch.pk]))
    assert "HX-Refresh" not in progress
    batch.refresh_from_db()
    assert batch.phase == Phase.CHECKING and batch.status == ImportBatch.Status.PREVIEWED


def test_the_reporter_writes_the_heartbeat(member, organisation):
    batch = running(start(member, organisation, rows(20)), Phase.CHECKING, started=40)
    assert import_jobs.is_stale(batch)
    import_jobs.BatchReporter(batch)(10)
    batch.refresh_from_db()
    assert batch.rows_done == 10 and not import_jobs.is_stale(batch)


def test_an_import_is_alive_while_its_progress_file_is_fresh(member, organisation):
    batch = running(start(member, organisation, rows(20)), Phase.IMPORTING, started=60)
    assert import_jobs.is_stale(batch)  # no progress file at all
    import_jobs.FileReporter(batch)(10)
    assert not import_jobs.is_stale(batch)
    old = (timezone.now() - datetime.timedelta(minutes=20)).timestamp()
    os.utime(import_jobs.progress_file(batch.pk), (old, old))
    assert import_jobs.is_stale(batch)
    import_jobs.fail_if_stale(batch)
    assert batch.status == ImportBatch.Status.FAILED
    assert not import_jobs.progress_file(batch.pk).exists()
    assert nothing_saved()


def test_a_batch_waiting_for_a_worker_is_not_stale(member, organisation):
    batch = start(member, organisation, rows(20))  # queued: no worker has it yet
    ImportBatch.objects.filter(pk=batch.pk).update(phase_started_at=ago(600))
    batch.refresh_from_db()
    assert not import_jobs.is_stale(batch)
    assert import_jobs.fail_if_stale(batch).phase == Phase.QUEUED_CHECK


def test_the_api_reports_a_stale_import_as_failed(client, member, organisation):
    batch = running(start(member, organisation, rows(20)), Phase.IMPORTING, started=30)
    body = client.get(f"/api/v1/imports/{batch.pk}", **bearer(member)).json()
    assert body["status"] == "failed" and INTERRUPTED in body["failure"]
    assert body["progress"]["phase"] == ""


def test_my_imports_shows_a_stale_import_as_failed(as_user, member, organisation):
    batch = running(start(member, organisation, rows(20)), Phase.CHECKING, started=30)
    page = english(as_user(member)).get(reverse("knowledge:import-list"))
    assert page.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_the_command_fails_only_the_stale_ones(member, organisation):
    stale = running(start(member, organisation, rows(20)), Phase.CHECKING, started=30)
    alive = running(start(member, organisation, rows(20)), Phase.CHECKING, started=30, beat=1)
    queued = start(member, organisation, rows(20))
    out = io.StringIO()
    call_command("fail_stale_imports", stdout=out)
    assert out.getvalue().startswith("1 avbrutna importer")
    statuses = dict(ImportBatch.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: "failed", alive.pk: "previewed", queued.pk: "previewed"}
    out = io.StringIO()
    call_command("fail_stale_imports", stdout=out)
    assert out.getvalue().startswith("0 avbrutna importer")


# --- choosing other columns of a large file ---------------------------------------------


def foreign(count: int) -> bytes:
    """A file with other column names: Project, About, City (no stage column)."""
    body = [["Project", "About", "City"]]
    body += [[f"Läxhjälp {n}", "Hjälp med läxor.", "Umeå"] for n in range(count)]
    return csv_file(body)


def test_choosing_the_columns_of_a_large_file_is_checked_by_the_worker(
    as_user, member, organisation, after_commit
):
    with after_commit():
        batch = start(member, organisation, foreign(12))
    batch.refresh_from_db()
    assert batch.in_background and batch.phase == "" and not import_jobs.can_commit(batch)
    client = english(as_user(member))
    url = reverse("knowledge:import-remap", args=[batch.pk])
    chosen = {"field-0": "title", "field-1": "summary", "field-2": "municipality"}
    with after_commit():
        response = client.post(url, {**chosen, "default-stage": "ide"})
        assert response.status_code == 302
        queued = ImportBatch.objects.get(pk=batch.pk)
        assert queued.phase == Phase.QUEUED_CHECK  # not checked inside the request
        assert queued.mapping["fields"] == ["title", "summary", "municipality"]
        assert "every 2s" in client.get(response["Location"]).content.decode()
        # While the worker has it, neither the columns nor the import can be chosen.
        again = client.post(url, {**chosen, "default-stage": "ide"}, follow=True)
        assert "still being checked" in again.content.decode()
        assert ImportBatch.objects.get(pk=batch.pk).phase == Phase.QUEUED_CHECK
    batch.refresh_from_db()
    assert (batch.phase, batch.row_count, batch.error_count) == ("", 12, 0)
    assert import_jobs.can_commit(batch)
    assert AuditEntry.objects.filter(action="import.remap").count() == 1
    assert AuditEntry.objects.filter(action="import.prepare").count() == 1  # the upload's
    with after_commit():
        import_jobs.commit_import(actor=member, batch=batch)
    assert Initiative.objects.filter(stage__code="ide").count() == 12


def test_choosing_columns_by_the_api_queues_a_large_file(
    client, member, organisation, after_commit
):
    with after_commit():
        batch = start(member, organisation, foreign(12))
    headers = bearer(member)
    with after_commit():
        response = client.post(
            f"/api/v1/imports/{batch.pk}/mapping",
            {"fields": ["title", "summary", "municipality"], "defaults": {"stage": "test"}},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 200, response.content
        assert response.json()["progress"]["phase"] == "queued"
    body = client.get(f"/api/v1/imports/{batch.pk}", **headers).json()
    assert (body["progress"]["phase"], body["error_count"], body["can_commit"]) == ("", 0, True)


def test_someone_else_cannot_choose_the_columns_of_a_large_file(
    as_user, member, coordinator, organisation, after_commit
):
    with after_commit():
        batch = start(member, organisation, foreign(12))
    url = reverse("knowledge:import-remap", args=[batch.pk])
    response = as_user(coordinator).post(url, {"field-0": "title", "default-stage": "ide"})
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.phase == "" and batch.mapping["fields"][0] == "title"


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_transaction_holds_its_row_is_left_alone(member, organisation):
    """On PostgreSQL a live import's transaction locks the batch row: however old its
    heartbeat looks, the rule skips it (a killed worker's lock goes with its connection)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite's running import holds the database)")
    batch = running(start(member, organisation, rows(20)), Phase.IMPORTING, started=60)
    holding, release = threading.Event(), threading.Event()

    def worker() -> None:
        try:
            with transaction.atomic():
                ImportBatch.objects.select_for_update().get(pk=batch.pk)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert holding.wait(30)
        assert import_jobs.is_stale(batch)
        import_jobs.fail_if_stale(batch)
        batch.refresh_from_db()
        assert (batch.status, batch.phase) == (ImportBatch.Status.PREVIEWED, Phase.IMPORTING)
    finally:
        release.set()
        thread.join()
    import_jobs.fail_if_stale(batch)  # the "worker" is gone: now it is failed
    assert batch.status == ImportBatch.Status.FAILED
