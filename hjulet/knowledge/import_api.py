"""Bulk import of initiatives through the API: upload and check, then import."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from hjulet.accounts.models import Organisation
from hjulet.core.api_auth import signed_in
from hjulet.core.schemas import ErrorOut

from . import importing
from .models import ImportBatch

imports_router = Router(tags=["imports"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class RowErrorOut(Schema):
    row: int = Field(description="Row number as the spreadsheet shows it (the header is row 1)")
    column: str = Field(description="Column name as written in the file; empty for the row")
    message: str
    text: str = Field(description="The whole message, with row and column")


class ImportOut(Schema):
    id: int
    status: str = Field(description="previewed, imported or failed")
    format: str = Field(
        description="hjulet (Hjulet's columns), participedia (cases) or pmethods "
        "(Participedia's methods, imported as methods)"
    )
    filename: str
    row_count: int
    error_count: int = Field(description="Rows with errors; only 0 can be imported")
    can_commit: bool
    errors: list[RowErrorOut] = Field(
        description="The errors of the first 1,000 rows with errors (error_count counts all)"
    )


class CommitOut(Schema):
    id: int
    imported: int


def _out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "status": batch.status,
        "format": batch.format,
        "filename": batch.filename,
        "row_count": batch.row_count,
        "error_count": batch.error_count,
        "can_commit": importing.can_commit(batch),
        "errors": [{"row": row["row"], **error} for row in batch.report for error in row["errors"]],
    }


@imports_router.post("", response={201: ImportOut, **ERRORS}, auth=signed_in)
def create_import(request: HttpRequest, file: File[UploadedFile], lead_organisation: Form[int]):
    """Upload a CSV or XLSX file (multipart: `file`, `lead_organisation`) and check every
    row; nothing is saved. 400 when the file itself cannot be read."""
    lead = Organisation.objects.filter(pk=lead_organisation).first()
    if lead is None:
        raise ValidationError({"lead_organisation": _("Unknown organisation.")})
    batch = importing.import_prepare(actor=request.auth, upload=file, lead=lead)
    return Status(201, _out(batch))


@imports_router.post("/{batch_id}/commit", response={200: CommitOut, **ERRORS}, auth=signed_in)
def commit_import(request: HttpRequest, batch_id: int):
    """Import every row of a checked file, all or nothing. Only once, only by the uploader."""
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    count = importing.import_commit(actor=request.auth, batch=batch)
    return {"id": batch.pk, "imported": count}
