import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import page_cache, services
from .models import Frequency, SearchSynonym, Term
from .selectors import active_terms


class VersionedFormMixin(forms.Form):
    """Carries the version the editor started from, for conflict detection."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and hasattr(instance, "version"):
            self.fields["version"].initial = instance.version


class SubmitOnceMixin(forms.Form):
    """Carries a token that makes sending the form twice do what sending it once does."""

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4()
        page_cache.not_for_visitors()  # one token per person: the page can't be shared


def checkbox_choices(
    label: str, queryset: QuerySet | None = None
) -> forms.ModelMultipleChoiceField:
    """Optional checkboxes, one a row of ``queryset``; without it the form's ``__init__``
    sets the rows (when they depend on the form's object)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def term_choices(vocabulary: str, label: str) -> forms.ModelMultipleChoiceField:
    """Optional checkboxes of a vocabulary's active terms (societal challenges, target
    groups, Agenda 2030 goals …). The query runs anew for each form, so a term a
    coordinator adds or retires shows at once."""
    return checkbox_choices(label, active_terms(vocabulary).select_related("vocabulary"))


def initial_from_related(form: forms.BaseForm, *names: str) -> None:
    """A form that edits an object starts its many-choice fields ``names`` with what the
    object has (``instance.<name>``); a new object starts with none."""
    if form.instance.pk:
        for name in names:
            form.fields[name].initial = list(getattr(form.instance, name).all())


class TermForm(SubmitOnceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = [
            "label_sv",
            "label_en",
            "code",
            "description_sv",
            "description_en",
            "position",
            "is_active",
        ]
        help_texts = {
            "code": _(
                "A short stable identifier used in the API and in links, e.g. "
                "'segregation'. Lowercase letters, digits and hyphens."
            ),
        }
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["position"].required = False


class SearchSynonymForm(SubmitOnceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SearchSynonym
        fields = ["words", "note"]
        labels = {"words": _("Words"), "note": _("Note (optional)")}
        help_texts = {
            "words": _(
                "Words that mean about the same, separated by commas, e.g. "
                "'äldre, seniorer, pensionärer'. A search for one also finds the others, "
                "after the texts with the word itself."
            ),
        }
        widgets = {"words": forms.TextInput()}


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action begins with"), required=False)
    actor = forms.CharField(label=_("Who (e-mail)"), required=False)
    target_type = forms.CharField(label=_("Object type"), required=False)
    target_id = forms.CharField(label=_("Object id"), required=False)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a page with a form; 400 when the form has errors, so clients and tests see it."""
    status = 400 if context["form"].errors else 200
    return render(request, template, context, status=status)


def submit_form(request: HttpRequest, form: forms.BaseForm, save: Callable[..., Any]) -> Any | None:
    """On a POST with a valid form, call ``save(version, **cleaned_data)`` (``version`` is
    what a versioned form carried, else None) and return its result. A service's
    ValidationError is put on the form instead, and None returned. A form with
    ``SubmitOnceMixin`` sent again returns what the first sending made, without saving."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    token = data.pop("submission", None)
    try:
        result, _first = services.submit_once(
            token=token, actor=request.user, save=lambda: save(version, **data)
        )
        return result
    except ValidationError as error:
        add_service_errors(form, error)
        return None


class NotificationPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send notifications by e-mail"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )


class PictureForm(SubmitOnceMixin, forms.Form):
    """A picture and what it shows. The service checks the file and the description; the
    form only carries them."""

    image = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, at most 10 MB. Position data and other metadata are removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Description (alt text)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What the picture shows, in a sentence, for those who cannot see it: "
            "'Three people planting vegetables in raised beds outside a block of flats'."
        ),
    )
    is_decorative = forms.BooleanField(
        label=_("The picture is only decorative and shows nothing the text does not say"),
        required=False,
    )
