"""A worker that stopped: its batch is marked failed."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import ImportBatch
from ._common import Phase, fail_batch, language_of
from .progress import progress_file

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
            with translation.override(language_of(locked)):
                fail_batch(locked, stale_message(), by_worker=False)
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


def uploaders_batch(actor: Any, pk: int) -> ImportBatch:
    """The batch ``pk`` for the person who uploaded it (no one else may see it), failed
    and said so when its worker stopped (``fail_if_stale``)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("lead").defer("content"), pk=pk)
    if batch.user_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can see this import."))
    return fail_if_stale(batch)
