"""Pages for importing initiatives from a spreadsheet: upload, preview, import."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hjulet.accounts.models import Organisation
from hjulet.core.models import Vocabulary
from hjulet.core.pages import form_page
from hjulet.core.selectors import active_terms
from hjulet.lib.tabular import to_csv

from . import import_jobs, import_mapping, importing, participedia
from .models import ColumnMapping, ImportBatch


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
    saved_mapping = forms.ModelChoiceField(
        label=gettext_lazy("Saved column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=gettext_lazy("None: propose one from the column names"),
        help_text=gettext_lazy(
            "A mapping of the lead organisation saved from an earlier file with the same "
            "column names."
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        leads = Organisation.objects.order_by("name")
        if not user.is_coordinator:
            leads = leads.filter(memberships__user=user)
        self.fields["lead"].queryset = leads
        mappings = import_mapping.usable_mappings(user)
        if mappings.exists():
            self.fields["saved_mapping"].queryset = mappings
            self.fields["saved_mapping"].label_from_instance = lambda m: (
                f"{m.organisation.name}: {m.name}"
            )
        else:
            del self.fields["saved_mapping"]
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "megabytes": f"{importing.max_bytes() / 1024 / 1024:.0f}"
        }


def _own_batch(request: HttpRequest, pk: int) -> ImportBatch:
    return import_jobs.uploaders_batch(request.user, pk)


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
    return form_page(
        request,
        form,
        lambda _version, file, lead, saved_mapping=None: import_jobs.start_import(
            actor=request.user, upload=file, lead=lead, saved_mapping=saved_mapping
        ),
        template="knowledge/import_upload.html",
        success_url=lambda batch: reverse("knowledge:import-preview", args=[batch.pk]),
        context=lambda: {
            "columns": importing.columns_help(),
            "vocabularies": [
                (_("Stages"), active_terms(Vocabulary.STAGE)),
                (_("Societal challenges"), active_terms(Vocabulary.CHALLENGE)),
                (_("Target groups"), active_terms(Vocabulary.TARGET_GROUP)),
                (_("Agenda 2030 goals"), active_terms(Vocabulary.SDG)),
            ],
            "background_rows": import_jobs.background_rows(),
        },
    )


def _mapping_context(batch: ImportBatch, chosen: import_mapping.Mapping | None) -> dict:
    if not batch.mapping:
        return {}
    mapping = chosen or import_mapping.Mapping.from_json(batch.mapping)
    missing = importing.mapping_missing(batch) if chosen is None else []
    return {
        "mapping_rows": mapping.rows(),
        "mapping_missing": missing,
        "mapping_open": bool(missing or chosen or batch.error_count),
        "field_choices": import_mapping.field_choices(),
        "default_stage": mapping.defaults.get("stage", ""),
        "stages": active_terms(Vocabulary.STAGE),
    }


def _render_preview(
    request: HttpRequest,
    batch: ImportBatch,
    *,
    chosen: import_mapping.Mapping | None = None,
    mapping_errors: list[str] | None = None,
    save_as: str = "",
) -> HttpResponse:
    good = batch.row_count - batch.error_count
    return render(
        request,
        "knowledge/import_preview.html",
        {
            "batch": batch,
            "mappings": participedia.batch_mappings(batch)
            if batch.status == ImportBatch.Status.PREVIEWED
            else None,
            "progress": import_jobs.progress_of(batch),
            "can_commit": import_jobs.can_commit(batch),
            "can_commit_good_rows": import_jobs.can_commit_good_rows(batch),
            "ok_count": good,
            "commit_label": (
                ngettext("Import %(count)d method", "Import %(count)d methods", batch.row_count)
                if batch.format == ImportBatch.Format.PARTICIPEDIA_METHODS
                else ngettext(
                    "Import %(count)d initiative", "Import %(count)d initiatives", batch.row_count
                )
            )
            % {"count": batch.row_count},
            "good_rows_label": ngettext(
                "Import the %(count)d correct row", "Import the %(count)d correct rows", good
            )
            % {"count": good},
            "mapping_errors": mapping_errors or [],
            "save_as": save_as,
            **_mapping_context(batch, chosen),
        },
        status=400 if mapping_errors else 200,
    )


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_preview(request, _own_batch(request, pk))


@login_required
@require_POST
def remap(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the file again through the columns chosen on the preview page; save the
    mapping under a name when one is given."""
    batch = _own_batch(request, pk)
    if not batch.mapping:
        raise PermissionDenied(_("This import has no column mapping."))
    if batch.phase:  # the worker has the file (a large one's columns are checked there too)
        messages.error(request, _("The file is still being checked. Wait until the check is done."))
        return redirect("knowledge:import-preview", pk=batch.pk)
    header = batch.mapping["header"]
    chosen = import_mapping.Mapping(
        header,
        [request.POST.get(f"field-{i}", "") for i in range(len(header))],
        {"stage": request.POST.get("default-stage", "")},
    )
    save_as = request.POST.get("save_as", "").strip()
    try:
        batch = import_jobs.remap_import(actor=request.user, batch=batch, mapping=chosen)
        if save_as:
            import_mapping.column_mapping_save(
                actor=request.user, organisation=batch.lead, name=save_as, mapping=chosen
            )
    except ValidationError as error:
        return _render_preview(
            request, batch, chosen=chosen, mapping_errors=error.messages, save_as=save_as
        )
    if save_as:
        messages.success(
            request,
            _("The column mapping was saved as “%(name)s”.") % {"name": " ".join(save_as.split())},
        )
    return redirect("knowledge:import-preview", pk=batch.pk)


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    skip_bad_rows = request.POST.get("skip_bad_rows") == "1"
    if skip_bad_rows and not request.POST.get("confirm_skip"):
        messages.error(request, _("Tick the box to confirm that the rows with errors are skipped."))
        return redirect("knowledge:import-preview", pk=batch.pk)
    try:
        count = import_jobs.commit_import(
            actor=request.user, batch=batch, skip_bad_rows=skip_bad_rows
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("knowledge:import-preview", pk=batch.pk)
    if count is None:  # in the background: the page shows the progress
        return redirect("knowledge:import-preview", pk=batch.pk)
    if batch.format == ImportBatch.Format.PARTICIPEDIA_METHODS:
        messages.success(
            request,
            ngettext("%(count)d method was imported.", "%(count)d methods were imported.", count)
            % {"count": count},
        )
        return redirect("knowledge:method-list")
    messages.success(
        request,
        ngettext(
            "%(count)d initiative was imported.", "%(count)d initiatives were imported.", count
        )
        % {"count": count},
    )
    batch.refresh_from_db()
    if batch.skipped_count:
        messages.warning(
            request,
            ngettext(
                "%(count)d row with errors was skipped.",
                "%(count)d rows with errors were skipped.",
                batch.skipped_count,
            )
            % {"count": batch.skipped_count},
        )
    return redirect("knowledge:initiative-list")


@login_required
def errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The errors of a checked file as CSV: row, column, message."""
    return errors_csv_response(_own_batch(request, pk))


def errors_csv_response(batch: ImportBatch) -> HttpResponse:
    """Every error of the checked file as CSV (row, column, message), to download."""
    response = HttpResponse(import_mapping.error_report_csv(batch), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="hjulet-import-{batch.pk}-fel.csv"'
    return response


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
    batches = list(
        ImportBatch.objects.filter(user=request.user)
        .select_related("lead")
        .defer("content", "report")[:200]
    )
    batches = [import_jobs.fail_if_stale(batch) for batch in batches]
    return render(request, "knowledge/import_list.html", {"batches": batches})
