"""Large imports in the background: checked and imported by tasks, with progress, e-mail,
"Mina importer" and the API; a failure half-way leaves nothing."""

import io
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from hjulet.core.models import AuditEntry
from hjulet.knowledge import import_jobs, importing
from hjulet.knowledge.models import ImportBatch, Initiative, Partnership

from .test_import import bearer, csv_file, english, nothing_saved

pytestmark = pytest.mark.django_db
Phase = ImportBatch.Phase


def rows(count: int, *, repeat_title_of: dict[int, int] | None = None) -> bytes:
    """A file of ``count`` good initiatives; ``repeat_title_of={12: 1}`` gives row 12 the
    title of row 1 (the data rows counted from 0)."""
    titles = [f"Språkcafé nummer {n}" for n in range(count)]
    for row, original in (repeat_title_of or {}).items():
        titles[row] = titles[original]
    body = [["title", "summary", "kommun", "stage", "utmaningar"]]
    body += [[title, "Samtal på svenska.", "Umeå", "ide", "integration"] for title in titles]
    return csv_file(body)


@pytest.fixture(autouse=True)
def small_thresholds(settings, tmp_path, reference_data, member):
    """Small files go to the worker. (``reference_data`` first: the transactional test starts
    from an empty database, and the member's organisation needs its sector.)"""
    member.language = "en"  # what the worker writes and mails is in the uploader's language
    member.save(update_fields=["language"])
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.IMPORT_CHUNK_ROWS = 5
    settings.IMPORT_PROGRESS_DIR = str(tmp_path / "progress")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def one_title_only():
    """A real constraint the import does not check for: no two initiatives with one title."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNIQUE INDEX test_jobs_one_title ON knowledge_initiative (title)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX test_jobs_one_title")


def start(member, organisation, content: bytes, name: str = "stor.csv") -> ImportBatch:
    with translation.override("en"):
        return import_jobs.start_import(
            actor=member, upload=SimpleUploadedFile(name, content), lead=organisation
        )


def test_the_stored_file_is_read_back_exactly_a_slice_at_a_time(member, organisation, monkeypatch):
    """Every byte value, a length that is no multiple of the slice, and an empty file."""
    monkeypatch.setattr(importing.reading, "STORED_SLICE_BYTES", 7)
    content = bytes(range(256)) * 3 + b"\x00\xff end"
    batch = ImportBatch.objects.create(
        user=member, lead=organisation, filename="a.csv", format="hjulet", content=content
    )
    assert importing.stored_content(batch.pk) == content
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"")
    assert importing.stored_content(batch.pk) == b""


def test_a_file_read_back_in_slices_is_checked_and_imported_whole(
    member, organisation, monkeypatch, after_commit
):
    monkeypatch.setattr(importing.reading, "STORED_SLICE_BYTES", 64)
    with after_commit():
        batch = start(member, organisation, rows(12))
    batch.refresh_from_db()
    assert (batch.status, batch.row_count, batch.error_count) == ("previewed", 12, 0)
    with after_commit():
        import_jobs.commit_import(actor=member, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count) == ("imported", 12)
    assert Initiative.objects.filter(title__startswith="Språkcafé nummer").count() == 12


def test_a_small_file_is_checked_at_once(member, organisation):
    batch = start(member, organisation, rows(5))
    assert not batch.in_background
    assert batch.phase == ""
    assert batch.row_count == 5
    assert import_jobs.can_commit(batch)
    assert import_jobs.commit_import(actor=member, batch=batch) == 5


def test_a_large_file_is_checked_and_imported_by_tasks_with_mail(
    member, organisation, after_commit
):
    with after_commit():
        batch = start(member, organisation, rows(12))
        assert batch.in_background
        assert batch.phase == Phase.QUEUED_CHECK
        assert not import_jobs.can_commit(batch)
        assert not ImportBatch.objects.get().report  # not checked before the commit
    batch.refresh_from_db()
    assert (batch.phase, batch.status, batch.row_count, batch.error_count) == (
        "",
        ImportBatch.Status.PREVIEWED,
        12,
        0,
    )
    assert batch.rows_done == 12 and batch.finished_at is not None
    assert len(batch.report) == 12
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "stor.csv" in mail.outbox[0].subject
    assert f"/initiativ/import/{batch.pk}/" in mail.outbox[0].body
    assert import_jobs.can_commit(batch)

    with after_commit():
        assert import_jobs.commit_import(actor=member, batch=batch) is None
        assert batch.phase == Phase.QUEUED_IMPORT
        assert not Initiative.objects.exists()
    batch.refresh_from_db()
    assert (batch.status, batch.phase, batch.imported_count) == ("imported", "", 12)
    assert Initiative.objects.count() == 12
    assert Partnership.objects.filter(organisation=organisation).count() == 12
    assert len(mail.outbox) == 2 and "stor.csv" in mail.outbox[1].subject
    assert "12" in mail.outbox[1].body
    assert not import_jobs.progress_file(batch.pk).exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="import.").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        ["import.queue", "import.prepare", "import.queue_commit", "import.commit"]
    )


def test_a_commit_while_the_worker_has_the_file_is_refused(member, organisation):
    batch = start(member, organisation, rows(8))  # no commit: the check stays queued
    with pytest.raises(importing.ValidationError) as refused:
        import_jobs.commit_import(actor=member, batch=batch)
    assert refused.value.code == "checking"


def test_a_file_the_worker_cannot_read_fails_with_the_reason(member, organisation, after_commit):
    content = b"not a spreadsheet at all " * 40  # named .xlsx, but no zip inside
    with after_commit():
        batch = start(member, organisation, content, name="stor.xlsx")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.failure
    assert batch.content == b""
    assert "failed" in mail.outbox[0].subject


def test_a_large_file_without_hjuljets_columns_waits_for_the_person_to_choose_them(
    member, organisation, after_commit
):
    content = b"title;summary\n" + b"a;b\n" * 10  # no stage, no municipality
    with after_commit():
        batch = start(member, organisation, content)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not batch.phase
    assert batch.mapping["fields"][:2] == ["title", "summary"]
    assert batch.error_count == 0 and batch.report == []
    assert not import_jobs.can_commit(batch)


def test_progress_is_told_after_each_chunk(member, organisation):
    batch = start(member, organisation, rows(3))
    seen: list[int] = []
    batch = importing.import_prepare(
        actor=member,
        upload=SimpleUploadedFile("a.csv", rows(1200)),
        lead=organisation,
        progress=seen.append,
    )
    assert seen == [500, 1000]
    seen.clear()
    importing.import_commit(actor=member, batch=batch, progress=seen.append)
    assert seen == [*range(5, 1200, 5), 1200]


def test_a_file_that_fails_half_way_leaves_nothing(
    member, organisation, one_title_only, after_commit
):
    # Row 13 has row 2's title: chunks 1 and 2 (rows 1-10) are saved, then the database
    # refuses chunk 3, and the transaction takes the first two back.
    with after_commit():
        batch = start(member, organisation, rows(15, repeat_title_of={12: 1}))
    batch.refresh_from_db()
    assert batch.error_count == 0
    with after_commit():
        import_jobs.commit_import(actor=member, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.phase == ""
    assert "the database refused to save the rows" in batch.failure
    assert nothing_saved()
    assert not Partnership.objects.exists()
    assert not Initiative.challenges.through.objects.exists()
    assert not AuditEntry.objects.filter(action="import.commit").exists()
    assert AuditEntry.objects.filter(action="import.fail").count() == 1
    assert "failed" in mail.outbox[-1].subject
    assert batch.failure in mail.outbox[-1].body
    assert not import_jobs.progress_file(batch.pk).exists()


def test_the_same_half_way_failure_through_the_service_saw_two_chunks(
    member, organisation, one_title_only
):
    batch = importing.import_prepare(
        actor=member,
        upload=SimpleUploadedFile("a.csv", rows(15, repeat_title_of={12: 1})),
        lead=organisation,
    )
    seen: list[int] = []
    with pytest.raises(importing.ValidationError):
        importing.import_commit(actor=member, batch=batch, progress=seen.append)
    assert seen == [5, 10]  # two chunks were in the database before the third failed
    assert nothing_saved()


def test_progress_of_reads_the_batch_while_checking_and_the_file_while_importing(
    member, organisation
):
    batch = start(member, organisation, rows(100))
    batch.phase = Phase.CHECKING
    batch.phase_started_at = timezone.now() - timezone.timedelta(seconds=10)
    batch.save()
    import_jobs.BatchReporter(batch)(25)
    batch.refresh_from_db()
    progress = import_jobs.progress_of(batch)
    assert (progress.rows_done, progress.rows_total, progress.percent) == (25, 100, 25)
    assert 29 <= progress.seconds_left <= 31  # 10 s for 25 rows: 30 s for the other 75

    batch.phase = Phase.IMPORTING
    batch.save()
    assert import_jobs.progress_of(batch).rows_done == 0  # nothing told yet
    import_jobs.FileReporter(batch)(50)
    assert json.loads(import_jobs.progress_file(batch.pk).read_text()) == {"rows_done": 50}
    progress = import_jobs.progress_of(batch)
    assert (progress.rows_done, progress.percent) == (50, 50)


# --- pages ------------------------------------------------------------------------------


def test_the_page_polls_the_progress_and_reloads_when_done(as_user, member, organisation):
    batch = start(member, organisation, rows(20))
    ImportBatch.objects.filter(pk=batch.pk).update(phase=Phase.CHECKING, rows_done=7)
    client = english(as_user(member))
    page = client.get(reverse("knowledge:import-preview", args=[batch.pk])).content.decode()
    progress_url = reverse("knowledge:import-progress", args=[batch.pk])
    assert f'hx-get="{progress_url}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert 'aria-live="polite"' in page
    assert "<progress" in page and "7 of 20 rows checked" in page
    assert "import-commit-form" not in page  # nothing to import while it is checked
    assert "<script" not in page.split("<main", 1)[-1]  # no inline script (strict CSP)

    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert "7 of 20 rows checked" in partial.content.decode()
    assert "HX-Refresh" not in partial

    ImportBatch.objects.filter(pk=batch.pk).update(phase="")
    done = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_following_the_progress_never_loads_the_stored_file(as_user, member, organisation):
    """The page polls every two seconds; a 40 MB file fetched each time would fill the web
    processes' memory."""
    batch = start(member, organisation, rows(20))
    ImportBatch.objects.filter(pk=batch.pk).update(phase=Phase.CHECKING, rows_done=7)
    client = english(as_user(member))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("knowledge:import-preview", args=[batch.pk]))
        client.get(reverse("knowledge:import-progress", args=[batch.pk]), HTTP_HX_REQUEST="true")
    batch_reads = [q["sql"] for q in queries if 'FROM "knowledge_importbatch"' in q["sql"]]
    assert batch_reads
    assert not [sql for sql in batch_reads if '"knowledge_importbatch"."content"' in sql]


