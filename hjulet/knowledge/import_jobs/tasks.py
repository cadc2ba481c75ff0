"""The tasks the worker runs: checking a file and importing it."""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from hjulet.core import audit

from .. import importing
from ..models import ColumnMapping, ImportBatch
from ._common import Phase, fail_batch, language_of, leave_phase, mail_uploader, take_batch
from .progress import BatchReporter, FileReporter

logger = logging.getLogger(__name__)


def _queued_by_its_old_path(func: Any) -> Any:
    """The database backend stores a task by its dotted path: keep the one the tasks had
    before ``import_jobs`` became a package (``hjulet.knowledge.import_jobs.run_import``,
    which the package exports), so that tasks queued before an upgrade still run."""
    func.__module__ = __package__
    return func


@task()
@_queued_by_its_old_path
def check_import(batch_id: int, saved_mapping_id: int | None = None, remapped: bool = False) -> str:
    """Check a queued file in the worker; store the check as ``import_prepare`` does
    (through the saved column mapping, if one was chosen on upload). ``remapped``: the
    person chose other columns (``remap_import``, whose audit entry says so)."""
    batch = take_batch(batch_id, Phase.QUEUED_CHECK, Phase.CHECKING)
    if batch is None:
        return "gone"
    saved = ColumnMapping.objects.filter(pk=saved_mapping_id).first() if saved_mapping_id else None
    with translation.override(language_of(batch)):  # the messages stored are read by them
        return _check(batch, saved.mapping if saved is not None else None, remapped=remapped)


def _check(
    batch: ImportBatch, saved: dict[str, Any] | None = None, *, remapped: bool = False
) -> str:
    reporter = BatchReporter(batch)
    try:
        found = check_in_chunks(batch, reporter, saved=saved)
    except ValidationError as error:
        fail_batch(batch, " ".join(error.messages))
        return "failed"
    except Exception:  # the worker goes on; the person is told
        logger.exception("Check of import %s failed", batch.pk)
        fail_batch(batch, _("The file could not be checked because of an error on our side."))
        return "failed"
    with transaction.atomic():
        layout = found.layout
        batch.format = layout.format
        batch.mapping = layout.mapping.as_json() if layout.mapping else {}
        batch.row_count = found.row_count
        batch.error_count = found.error_count
        batch.warning_count = found.warning_count
        batch.report = importing.report_of(found.listed)
        leave_phase(batch, rows_done=found.row_count)
        batch.save()
        mail_uploader(batch, "import_checked")
        if remapped:
            return "checked"
        audit.record(
            actor=batch.user,
            action="import.prepare",
            target=batch,
            changes=importing.prepared_changes(batch),
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
    the checks the report lists (an ``importing.Listing``), so that memory holds the file's
    bytes and one chunk, not a row of cells and a check per row. The columns are read through the
    batch's mapping (chosen again by ``remap_import``), else as ``importing.layout_of``
    proposes (with ``saved``, a saved mapping)."""
    content = importing.stored_content(batch.pk)
    table = importing.open_table(content, batch.filename)
    del content
    with table:
        layout = importing.layout_of(table.header, batch.mapping or None, saved=saved)
        reporter.expect(table)
        found = Checked(layout)
        lookups = importing.Lookups()
        listing = importing.Listing()
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
                listing.add(position, check)
            found.row_count += len(checks)
            reporter(found.row_count)
    found.listed = listing.listed
    return found


@task()
@_queued_by_its_old_path
def run_import(batch_id: int, skip_bad_rows: bool = False) -> str:
    """Import a checked file in the worker, all rows or none, telling the progress file."""
    batch = take_batch(batch_id, Phase.QUEUED_IMPORT, Phase.IMPORTING)
    if batch is None:
        return "gone"
    with translation.override(language_of(batch)):
        return _import(batch, skip_bad_rows)


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
        fail_batch(batch, reason)
        return "failed"
    with transaction.atomic():
        leave_phase(batch, rows_done=batch.imported_count)
        batch.save(update_fields=["phase", "rows_done", "finished_at"])
        mail_uploader(batch, "import_done")
    return "imported"
