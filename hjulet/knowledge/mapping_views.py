"""Pages for the imports' value-mapping table and for accepting proposed methods."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hjulet.core.models import Term, Vocabulary
from hjulet.core.pages import form_page
from hjulet.core.permissions import require_coordinator

from . import import_jobs, import_mappings, participedia
from .models import ImportValueMapping


class ValueMappingForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("Source"), choices=ImportValueMapping.Source.choices
    )
    vocabulary = forms.ModelChoiceField(
        label=gettext_lazy("Vocabulary"),
        queryset=Vocabulary.objects.filter(slug__in=import_mappings.MAPPED_VOCABULARIES),
        empty_label=gettext_lazy("Choose vocabulary"),
    )
    value = forms.CharField(
        label=gettext_lazy("Value in the file"),
        max_length=200,
        help_text=gettext_lazy("As the file writes it, e.g. mental_health."),
    )
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"),
        queryset=Term.objects.none(),
        required=False,
        empty_label=gettext_lazy("Skip the value"),
        help_text=gettext_lazy("A term of the chosen vocabulary, or skip: the value is left out."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = import_mappings.mapping_terms()
        self.fields["term"].label_from_instance = lambda t: f"{t.vocabulary.name}: {t.label}"


@login_required
def value_mappings(request: HttpRequest) -> HttpResponse:
    """The table, and a form to add or change one value (coordinators)."""
    require_coordinator(request.user)
    back = request.POST.get("next", "")
    if not back.startswith("/initiativ/import/"):
        back = reverse("knowledge:value-mappings")
    return form_page(
        request,
        ValueMappingForm(request.POST or None, initial=request.GET or None),
        lambda _version, **data: import_mappings.value_mapping_set(actor=request.user, **data),
        template="knowledge/value_mappings.html",
        success_message=_("The mapping is saved."),
        success_url=back,
        context=lambda: {
            "mappings": import_mappings.value_mappings(),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@require_POST
def value_mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request.user)
    mapping = get_object_or_404(ImportValueMapping, pk=pk)
    import_mappings.value_mapping_delete(actor=request.user, mapping=mapping)
    messages.success(request, _("The mapping is removed."))
    return redirect("knowledge:value-mappings")


@login_required
@require_POST
def accept_methods(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the proposed methods the coordinator ticked on the preview."""
    batch = import_jobs.uploaders_batch(request.user, pk)
    try:
        created = participedia.method_proposals_accept(
            actor=request.user, batch=batch, titles=request.POST.getlist("title")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d method was created.", "%(count)d methods were created.", len(created)
            )
            % {"count": len(created)},
        )
    return redirect("knowledge:import-preview", pk=batch.pk)
