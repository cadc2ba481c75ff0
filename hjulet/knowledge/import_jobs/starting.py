"""Taking an upload, an import or a new choice of columns: at once, or queued for the worker."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit
from hjulet.core.permissions import require, require_signed_in
from hjulet.lib.spreadsheets import extension_of

from .. import import_mapping, importing
from ..models import ColumnMapping, ImportBatch
from ._common import Phase, enter_phase
from .tasks import check_import, run_import

DEFAULT_BACKGROUND_ROWS = 1_000
#: An XLSX file is not read in the request to count its rows: a row of a workbook takes
#: some 40-200 compressed bytes, so its size over this guesses high. A guess either way
#: costs little: a small file checked in the worker, or a file of some thousand rows
#: checked in the request (well under a second).
XLSX_BYTES_PER_ROW = 60


def background_rows() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS)


def rough_row_count(content: bytes, filename: str) -> int:
    """About how many rows the file has, without reading it: CSV lines, or an XLSX file's
    size over ``XLSX_BYTES_PER_ROW``."""
    if extension_of(filename) == "xlsx":
        return len(content) // XLSX_BYTES_PER_ROW
    return max(content.count(b"\n") - 1, 0)


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
        locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
        if locked.phase in {Phase.QUEUED_CHECK, Phase.CHECKING}:
            raise ValidationError(
                _("The file is still being checked. Wait until the check is done."),
                code="checking",
            )
        if locked.phase:
            raise ValidationError(_("The file is already being imported."), code="importing")
        importing.check_committable(actor, locked, skip_bad_rows=skip_bad_rows)
        enter_phase(locked, Phase.QUEUED_IMPORT)
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
        locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
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
        enter_phase(locked, Phase.QUEUED_CHECK)
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


def can_commit_good_rows(batch: ImportBatch) -> bool:
    return not batch.phase and importing.can_commit_good_rows(batch)
