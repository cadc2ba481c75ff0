"""Pages of a large export built by the worker: its progress, then the download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .exports import CONTENT_TYPES
from .models import ExportFile


def _own_export(request: HttpRequest, pk: int) -> ExportFile:
    export = get_object_or_404(ExportFile, pk=pk)
    if export.user_id != request.user.pk:
        raise PermissionDenied(_("Only the person who asked for the file can download it."))
    return export


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "core/export_detail.html", {"export": _own_export(request, pk)})


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """For the page to ask every two seconds (htmx); reloads the page when it is done."""
    export = _own_export(request, pk)
    response = render(request, "core/_export_progress.html", {"export": export})
    if export.status in {ExportFile.Status.READY, ExportFile.Status.FAILED}:
        response["HX-Refresh"] = "true"
    return response


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    export = _own_export(request, pk)
    if export.status != ExportFile.Status.READY or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES[export.format],
    )
