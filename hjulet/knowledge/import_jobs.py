"""Large imports in the background: files of more than ``IMPORT_BACKGROUND_ROWS`` rows are
checked and imported by tasks (django-tasks; ``manage.py db_worker`` runs them) instead of
in the request, with their progress kept where the page and the API can read it.

- ``start_import`` takes the upload. A small file is checked at once by
  ``importing.import_prepare``; a large one is stored in an ``ImportBatch`` in phase
  "queued" and ``check_import`` checks it in the worker.
- ``commit_import`` imports a checked file: a small one at once with
  ``importing.import_commit``, a large one by ``run_import`` in the worker (phase
  "waiting", then "importing"); still one transaction, all rows or none.
- Progress: while checking, the rows checked are written on the batch now and then (no
  transaction is open). While importing, the batch row is locked by the import's own
  transaction (and on SQLite nobody else may write at all), so the rows saved go to a small
  file per batch in ``IMPORT_PROGRESS_DIR`` that ``progress_of`` reads.
- When a task ends, the uploader gets an e-mail (checked, imported or failed).
"""

import datetime
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from hjulet.accounts.models import Organisation
from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.permissions import require, require_signed_in
from hjulet.lib.spreadsheets import StreamedTable, extension_of

from . import import_mapping, importing
from .models import ColumnMapping, ImportBatch

logger = logging.getLogger(__name__)
Phase = ImportBatch.Phase

DEFAULT_BACKGROUND_ROWS = 1_000
#: An XLSX file is not read in the request to count its rows: a row of a workbook takes
#: some 40-200 compressed bytes, so its size over this guesses high. A guess either way
#: costs little: a small file checked in the worker, or a file of some thousand rows
#: checked in the request (well under a second).
XLSX_BYTES_PER_ROW = 60
#: The rows checked are written on the batch at most this often (seconds).
WRITE_EVERY_SECONDS = 1.0


def background_rows() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS)


def progress_dir() -> Path:
    configured = getattr(settings, "IMPORT_PROGRESS_DIR", None)
    return Path(configured or Path(tempfile.gettempdir()) / "hjulet-import-progress")


def rough_row_count(content: bytes, filename: str) -> int:
    """About how many rows the file has, without reading it: CSV lines, or an XLSX file's
    size over ``XLSX_BYTES_PER_ROW``."""
    if extension_of(filename) == "xlsx":
        return len(content) // XLSX_BYTES_PER_ROW
    return max(content.count(b"\n") - 1, 0)


# --- starting ---------------------------------------------------------------------------


def start_import(
    *, actor: Any, upload: Any, lead: Organisation, saved_mapping: ColumnMapping | None = None
) -> ImportBatch:
    """Check an upload: a small file at once (``importing.import_prepare``), a large one by
    ``check_import`` in the worker. Either way the batch is returned; ``batch.phase`` is
    set while the worker has it. ``saved_mapping`` reads the columns as ``import_prepare``
    does."""
    require_signed_in(actor)
    importing.require_lead(actor, lead)
    if saved_mapping is not None:
        import_mapping.require_usable(actor, saved_mapping, lead)
    filename = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
    content = importing.read_upload(upload)
    if (
        extension_of(filename) not in {"csv", "xlsx"}
        or rough_row_count(content, filename) <= background_rows()
    ):
        return importing.import_prepare(
            actor=actor, upload=upload, lead=lead, saved_mapping=saved_mapping
        )
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            user=actor,
            lead=lead,
            filename=filename,
            file_type=extension_of(filename),
            format=ImportBatch.Format.HJULET,  # known once the header is read
            content=content,
            row_count=rough_row_count(content, filename),
            in_background=True,
            phase=Phase.QUEUED_CHECK,
            phase_started_at=timezone.now(),
        )
        audit.record(
            actor=actor,
            action="import.queue",
            target=batch,
            changes={"filename": [None, filename], "lead": [None, lead.name]},
        )
        saved_id = saved_mapping.pk if saved_mapping is not None else None
        transaction.on_commit(lambda: check_import.enqueue(batch.pk, saved_id))
    return batch


