"""Importing an XLSForm: upload and preview, then import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.accounts.models import Organisation
from hjulet.core import temporary_uploads as uploads

from .. import services
from ..forms import XLSFormUploadForm
from ..xlsform import parse_xlsform

UPLOAD_PURPOSE = "surveys.xlsform"


LEGACY_SESSION_UPLOAD = "surveys_xlsform_upload"


@login_required
def survey_import(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm: check it and show a preview (or every problem by sheet and row);
    the import itself is a second step from the preview. The file waits in the temporary
    store (core/temporary_uploads.py) under a key the preview's form carries, not in the session."""
    request.session.pop(LEGACY_SESSION_UPLOAD, None)  # a file kept there by older versions
    form = XLSFormUploadForm(request.POST or None, request.FILES or None, user=request.user)
    parsed = None
    upload_key = ""
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        data = file.read()
        parsed = parse_xlsform(data)
        if parsed.ok:
            upload_key = uploads.keep(
                user=request.user,
                purpose=UPLOAD_PURPOSE,
                content=data,
                filename=file.name or "",
                meta={
                    "organisation": form.cleaned_data["organisation"].pk,
                    "title": form.cleaned_data["title"],
                },
            )
        else:
            form.add_error(
                "file", _("The form cannot be imported. Nothing has been saved; see the list.")
            )
    status = 400 if form.errors else 200
    return render(
        request,
        "surveys/import.html",
        {"form": form, "parsed": parsed, "problems": _problems(parsed), "upload_key": upload_key},
        status=status,
    )


def _problems(parsed) -> list[str]:
    return [services.problem_text(p) for p in parsed.problems] if parsed else []


@login_required
@require_POST
def survey_import_commit(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("upload", "")
    try:
        upload = uploads.take(user=request.user, purpose=UPLOAD_PURPOSE, key=key)
    except uploads.UploadGone as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:import")
    organisation = Organisation.objects.filter(pk=upload.meta.get("organisation")).first()
    if organisation is None:
        messages.error(request, _("The organisation no longer exists. Upload the form again."))
        return redirect("surveys:import")
    try:
        survey = services.survey_import_xlsform(
            actor=request.user,
            organisation=organisation,
            data=bytes(upload.content),
            title=upload.meta.get("title", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:import")
    uploads.discard(user=request.user, key=key)
    messages.success(request, _("The form is imported as a draft survey."))
    return redirect("surveys:detail", slug=survey.slug)
