"""Bulk import of initiatives through the API: upload and check, choose the columns,
then import (all rows, or the correct ones)."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from hjulet.accounts.models import Organisation
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.schemas import ERRORS

from . import import_jobs, import_mapping, importing
from .import_views import errors_csv_response
from .models import ColumnMapping, ImportBatch

imports_router = Router(tags=["imports"])


class RowErrorOut(Schema):
    row: int = Field(description="Row number as the spreadsheet shows it (the header is row 1)")
    column: str = Field(description="Column name as written in the file; empty for the row")
    message: str
    text: str = Field(description="The whole message, with row and column")


class MappedColumnOut(Schema):
    index: int = Field(description="Position of the column, from 0")
    letter: str = Field(description="The column's letter in a spreadsheet (A, B, …)")
    column: str = Field(description="The column's name as written in the file")
    field: str = Field(description="The import field it feeds; empty when it is ignored")


class MappingOut(Schema):
    columns: list[MappedColumnOut]
    defaults: dict[str, str] = Field(description="Values for empty cells; only stage")
    missing: list[str] = Field(
        description="Required fields no column feeds (then no row is checked)"
    )


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
    format: str = Field(
        description="hjulet (Hjulet's columns, or other columns mapped to Hjulet's fields), "
        "participedia (cases) or pmethods (Participedia's methods, imported as methods)"
    )
    filename: str
    row_count: int
    error_count: int = Field(description="Rows with errors")
    warning_count: int = Field(description="Rows imported with a warning (e.g. summary cut)")
    can_commit: bool = Field(description="Every row is correct: all can be imported")
    can_commit_good_rows: bool = Field(
        description="Some rows have errors: the others can be imported with skip_bad_rows"
    )
    imported_count: int
    skipped_count: int = Field(description="Rows with errors skipped by the import")
    mapping: MappingOut | None = Field(description="The columns; null for Participedia")
    errors: list[RowErrorOut] = Field(
        description="The errors of the first 1,000 rows with errors (error_count counts all; "
        "errors.csv lists every one)"
    )
    warnings: list[RowErrorOut]
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
    skipped: int = Field(description="Rows with errors that were not imported")


class MappingIn(Schema):
    fields: list[str] = Field(
        description='Per column of the file, in order: an import field or "" to ignore it'
    )
    defaults: dict[str, str] = Field(default_factory=dict, description='e.g. {"stage": "ide"}')
    save_as: str = Field(
        "", description="When given, the mapping is also saved under this name for the lead"
    )


class FieldOut(Schema):
    name: str
    label: str


class SavedMappingIn(Schema):
    organisation: int
    name: str
    header: list[str] = Field(description="Column names of a file")
    fields: list[str] = Field(description='Per column: an import field or ""')
    defaults: dict[str, str] = Field(default_factory=dict)


class SavedMappingOut(Schema):
    id: int
    organisation: int
    organisation_name: str
    name: str
    fields: dict[str, str] = Field(description="Column name (compared folded) → import field")
    defaults: dict[str, str]


def _mapping_out(batch: ImportBatch) -> dict | None:
    if not batch.mapping:
        return None
    mapping = import_mapping.Mapping.from_json(batch.mapping)
    return {
        "columns": mapping.rows(),
        "defaults": mapping.defaults,
        "missing": importing.mapping_missing(batch),
    }


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
        "warning_count": batch.warning_count,
        "can_commit": import_jobs.can_commit(batch),
        "can_commit_good_rows": import_jobs.can_commit_good_rows(batch),
        "imported_count": batch.imported_count,
        "skipped_count": batch.skipped_count,
        "mapping": _mapping_out(batch),
        "errors": [{"row": row["row"], **error} for row in batch.report for error in row["errors"]],
        "warnings": [
            {"row": row["row"], **warning}
            for row in batch.report
            for warning in row.get("warnings", [])
        ],
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


def _saved_out(saved: ColumnMapping) -> dict:
    return {
        "id": saved.pk,
        "organisation": saved.organisation_id,
        "organisation_name": saved.organisation.name,
        "name": saved.name,
        "fields": saved.mapping.get("fields", {}),
        "defaults": saved.mapping.get("defaults", {}),
    }


def _own_batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    return import_jobs.uploaders_batch(request.auth, batch_id)


@imports_router.get("/fields", response={200: list[FieldOut], **ERRORS}, auth=signed_in)
def import_fields(request: HttpRequest):
    """The import fields a column can be mapped to."""
    return [{"name": name, "label": str(label)} for name, label in import_mapping.field_choices()]


@imports_router.get("/mappings", response={200: list[SavedMappingOut], **ERRORS}, auth=signed_in)
def list_mappings(request: HttpRequest):
    """The saved column mappings you may use: your organisations' (every one for
    coordinators)."""
    return [_saved_out(saved) for saved in import_mapping.usable_mappings(request.auth)]


@imports_router.post("/mappings", response={201: SavedMappingOut, **ERRORS}, auth=signed_in)
def save_mapping(request: HttpRequest, payload: SavedMappingIn):
    """Save a column mapping under a name for an organisation you are a member of (a mapping
    of the same name is replaced)."""
    organisation = lookups.existing(
        Organisation, "organisation", payload.organisation, _("Unknown organisation.")
    )
    saved = import_mapping.column_mapping_save(
        actor=request.auth,
        organisation=organisation,
        name=payload.name,
        mapping=import_mapping.Mapping(payload.header, payload.fields, payload.defaults),
    )
    return Status(201, _saved_out(saved))


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


@imports_router.get("/{batch_id}/progress", response={200: ProgressOut, **ERRORS}, auth=signed_in)
def import_progress(request: HttpRequest, batch_id: int):
    """How far the worker has come (ask every second or two); phase is empty when done."""
    return _progress(_own_batch(request, batch_id))


@imports_router.post("", response={201: ImportOut, **ERRORS}, auth=signed_in)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    lead_organisation: Form[int],
    mapping: Form[int | None] = None,
):
    """Upload a CSV or XLSX file (multipart: `file`, `lead_organisation`, optionally
    `mapping`: the id of a saved column mapping of the lead organisation) and check every
    row; nothing is saved. The columns are mapped as proposed from the header (or by the
    saved mapping); see `mapping` in the answer. 400 when the file itself cannot be read.
    A file of more than the background threshold (1,000 rows) is checked by the worker: the
    answer has `in_background` true and `progress.phase` "queued"; follow
    GET /imports/{id}/progress."""
    lead = lookups.existing(
        Organisation, "lead_organisation", lead_organisation, _("Unknown organisation.")
    )
    saved = None
    if mapping is not None:
        saved = lookups.existing(
            ColumnMapping.objects.select_related("organisation"),
            "mapping",
            mapping,
            _("Unknown column mapping."),
        )
    batch = import_jobs.start_import(
        actor=request.auth, upload=file, lead=lead, saved_mapping=saved
    )
    return Status(201, _out(batch))


@imports_router.get("/{batch_id}", response={200: ImportOut, **ERRORS}, auth=signed_in)
def get_import(request: HttpRequest, batch_id: int):
    """A checked file: its state, its columns and its errors. Only for the uploader."""
    return _out(_own_batch(request, batch_id))


@imports_router.get("/{batch_id}/mapping", response={200: MappingOut, **ERRORS}, auth=signed_in)
def get_mapping(request: HttpRequest, batch_id: int):
    """The columns of a checked file and the field each feeds (as proposed or chosen).
    404 for a Participedia export, which has no column mapping."""
    found = _mapping_out(_own_batch(request, batch_id))
    if found is None:
        return Status(404, {"detail": _("This import has no column mapping.")})
    return found


@imports_router.post("/{batch_id}/mapping", response={200: ImportOut, **ERRORS}, auth=signed_in)
def choose_columns(request: HttpRequest, batch_id: int, payload: MappingIn):
    """Choose the field of each column and check the file again (nothing is imported); with
    `save_as`, also save the mapping for the lead organisation. 400 when a required field has
    no column or two columns feed one field."""
    batch = _own_batch(request, batch_id)
    chosen = import_mapping.Mapping(
        (batch.mapping or {}).get("header", []), payload.fields, payload.defaults
    )
    batch = import_jobs.remap_import(actor=request.auth, batch=batch, mapping=chosen)
    if payload.save_as.strip():
        import_mapping.column_mapping_save(
            actor=request.auth, organisation=batch.lead, name=payload.save_as, mapping=chosen
        )
    return _out(batch)


@imports_router.get("/{batch_id}/errors.csv", response={200: None, **ERRORS}, auth=signed_in)
def import_errors(request: HttpRequest, batch_id: int):
    """Every error of the checked file as CSV: row, column, message."""
    return errors_csv_response(_own_batch(request, batch_id))


@imports_router.post(
    "/{batch_id}/commit", response={200: CommitOut, 202: QueuedOut, **ERRORS}, auth=signed_in
)
def commit_import(request: HttpRequest, batch_id: int, skip_bad_rows: bool = False):
    """Import every row of a checked file, all or nothing; with `?skip_bad_rows=true`, the
    rows without errors (in one transaction) and not the others. Only once, only by the
    uploader. A file checked in the background is imported by the worker: 202, then follow
    its progress; the status becomes imported or failed (nothing saved)."""
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    count = import_jobs.commit_import(actor=request.auth, batch=batch, skip_bad_rows=skip_bad_rows)
    if count is None:
        return Status(202, {"id": batch.pk, "status": batch.status, "phase": batch.phase})
    batch.refresh_from_db()
    return {"id": batch.pk, "imported": count, "skipped": batch.skipped_count}