def commit_import(*, actor: Any, batch: ImportBatch, skip_bad_rows: bool = False) -> int | None:
    """Import a checked file: a small one at once (the number saved is returned), a large
    one in the worker (None is returned; the batch's phase says "waiting").
    ``skip_bad_rows`` as in ``importing.import_commit``."""
    if not batch.in_background:
        return importing.import_commit(actor=actor, batch=batch, skip_bad_rows=skip_bad_rows)
    require_signed_in(actor)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.phase in {Phase.QUEUED_CHECK, Phase.CHECKING}:
            raise ValidationError(
                _("The file is still being checked. Wait until the check is done."),
                code="checking",
            )
        if locked.phase:
            raise ValidationError(_("The file is already being imported."), code="importing")
        importing.check_committable(actor, locked, skip_bad_rows=skip_bad_rows)
        _enter(locked, Phase.QUEUED_IMPORT)
        audit.record(
            actor=actor,
            action="import.queue_commit",
            target=locked,
            changes={"rows": [None, locked.row_count]},
        )
        transaction.on_commit(lambda: run_import.enqueue(locked.pk, skip_bad_rows))
    batch.refresh_from_db()
    return None


def remap_import(*, actor: Any, batch: ImportBatch, mapping: import_mapping.Mapping) -> ImportBatch:
    """Check the file again through the columns the person chose: a file of the worker's
    (over ``IMPORT_BACKGROUND_ROWS`` rows) by ``check_import`` in the worker, a small one
    at once (``import_mapping.import_remap``)."""
    if not batch.in_background:
        return import_mapping.import_remap(actor=actor, batch=batch, mapping=mapping)
    require_signed_in(actor)
    require(batch.user_id == actor.pk, _("Only the person who uploaded the file can change it."))
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.phase:
            raise ValidationError(
                {"mapping": _("The file is still being checked. Wait until the check is done.")},
                code="checking",
            )
        if locked.status != ImportBatch.Status.PREVIEWED or not locked.mapping:
            raise ValidationError(
                {"mapping": _("The columns of this import can no longer be changed.")},
                code="not_mappable",
            )
        mapping = import_mapping.checked(locked.mapping["header"], mapping.fields, mapping.defaults)
        before = locked.mapping
        locked.mapping = mapping.as_json()
        locked.save(update_fields=["mapping"])
        _enter(locked, Phase.QUEUED_CHECK)
        audit.record(
            actor=actor,
            action="import.remap",
            target=locked,
            changes={"mapping": [before, locked.mapping]},
        )
        transaction.on_commit(lambda: check_import.enqueue(locked.pk, None, True))
    return locked


def can_commit(batch: ImportBatch) -> bool:
    return not batch.phase and importing.can_commit(batch)


# --- the tasks --------------------------------------------------------------------------


@task()
def check_import(batch_id: int, saved_mapping_id: int | None = None, remapped: bool = False) -> str:
    """Check a queued file in the worker; store the check as ``import_prepare`` does
    (through the saved column mapping, if one was chosen on upload). ``remapped``: the
    person chose other columns (``remap_import``, whose audit entry says so)."""
    batch = _take(batch_id, Phase.QUEUED_CHECK, Phase.CHECKING)
    if batch is None:
        return "gone"
    saved = ColumnMapping.objects.filter(pk=saved_mapping_id).first() if saved_mapping_id else None
    with translation.override(_language(batch)):  # the messages stored are read by them
        return _check(batch, saved.mapping if saved is not None else None, remapped=remapped)