def test_someone_else_cannot_follow_your_import(as_user, member, coordinator, organisation):
    batch = start(member, organisation, rows(20))
    client = as_user(coordinator)
    assert client.get(reverse("knowledge:import-progress", args=[batch.pk])).status_code == 403
    assert (
        client.get(f"/api/v1/imports/{batch.pk}/progress", **bearer(coordinator)).status_code == 403
    )


def test_my_imports_lists_mine_only_and_the_profile_links_to_it(
    as_user, member, coordinator, organisation
):
    mine = start(member, organisation, rows(20), name="mina-initiativ.csv")
    start(coordinator, organisation, rows(2), name="koordinatorns.csv")
    client = english(as_user(member))
    page = client.get(reverse("knowledge:import-list")).content.decode()
    assert "mina-initiativ.csv" in page and "koordinatorns.csv" not in page
    assert reverse("knowledge:import-preview", args=[mine.pk]) in page
    assert "Waiting to be checked" in page
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("knowledge:import-list") in profile


def test_my_imports_needs_a_login(client):
    response = client.get(reverse("knowledge:import-list"))
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_the_commit_button_queues_a_large_import(as_user, member, organisation, after_commit):
    with after_commit():
        batch = start(member, organisation, rows(12))
    client = english(as_user(member))
    with after_commit():
        response = client.post(reverse("knowledge:import-commit", args=[batch.pk]))
        assert response["Location"] == reverse("knowledge:import-preview", args=[batch.pk])
    assert Initiative.objects.count() == 12


