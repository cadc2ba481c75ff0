"""Uploading a file to check it (nothing is saved), and pruning old uploads."""

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation
from hjulet.core import audit
from hjulet.core.permissions import require, require_signed_in
from hjulet.lib.spreadsheets import extension_of

from .. import import_mapping
from ..models import ImportBatch
from .checks import RowCheck, report_of
from .columns import max_bytes
from .reading import analyse


def require_lead(actor: Any, lead: Organisation) -> None:
    require(
        actor.is_coordinator or Membership.objects.filter(user=actor, organisation=lead).exists(),
        _("You can import initiatives only for organisations you are a member of."),
    )


def read_upload(upload: Any) -> bytes:
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(len(content), limit)
    return content


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "The file is %(size)s MB; the largest file that can be imported is %(limit)s MB. "
                "Split it into smaller files."
            )
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:.0f}"}
        },
        code="too_large",
    )


def store_check(batch: ImportBatch, checks: Sequence[RowCheck]) -> None:
    """Put the result of a check on the batch (not saved)."""
    batch.row_count = len(checks)
    batch.error_count = sum(1 for check in checks if check.issues)
    batch.warning_count = sum(1 for check in checks if check.warnings)
    batch.report = report_of(checks)


def prepared_changes(batch: ImportBatch) -> dict[str, list[Any]]:
    """What the audit entry of a checked upload records about it."""
    return {
        "filename": [None, batch.filename],
        "format": [None, batch.format],
        "lead": [None, batch.lead.name],
        "rows": [None, batch.row_count],
        "rows_with_errors": [None, batch.error_count],
    }


def import_prepare(
    *,
    actor: Any,
    upload: Any,
    lead: Organisation,
    saved_mapping: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Read an uploaded file and check every row without saving any; keep the file and the
    check for the preview. File-level problems (unreadable, too large) are a ValidationError
    on "file" and keep nothing. A file with other column names is read through the mapping
    proposed from its header (or ``saved_mapping``, a ``ColumnMapping`` of ``lead``); when
    that leaves out a required field, the rows are checked once the person has chosen."""
    require_signed_in(actor)
    require_lead(actor, lead)
    if saved_mapping is not None:
        import_mapping.require_usable(actor, saved_mapping, lead)
    filename = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
    content = read_upload(upload)
    saved = saved_mapping.mapping if saved_mapping is not None else None
    layout, checks = analyse(content, filename, saved=saved, progress=progress)
    file_type = extension_of(filename)
    with transaction.atomic():
        batch = ImportBatch(
            user=actor,
            lead=lead,
            filename=filename,
            file_type=file_type,
            format=layout.format,
            content=content,
            mapping=layout.mapping.as_json() if layout.mapping else {},
        )
        store_check(batch, checks)
        batch.save()
        audit.record(
            actor=actor,
            action="import.prepare",
            target=batch,
            changes={
                **prepared_changes(batch),
                **({"mapping": [None, saved_mapping.name]} if saved_mapping else {}),
            },
        )
    return batch


@transaction.atomic
def import_prune(*, older_than: datetime.timedelta) -> int:
    """Delete uploads that were checked but never imported (or failed) after a while: they
    may hold contact details nobody decided to publish. Run by ``manage.py prune_imports``."""
    cutoff = timezone.now() - older_than
    stale = list(
        ImportBatch.objects.filter(
            created_at__lt=cutoff,
            status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED],
        )
    )
    for batch in stale:
        audit.record(
            actor=None,
            action="import.prune",
            target=batch,
            changes={"status": [batch.status, None]},
        )
        batch.delete()
    return len(stale)