def _check(
    batch: ImportBatch, saved: dict[str, Any] | None = None, *, remapped: bool = False
) -> str:
    reporter = BatchReporter(batch)
    try:
        found = check_in_chunks(batch, reporter, saved=saved)
    except ValidationError as error:
        _fail(batch, " ".join(error.messages))
        return "failed"
    except Exception:  # the worker goes on; the person is told
        logger.exception("Check of import %s failed", batch.pk)
        _fail(batch, _("The file could not be checked because of an error on our side."))
        return "failed"
    with transaction.atomic():
        layout = found.layout
        batch.format = layout.format
        batch.mapping = layout.mapping.as_json() if layout.mapping else {}
        batch.row_count = found.row_count
        batch.error_count = found.error_count
        batch.warning_count = found.warning_count
        batch.report = importing.report_of(found.listed)
        _leave(batch, rows_done=found.row_count)
        batch.save()
        _mail(batch, "import_checked")
        if remapped:
            return "checked"
        audit.record(
            actor=batch.user,
            action="import.prepare",
            target=batch,
            changes={
                "filename": [None, batch.filename],
                "format": [None, batch.format],
                "lead": [None, batch.lead.name],
                "rows": [None, batch.row_count],
                "rows_with_errors": [None, batch.error_count],
            },
        )
    return "checked"


@dataclass
class Checked:
    """What ``check_in_chunks`` found: the layout, the counts for the whole file and the
    checks the stored report lists."""

    layout: importing.Layout
    row_count: int = 0
    error_count: int = 0
    warning_count: int = 0
    listed: list[importing.RowCheck] = field(default_factory=list)


def check_in_chunks(
    batch: ImportBatch,
    reporter: "BatchReporter",
    *,
    saved: dict[str, Any] | None = None,
) -> Checked:
    """``importing.check_rows`` a chunk of rows at a time as the file is read, keeping only
    the checks the report lists (the first rows and the first rows with errors or
    warnings, as ``importing.report_of``), so that memory holds the file's bytes and one
    chunk, not a row of cells and a check per row. The columns are read through the
    batch's mapping (chosen again by ``remap_import``), else as ``importing.layout_of``
    proposes (with ``saved``, a saved mapping)."""
    content = ImportBatch.objects.values_list("content", flat=True).get(pk=batch.pk)
    table = importing.open_table(bytes(content), batch.filename)
    del content
    with table:
        layout = importing.layout_of(table.header, batch.mapping or None, saved=saved)
        reporter.expect(table)
        found = Checked(layout)
        lookups = importing.Lookups()
        noted = 0  # rows with errors or warnings, of which the report lists the first
        for part in importing.table_chunks(table, importing.chunk_rows()):
            start = found.row_count
            if layout.missing:  # the person chooses the columns first; rows are checked then
                found.row_count += len(part.rows)
                reporter(found.row_count)
                continue
            checks = importing.check_rows(
                part, layout, lookups, progress=lambda done, start=start: reporter(start + done)
            )
            del part
            importing.check_model_rules(checks, layout)
            for position, check in enumerate(checks, start=start):
                found.error_count += bool(check.issues)
                found.warning_count += bool(check.warnings)
                if check.issues or check.warnings:
                    noted += 1
                    if noted <= importing.MAX_LISTED_ROWS_WITH_ERRORS:
                        found.listed.append(check)
                elif position < importing.PREVIEW_ROWS:
                    found.listed.append(check)
            found.row_count += len(checks)
            reporter(found.row_count)
    return found


@task()
def run_import(batch_id: int, skip_bad_rows: bool = False) -> str:
    """Import a checked file in the worker, all rows or none, telling the progress file."""
    batch = _take(batch_id, Phase.QUEUED_IMPORT, Phase.IMPORTING)
    if batch is None:
        return "gone"
    with translation.override(_language(batch)):
        return _import(batch, skip_bad_rows)


def _language(batch: ImportBatch) -> str:
    return getattr(batch.user, "language", "") or settings.LANGUAGE_CODE


