"""Importing a checked file: every row saved in one transaction, or none."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit
from hjulet.core.permissions import require, require_signed_in

from .. import import_mapping, participedia, services
from ..models import ImportBatch
from .cells import Lookups
from .checks import RowCheck, issue_text, problems_text, service_issues
from .layouts import Layout, layout_of
from .reading import (
    check_model_rules,
    check_rows,
    chunk_rows,
    open_table,
    stored_content,
    table_chunks,
)
from .uploads import require_lead

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def mapping_missing(batch: ImportBatch) -> list[str]:
    """The required fields the batch's column mapping leaves out."""
    if not batch.mapping:
        return []
    return import_mapping.missing_required(import_mapping.Mapping.from_json(batch.mapping))


def can_commit(batch: ImportBatch) -> bool:
    return (
        batch.status == ImportBatch.Status.PREVIEWED
        and not batch.error_count
        and not mapping_missing(batch)
    )


def can_commit_good_rows(batch: ImportBatch) -> bool:
    """Whether the rows without errors may be imported, skipping the others."""
    return (
        batch.status == ImportBatch.Status.PREVIEWED
        and 0 < batch.error_count < batch.row_count
        and not mapping_missing(batch)
    )


def import_commit(
    *,
    actor: Any,
    batch: ImportBatch,
    skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Save every row of a checked file in one transaction; return how many were saved.

    Only the person who uploaded the file may import it, once. If any row fails now (the
    knowledge bank may have changed since the check), nothing is saved and the batch is
    marked failed. ``skip_bad_rows`` imports the rows without errors when some have them
    (the person chose so, seeing how many); if more rows fail now than at the check,
    nothing is saved either. ``progress`` is called with the number of rows saved after each
    chunk (inside the transaction: what it writes to this database is rolled back with it);
    an exception from it fails the import like any other."""
    require_signed_in(actor)
    try:
        with transaction.atomic():
            # The file is read by _save_all alone, so that only one copy is in memory.
            locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
            check_committable(actor, locked, skip_bad_rows=skip_bad_rows)
            count = _save_all(actor, locked, skip_bad_rows=skip_bad_rows, progress=progress)
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_count = count
            locked.skipped_count = locked.row_count - count
            locked.imported_at = timezone.now()
            locked.content = b""  # the data now lives in the initiatives; keep no copy
            locked.save(
                update_fields=[
                    "status",
                    "imported_count",
                    "skipped_count",
                    "imported_at",
                    "content",
                ]
            )
            audit.record(
                actor=actor,
                action="import.commit",
                target=locked,
                changes={
                    "imported": [None, count],
                    **({"skipped": [None, locked.skipped_count]} if locked.skipped_count else {}),
                },
            )
    except ImportFailed as failure:
        _mark_failed(actor, batch, failure.message)
        raise ValidationError(
            _("Nothing was imported: %(reason)s Correct the file and upload it again.")
            % {"reason": failure.message},
            code="failed",
        ) from failure
    batch.refresh_from_db()
    return count


def check_committable(actor: Any, batch: ImportBatch, *, skip_bad_rows: bool = False) -> None:
    require(batch.user_id == actor.pk, _("Only the person who uploaded the file can import it."))
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ValidationError(_("This file has already been imported."), code="imported")
    if batch.status == ImportBatch.Status.FAILED:
        raise ValidationError(
            _("This import failed and cannot be repeated. Upload the file again."),
            code="failed",
        )
    missing = mapping_missing(batch)
    if missing:
        raise ValidationError(
            _("Choose a column for every required field first. Not chosen: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="mapping_incomplete",
        )
    if skip_bad_rows and batch.error_count >= batch.row_count:
        raise ValidationError(
            _("Every row has errors, so there is nothing to import."), code="has_errors"
        )
    if batch.error_count and not skip_bad_rows:
        raise ValidationError(
            _(
                "The file has rows with errors, so it cannot be imported. Correct the file and "
                "upload it again; nothing has been saved."
            ),
            code="has_errors",
        )
    require_lead(actor, batch.lead)


def _save_all(
    actor: Any,
    batch: ImportBatch,
    *,
    skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Read the file again and save it a chunk of rows at a time (each chunk checked
    against the reference data as it is now, then saved): memory holds one chunk. Called
    inside the import's transaction, so a chunk that fails undoes the chunks before it.
    With ``skip_bad_rows`` the rows with errors are left out, as long as no more fail than
    at the check."""
    content = stored_content(batch.pk)
    try:
        table = open_table(content, batch.filename)
        del content
        layout = layout_of(table.header, batch.mapping or None)
    except ValidationError as error:
        raise ImportFailed(" ".join(error.messages)) from error
    lookups = Lookups()
    saved = skipped = 0
    with table:
        chunks = table_chunks(table, chunk_rows())
        while True:
            try:
                part = next(chunks, None)
            except ValidationError as error:
                raise ImportFailed(" ".join(error.messages)) from error
            if part is None:
                break
            checks = check_rows(part, layout, lookups)
            del part  # a chunk's cells are freed once it is checked
            if skip_bad_rows:
                check_model_rules(
                    checks, layout
                )  # to know which rows to skip, every rule is applied
                good = [check for check in checks if not check.issues]
                skipped += len(checks) - len(good)
                if skipped > batch.error_count:
                    bad = [check for check in checks if check.issues]
                    raise ImportFailed(problems_text(bad))
                checks = good
            saved += _save_chunk(actor, batch, layout, checks)
            if progress is not None:
                progress(saved)
    return saved


def _save_chunk(actor: Any, batch: ImportBatch, layout: Layout, checks: list[RowCheck]) -> int:
    if any(check.issues for check in checks):
        raise ImportFailed(problems_text([check for check in checks if check.issues]))
    try:
        with transaction.atomic():
            if layout.format == ImportBatch.Format.PARTICIPEDIA_METHODS:
                participedia.methods_create(actor=actor, entries=[check.fields for check in checks])
            else:
                services.initiative_create_many(
                    actor=actor, lead=batch.lead, entries=[check.fields for check in checks]
                )
    except services.InvalidEntry as error:
        check = checks[error.index]
        texts = [
            issue_text(check.number, i.column, i.message) for i in service_issues(error, layout)
        ]
        raise ImportFailed(" ".join(texts)) from error
    except PermissionDenied:
        raise
    except ValidationError as error:
        raise ImportFailed(" ".join(error.messages)) from error
    except Exception as error:  # all or nothing, whatever went wrong (the database refused)
        logger.exception("Import %s failed", batch.pk)
        raise ImportFailed(_("the database refused to save the rows.")) from error
    return len(checks)


def _mark_failed(actor: Any, batch: ImportBatch, reason: str) -> None:
    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PREVIEWED
        ).update(status=ImportBatch.Status.FAILED)
        if updated:
            audit.record(
                actor=actor,
                action="import.fail",
                target=batch,
                changes={"reason": [None, reason[:1000]]},
            )
    batch.refresh_from_db()
