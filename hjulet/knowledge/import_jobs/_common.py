"""What the tasks and the services of background imports share: entering and leaving a
phase, failing, and the e-mail to the uploader."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail

from ..models import ImportBatch

Phase = ImportBatch.Phase


def language_of(batch: ImportBatch) -> str:
    return getattr(batch.user, "language", "") or settings.LANGUAGE_CODE


def take_batch(batch_id: int, waiting: str, working: str) -> ImportBatch | None:
    """The batch if it is waiting for this task (not deleted, not taken by another)."""
    with transaction.atomic():
        taken = ImportBatch.objects.filter(pk=batch_id, phase=waiting).update(
            phase=working, rows_done=0, phase_started_at=timezone.now()
        )
    if not taken:
        return None
    return ImportBatch.objects.select_related("user", "lead").defer("content").get(pk=batch_id)


def enter_phase(batch: ImportBatch, phase: str) -> None:
    batch.phase = phase
    batch.rows_done = 0
    batch.phase_started_at = timezone.now()
    batch.finished_at = None
    batch.save(update_fields=["phase", "rows_done", "phase_started_at", "finished_at"])


def leave_phase(batch: ImportBatch, *, rows_done: int) -> None:
    batch.phase = ""
    batch.rows_done = rows_done
    batch.finished_at = timezone.now()


def fail_batch(batch: ImportBatch, reason: str, *, by_worker: bool = True) -> None:
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
        leave_phase(batch, rows_done=0)
        batch.save(
            update_fields=["status", "failure", "content", "phase", "rows_done", "finished_at"]
        )
        mail_uploader(batch, "import_failed")


def mail_uploader(batch: ImportBatch, template: str) -> None:
    user = batch.user
    send_templated_mail(
        to=user.email,
        template=f"knowledge/email/{template}",
        context={
            "batch": batch,
            "url": absolute_url(reverse("knowledge:import-preview", args=[batch.pk])),
            "ok_count": batch.row_count - batch.error_count,
        },
        language=language_of(batch),
    )