# --- API --------------------------------------------------------------------------------


def test_api_upload_progress_commit_and_list(client, member, organisation, after_commit):
    headers = bearer(member)
    with after_commit():
        created = client.post(
            "/api/v1/imports",
            {"file": SimpleUploadedFile("api.csv", rows(12)), "lead_organisation": organisation.pk},
            **headers,
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["in_background"] is True
        assert body["progress"]["phase"] == "queued"
        assert body["can_commit"] is False
    job = body["id"]
    progress = client.get(f"/api/v1/imports/{job}/progress", **headers).json()
    assert progress["phase"] == "" and progress["rows_done"] == progress["rows_total"] == 12
    assert client.get(f"/api/v1/imports/{job}", **headers).json()["can_commit"] is True
    with after_commit():
        queued = client.post(f"/api/v1/imports/{job}/commit", **headers)
        assert queued.status_code == 202, queued.content
        assert queued.json() == {"id": job, "status": "previewed", "phase": "waiting"}
    listed = client.get("/api/v1/imports", **headers).json()
    assert [(i["id"], i["status"], i["imported_count"]) for i in listed] == [(job, "imported", 12)]
    again = client.post(f"/api/v1/imports/{job}/commit", **headers)
    assert again.status_code == 400
    assert "already been imported" in again.json()["detail"]


# --- the real worker --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_db_worker_checks_and_imports_a_large_file(reference_data, member, organisation, settings):
    """The database backend stores the tasks; ``manage.py db_worker --batch`` (in this
    process, against the same database) runs them, and the mail they queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = start(member, organisation, rows(12))
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert ImportBatch.objects.get().phase == Phase.QUEUED_CHECK
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    batch.refresh_from_db()
    assert (batch.phase, batch.row_count, batch.error_count) == ("", 12, 0)
    import_jobs.commit_import(actor=member, batch=batch)
    assert ImportBatch.objects.get().phase == Phase.QUEUED_IMPORT
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Initiative.objects.count() == 12
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert len(mail.outbox) == 2  # checked, imported: sent by the worker too


# --- large exports through the same mechanism -------------------------------------------


def test_a_long_xlsx_export_is_built_by_the_worker_and_downloaded(
    as_user, member, coordinator, organisation, after_commit, monkeypatch
):
    from openpyxl import load_workbook

    from hjulet.core.models import ExportFile
    from hjulet.knowledge import exports

    from .factories import make_initiative

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    for title in ("Läxhjälp", "Språkcafé", "Fritidsbank"):
        make_initiative(member, title=title)
    client = english(as_user(member))
    page = client.get(reverse("knowledge:initiative-export", args=["xlsx"]), {"q": ""})
    assert page.status_code == 200
    build_url = reverse("knowledge:initiative-export-build", args=["xlsx"])
    assert build_url in page.content.decode()
    with after_commit():
        response = client.post(build_url, {"query": ""})
        export = ExportFile.objects.get()
        assert response["Location"] == reverse("core:export-detail", args=[export.pk])
        assert export.status == ExportFile.Status.QUEUED
        waiting = client.get(response["Location"]).content.decode()
        assert 'hx-trigger="every 2s"' in waiting and 'aria-live="polite"' in waiting
    export.refresh_from_db()
    assert export.status == ExportFile.Status.READY
    assert export.rows_total == 3 and export.filename.endswith(".xlsx")
    progress = client.get(reverse("core:export-progress", args=[export.pk]))
    assert progress["HX-Refresh"] == "true"
    download = client.get(reverse("core:export-download", args=[export.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    titles = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert titles == ["Fritidsbank", "Läxhjälp", "Språkcafé"]
    other = as_user(coordinator).get(reverse("core:export-download", args=[export.pk]))
    assert other.status_code == 403


def test_only_a_signed_in_person_can_have_an_export_built(client):
    response = client.post(reverse("knowledge:initiative-export-build", args=["xlsx"]))
    assert response.status_code == 302 and "logga-in" in response["Location"]
