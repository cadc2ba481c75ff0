"""Pages for importing initiatives from a spreadsheet: upload, preview, import."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hjulet.accounts.models import Organisation
from hjulet.core.forms import add_service_errors, render_form
from hjulet.core.models import Vocabulary
from hjulet.core.selectors import active_terms
from hjulet.lib.tabular import to_csv

from . import import_jobs, importing
from .models import ImportBatch


class ImportForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=gettext_lazy("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("Choose organisation"),
        help_text=gettext_lazy("Every imported initiative is registered as led by it."),
    )
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        help_text=gettext_lazy(
            "CSV or Excel (.xlsx), at most %(megabytes)s MB, with the column names in the "
            "first row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        leads = Organisation.objects.order_by("name")
        if not user.is_coordinator:
            leads = leads.filter(memberships__user=user)
        self.fields["lead"].queryset = leads
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "megabytes": f"{importing.max_bytes() / 1024 / 1024:.0f}"
        }


def _own_batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("lead"), pk=pk)
    if batch.user_id != request.user.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can see this import."))
    return batch


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not request.user.is_coordinator and not form.fields["lead"].queryset.exists():
        messages.info(
            request,
            _(
                "Register your organisation first (or ask to be invited to "
                "it); an initiative is always led by an organisation."
            ),
        )
        return redirect("accounts:organisation-create")
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_jobs.start_import(
                actor=request.user,
                upload=form.cleaned_data["file"],
                lead=form.cleaned_data["lead"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("knowledge:import-preview", pk=batch.pk)
    vocabularies = [
        (_("Stages"), active_terms(Vocabulary.STAGE)),
        (_("Societal challenges"), active_terms(Vocabulary.CHALLENGE)),
        (_("Target groups"), active_terms(Vocabulary.TARGET_GROUP)),
        (_("Agenda 2030 goals"), active_terms(Vocabulary.SDG)),
    ]
    return render_form(
        request,
        "knowledge/import_upload.html",
        {
            "form": form,
            "columns": importing.columns_help(),
            "vocabularies": vocabularies,
            "background_rows": import_jobs.background_rows(),
        },
    )


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    return render(
        request,
        "knowledge/import_preview.html",
        {
            "batch": batch,
            "progress": import_jobs.progress_of(batch),
            "can_commit": import_jobs.can_commit(batch),
            "ok_count": batch.row_count - batch.error_count,
            "commit_label": ngettext(
                "Import %(count)d initiative", "Import %(count)d initiatives", batch.row_count
            )
            % {"count": batch.row_count},
        },
    )


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    try:
        count = import_jobs.commit_import(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("knowledge:import-preview", pk=batch.pk)
    if count is None:  # in the background: the page shows the progress
        return redirect("knowledge:import-preview", pk=batch.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d initiative was imported.", "%(count)d initiatives were imported.", count
        )
        % {"count": count},
    )
    return redirect("knowledge:initiative-list")


def template(request: HttpRequest) -> HttpResponse:
    """An empty spreadsheet with the column names, to fill in."""
    response = HttpResponse(to_csv(importing.import_template(), []), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="hjulet-import-mall.csv"'
    return response


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a batch the worker has, for the preview page to ask every two
    seconds (htmx). When the worker is done, htmx reloads the whole page."""
    batch = _own_batch(request, pk)
    response = render(
        request,
        "knowledge/_import_progress.html",
        {"batch": batch, "progress": import_jobs.progress_of(batch)},
    )
    if not batch.phase:
        response["HX-Refresh"] = "true"
    return response


@login_required
def my_imports(request: HttpRequest) -> HttpResponse:
    """ "Mina importer": the person's uploads, newest first, with how each went."""
    batches = (
        ImportBatch.objects.filter(user=request.user)
        .select_related("lead")
        .defer("content", "report")[:200]
    )
    return render(request, "knowledge/import_list.html", {"batches": batches})
