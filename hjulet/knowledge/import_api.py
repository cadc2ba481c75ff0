"""Bulk import of initiatives through the API: upload and check, then import."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from hjulet.accounts.models import Organisation
from hjulet.core.api_auth import signed_in
from hjulet.core.schemas import ErrorOut

from . import import_jobs
from .models import ImportBatch

imports_router = Router(tags=["imports"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class RowErrorOut(Schema):
    row: int = Field(description="Row number as the spreadsheet shows it (the header is row 1)")
    column: str = Field(description="Column name as written in the file; empty for the row")
    message: str
    text: str = Field(description="The whole message, with row and column")


class ProgressOut(Schema):
    phase: str = Field(
        description="What the worker is doing: queued, checking, waiting (to be imported), "
        "importing; empty when nothing runs"
    )
    rows_done: int = Field(description="Rows checked or imported so far in this phase")
    rows_total: int
    percent: int
    started_at: datetime.datetime | None = Field(description="When this phase began")
    seconds_left: int | None = Field(description="Estimate from the rate so far; null if unknown")


class ImportOut(Schema):
    id: int = Field(description="The import's id, which is also its job's id")
    status: str = Field(description="previewed, imported or failed")
    format: str = Field(description="hjulet (Hjulet's columns) or participedia")
    filename: str
    row_count: int
    error_count: int = Field(description="Rows with errors; only 0 can be imported")
    can_commit: bool
    errors: list[RowErrorOut] = Field(
        description="The errors of the first 1,000 rows with errors (error_count counts all)"
    )
    in_background: bool = Field(
        description="Checked and imported by the worker (files over the background threshold)"
    )
    failure: str = Field(description="Why it failed, when status is failed")
    progress: ProgressOut


class ImportSummaryOut(Schema):
    id: int
    status: str
    phase: str
    filename: str
    lead_organisation: int
    row_count: int
    error_count: int
    imported_count: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class CommitOut(Schema):
    id: int
    imported: int


class QueuedOut(Schema):
    id: int
    status: str
    phase: str = Field(description="waiting: follow GET /imports/{id}/progress")


def _out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "status": batch.status,
        "format": batch.format,
        "filename": batch.filename,
        "row_count": batch.row_count,
        "error_count": batch.error_count,
        "can_commit": import_jobs.can_commit(batch),
        "errors": [{"row": row["row"], **error} for row in batch.report for error in row["errors"]],
        "in_background": batch.in_background,
        "failure": batch.failure,
        "progress": _progress(batch),
    }


def _progress(batch: ImportBatch) -> dict:
    progress = import_jobs.progress_of(batch)
    return {
        "phase": progress.phase,
        "rows_done": progress.rows_done,
        "rows_total": progress.rows_total,
        "percent": progress.percent,
        "started_at": progress.started_at,
        "seconds_left": progress.seconds_left,
    }


def _own(request: HttpRequest, batch_id: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("lead"), pk=batch_id)
    if batch.user_id != request.auth.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can see this import."))
    return batch


@imports_router.get("", response={200: list[ImportSummaryOut], **ERRORS}, auth=signed_in)
def list_imports(request: HttpRequest):
    """My imports, newest first (at most 200), with their status and phase."""
    batches = ImportBatch.objects.filter(user=request.auth).defer("content", "report")[:200]
    return [
        {
            "id": b.pk,
            "status": b.status,
            "phase": b.phase,
            "filename": b.filename,
            "lead_organisation": b.lead_id,
            "row_count": b.row_count,
            "error_count": b.error_count,
            "imported_count": b.imported_count,
            "created_at": b.created_at,
            "finished_at": b.finished_at,
        }
        for b in batches
    ]


@imports_router.get("/{batch_id}", response={200: ImportOut, **ERRORS}, auth=signed_in)
def get_import(request: HttpRequest, batch_id: int):
    """One of my imports: the check, and the progress while the worker has it."""
    return _out(_own(request, batch_id))


@imports_router.get("/{batch_id}/progress", response={200: ProgressOut, **ERRORS}, auth=signed_in)
def import_progress(request: HttpRequest, batch_id: int):
    """How far the worker has come (ask every second or two); phase is empty when done."""
    return _progress(_own(request, batch_id))


@imports_router.post("", response={201: ImportOut, **ERRORS}, auth=signed_in)
def create_import(request: HttpRequest, file: File[UploadedFile], lead_organisation: Form[int]):
    """Upload a CSV or XLSX file (multipart: `file`, `lead_organisation`) and check every
    row; nothing is saved. 400 when the file itself cannot be read. A file of more than
    the background threshold (1,000 rows) is checked by the worker: the answer has
    `in_background` true and `progress.phase` "queued"; follow GET /imports/{id}/progress."""
    lead = Organisation.objects.filter(pk=lead_organisation).first()
    if lead is None:
        raise ValidationError({"lead_organisation": _("Unknown organisation.")})
    batch = import_jobs.start_import(actor=request.auth, upload=file, lead=lead)
    return Status(201, _out(batch))


@imports_router.post(
    "/{batch_id}/commit", response={200: CommitOut, 202: QueuedOut, **ERRORS}, auth=signed_in
)
def commit_import(request: HttpRequest, batch_id: int):
    """Import every row of a checked file, all or nothing. Only once, only by the uploader.
    A file checked in the background is imported by the worker: 202, then follow its
    progress; the status becomes imported or failed (nothing saved)."""
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    count = import_jobs.commit_import(actor=request.auth, batch=batch)
    if count is None:
        return Status(202, {"id": batch.pk, "status": batch.status, "phase": batch.phase})
    return {"id": batch.pk, "imported": count}