def _import(batch: ImportBatch, skip_bad_rows: bool = False) -> str:
    reporter = FileReporter(batch)
    reporter(0)
    try:
        importing.import_commit(
            actor=batch.user, batch=batch, skip_bad_rows=skip_bad_rows, progress=reporter
        )
    except ValidationError as error:  # import_commit marked it failed and said why
        reason = " ".join(error.messages)
    except Exception:
        logger.exception("Import %s failed", batch.pk)
        reason = _("Nothing was imported because of an error on our side.")
    else:
        reason = ""
    finally:
        reporter.remove()
    batch.refresh_from_db()
    if reason:
        _fail(batch, reason)
        return "failed"
    with transaction.atomic():
        _leave(batch, rows_done=batch.imported_count)
        batch.save(update_fields=["phase", "rows_done", "finished_at"])
        _mail(batch, "import_done")
    return "imported"


def _take(batch_id: int, waiting: str, working: str) -> ImportBatch | None:
    """The batch if it is waiting for this task (not deleted, not taken by another)."""
    with transaction.atomic():
        taken = ImportBatch.objects.filter(pk=batch_id, phase=waiting).update(
            phase=working, rows_done=0, phase_started_at=timezone.now()
        )
    if not taken:
        return None
    return ImportBatch.objects.select_related("user", "lead").defer("content").get(pk=batch_id)


def _enter(batch: ImportBatch, phase: str) -> None:
    batch.phase = phase
    batch.rows_done = 0
    batch.phase_started_at = timezone.now()
    batch.finished_at = None
    batch.save(update_fields=["phase", "rows_done", "phase_started_at", "finished_at"])


def _leave(batch: ImportBatch, *, rows_done: int) -> None:
    batch.phase = ""
    batch.rows_done = rows_done
    batch.finished_at = timezone.now()


def _fail(batch: ImportBatch, reason: str, *, by_worker: bool = True) -> None:
    """Mark the batch failed (nothing of it is saved), say why, tell the uploader.
    ``by_worker=False``: the stale-job rule found it, so the audit entry has no actor."""
    with transaction.atomic():
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.FAILED:
            audit.record(
                actor=batch.user if by_worker else None,
                action="import.fail",
                target=batch,
                changes={"reason": [None, reason[:1000]]},
            )
        batch.status = ImportBatch.Status.FAILED
        batch.failure = reason[:5000]
        batch.content = b""  # nothing more will be done with it
        _leave(batch, rows_done=0)
        batch.save(
            update_fields=["status", "failure", "content", "phase", "rows_done", "finished_at"]
        )
        _mail(batch, "import_failed")


def _mail(batch: ImportBatch, template: str) -> None:
    user = batch.user
    send_templated_mail(
        to=user.email,
        template=f"knowledge/email/{template}",
        context={
            "batch": batch,
            "url": absolute_url(reverse("knowledge:import-preview", args=[batch.pk])),
            "ok_count": batch.row_count - batch.error_count,
        },
        language=_language(batch),
    )


# --- progress ---------------------------------------------------------------------------


class BatchReporter:
    """Writes the rows checked on the batch, at most once a second (no transaction is open
    while checking, so the page sees it at once)."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.written_at = 0.0

    def expect(self, table: StreamedTable) -> None:
        """The number of rows to show progress against, before they are read: what an
        XLSX file's dimensions claim, else the rough count the upload gave."""
        if table.expected_rows:
            self.batch.row_count = table.expected_rows
            ImportBatch.objects.filter(pk=self.batch.pk).update(row_count=table.expected_rows)

    def __call__(self, rows_done: int) -> None:
        now = time.monotonic()
        if now - self.written_at < WRITE_EVERY_SECONDS:
            return
        self.written_at = now
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            rows_done=rows_done, updated_at=timezone.now()
        )


class FileReporter:
    """Writes the rows saved to ``<IMPORT_PROGRESS_DIR>/<batch id>.json``: the import's
    transaction holds the batch's row (and on SQLite the whole database) until it ends."""

    def __init__(self, batch: ImportBatch) -> None:
        self.path = progress_file(batch.pk)

    def __call__(self, rows_done: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps({"rows_done": rows_done}))
        os.replace(partial, self.path)  # a reader sees the old or the new, never half

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def progress_file(batch_id: int) -> Path:
    return progress_dir() / f"{int(batch_id)}.json"


