"""Uploaded files: stored where nobody can fetch them directly, checked before they are kept,
and handed out only by views that have checked the reader's rights.

- ``PrivateFileStorage`` is the default storage (``settings.STORAGES``): files live under
  ``MEDIA_ROOT``, which neither Django nor the web server serves, and a stored file has no URL
  of its own (``url()`` refuses), so a template cannot link around the rights check.
- ``check_pdf`` turns ``hjulet.lib.pdfs`` verdicts into a ``ValidationError`` in the reader's
  language.
- ``attachment_response`` streams a file as a download that a browser will not render or
  run: ``Content-Disposition: attachment`` with a safe name, the declared type, ``nosniff``
  and a sandboxing Content-Security-Policy.
"""

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from hjulet.lib.pdfs import PdfError
from hjulet.lib.pdfs import check_pdf as read_pdf

PDF = "application/pdf"
SANDBOX_POLICY = "sandbox; default-src 'none'"
MAX_FILENAME_CHARACTERS = 100


@deconstructible
class PrivateFileStorage(FileSystemStorage):
    """Files under ``MEDIA_ROOT`` that only views checking the reader's rights hand out."""

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Uploaded files have no public address: link to the view that serves them."
        )


def _pdf_message(error: PdfError) -> str:
    if error.code == "empty":
        return _("The file is empty. Choose the PDF file again.")
    if error.code == "not_pdf":
        return _("The document must be a PDF file.")
    if error.code == "encrypted":
        return _(
            "The PDF is protected with a password or encryption. Save it without protection "
            "and upload it again."
        )
    if error.code == "no_pages":
        return _("The PDF has no pages.")
    if error.code == "too_many_pages":
        return _("The PDF may have at most %(max_pages)s pages.") % error.params
    return _(
        "The file could not be read as a PDF: it is damaged, incomplete or another kind of "
        "file. Save it as a PDF again and upload it."
    )


def check_pdf(upload: Any, *, field: str, max_bytes: int, max_pages: int) -> None:
    """Refuse ``upload`` (an uploaded file) unless it is a PDF of at most ``max_bytes`` that
    really parses, with between one and ``max_pages`` pages; leave it rewound."""
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _("The document may be at most %(megabytes)s MB.")
                % {"megabytes": max_bytes // (1024 * 1024)}
            }
        )
    if not (upload.name or "").lower().endswith(".pdf"):
        raise ValidationError({field: _("The document must be a PDF file.")})
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    try:
        read_pdf(data, max_pages=max_pages)
    except PdfError as error:
        raise ValidationError({field: _pdf_message(error)}) from error


def safe_filename(name: str, *, extension: str) -> str:
    """A file name made from ``name`` (a title) that is safe in a header and on any disk: no
    path separators, quotes, control or format characters, at most 100 characters."""
    cleaned = "".join(
        " " if unicodedata.category(c)[0] in "CZ" or c in '\\/:*?"<>|;' else c
        for c in unicodedata.normalize("NFC", name)
    )
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")[:MAX_FILENAME_CHARACTERS].strip(" .")
    return f"{cleaned or 'dokument'}.{extension}"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the exact name in
    ``filename*`` (RFC 5987/6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    stem, dot, extension = re.sub(r"[^A-Za-z0-9 ._()-]", "_", ascii_name).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = "dokument"
    ascii_name = f"{stem}{dot}{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(file: Any, *, filename: str, content_type: str = PDF) -> FileResponse:
    """Stream ``file`` (an open stored file) as a download that is never shown inline."""
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, django-csp leaves it: a file opened anyway runs no script and loads nothing.
    response["Content-Security-Policy"] = SANDBOX_POLICY
    # Rights can change (a draft, a membership that ends): no shared cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