def _rows_in_file(batch_id: int) -> int | None:
    try:
        return int(json.loads(progress_file(batch_id).read_text())["rows_done"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Progress:
    phase: str
    rows_done: int
    rows_total: int
    started_at: datetime.datetime | None
    seconds_left: int | None

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def minutes_left(self) -> int | None:
        return None if self.seconds_left is None else max(1, round(self.seconds_left / 60))


def progress_of(batch: ImportBatch) -> Progress:
    """How far the worker has come with the batch, and about how long it has left (from
    the rate so far; unknown until some rows are done)."""
    done = batch.rows_done
    if batch.phase == Phase.IMPORTING:
        done = _rows_in_file(batch.pk) or 0
    total = batch.row_count
    left = None
    if batch.phase in {Phase.CHECKING, Phase.IMPORTING} and done and batch.phase_started_at:
        elapsed = (timezone.now() - batch.phase_started_at).total_seconds()
        left = max(0, round(elapsed / done * max(total - done, 0)))
    return Progress(
        batch.phase, min(done, total) if total else done, total, batch.phase_started_at, left
    )


# --- a worker that stopped --------------------------------------------------------------

DEFAULT_STALE_MINUTES = 15
RUNNING = (Phase.CHECKING, Phase.IMPORTING)


def stale_minutes() -> int:
    return getattr(settings, "IMPORT_STALE_MINUTES", DEFAULT_STALE_MINUTES)


def last_progress(batch: ImportBatch) -> datetime.datetime | None:
    """When the worker last showed that it was at work on the batch: the start of the
    phase, the heartbeat written with the progress while checking, or the progress file
    while importing."""
    times = [t for t in (batch.phase_started_at, batch.updated_at) if t is not None]
    if batch.phase == Phase.IMPORTING:
        try:
            mtime = progress_file(batch.pk).stat().st_mtime
        except OSError:
            pass
        else:
            times.append(datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC))
    return max(times, default=None)


def is_stale(batch: ImportBatch, now: datetime.datetime | None = None) -> bool:
    """Whether the worker checking or importing the batch has shown no progress for
    ``IMPORT_STALE_MINUTES`` (it was killed, or the machine restarted). A batch waiting
    for a worker is not stale: it is done when a worker runs."""
    if batch.phase not in RUNNING:
        return False
    last = last_progress(batch)
    limit = (now or timezone.now()) - datetime.timedelta(minutes=stale_minutes())
    return last is None or last < limit


def stale_message() -> str:
    return _(
        "The import was interrupted: the worker stopped without finishing (no progress for "
        "%(minutes)d minutes). Nothing was saved. Upload the file again."
    ) % {"minutes": stale_minutes()}


def fail_if_stale(batch: ImportBatch) -> ImportBatch:
    """Mark a stale batch failed (see ``is_stale``) and tell the uploader; the import's
    transaction died with the worker, so nothing of it is saved. Called when the page or
    the API reads the batch and by ``manage.py fail_stale_imports``. A batch whose import
    still holds its row (PostgreSQL) or the database (SQLite) is alive and left alone."""
    if not is_stale(batch):
        return batch
    try:
        with transaction.atomic():
            locked = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .select_related("user", "lead")
                .defer("content")
                .filter(pk=batch.pk)
                .first()
            )
            if locked is None or not is_stale(locked):
                return batch
            with translation.override(_language(locked)):
                _fail(locked, stale_message(), by_worker=False)
    except OperationalError:  # SQLite: a running import holds the database
        return batch
    progress_file(batch.pk).unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


def fail_stale_imports() -> int:
    """Every stale batch marked failed (``fail_if_stale``); how many."""
    failed = 0
    running = ImportBatch.objects.filter(phase__in=RUNNING).defer("content", "report")
    for batch in running.select_related("user", "lead"):
        if is_stale(batch):
            fail_if_stale(batch)
            failed += batch.status == ImportBatch.Status.FAILED
    return failed
