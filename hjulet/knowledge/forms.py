from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.forms import (
    SubmitOnceMixin,
    VersionedFormMixin,
    checkbox_choices,
    initial_from_related,
    term_choices,
)
from hjulet.core.models import Municipality, Vocabulary, in_english
from hjulet.core.selectors import active_terms
from hjulet.lib import countries

from .models import Initiative, Language, Method, PartnerRole
from .services import TAGS


class TaggedFormMixin(forms.Form):
    """What the forms of methods and initiatives share: challenges, target groups and
    Agenda 2030 goals as checkboxes of active terms, the language and the version."""

    challenges = term_choices(Vocabulary.CHALLENGE, _("Societal challenges"))
    target_groups = term_choices(Vocabulary.TARGET_GROUP, _("Target groups"))
    sdgs = term_choices(Vocabulary.SDG, _("Agenda 2030 goals"))

    def _init_entry(self) -> None:
        """The entry's own tags ticked, the language that may be left out and the version
        edited."""
        initial_from_related(self, *TAGS)
        self.fields["language"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass  # validated by the service, which speaks for both the form and the API


class LanguageDefaultMixin:
    """The language field may be left out (a form sent without it): Swedish then."""

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or Language.SWEDISH


class MethodForm(
    LanguageDefaultMixin, SubmitOnceMixin, VersionedFormMixin, TaggedFormMixin, forms.ModelForm
):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that develop the method"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Method
        fields = [
            "title",
            "summary",
            "language",
            "what",
            "how",
            "why",
            "requirements",
            "evidence",
            "links",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("what", "how", "why", "requirements", "evidence", "links")
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._init_entry()
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        initial_from_related(self, "organisations")


class InitiativeForm(
    LanguageDefaultMixin, SubmitOnceMixin, VersionedFormMixin, TaggedFormMixin, forms.ModelForm
):
    lead = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose organisation"),
    )
    methods = checkbox_choices(_("Methods used"))

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "language",
            "description",
            "country",
            "municipality",
            "place",
            "address",
            "stage",
            "start_date",
            "end_date",
            "participants_reached",
            "results",
            "evidence",
            "contact_name",
            "contact_email",
            "links",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._init_entry()
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].empty_label = _("Choose municipality")
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"),
            choices=countries.choices("en" if in_english() else "sv"),
            initial=countries.SWEDEN,
            required=False,  # left out: Sweden
            help_text=_(
                "Sweden, or the country of an international example (then fill in the place "
                "instead of the municipality)."
            ),
        )
        self.fields["stage"].queryset = active_terms(Vocabulary.STAGE)
        self.fields["stage"].empty_label = _("Choose stage")
        self.fields["methods"].queryset = Method.objects.order_by("title")
        initial_from_related(self, "methods")
        if self.instance.pk:
            del self.fields["lead"]
        else:
            leads = Organisation.objects.order_by("name")
            if user is not None and not user.is_coordinator:
                leads = leads.filter(memberships__user=user)
            self.fields["lead"].queryset = leads
            self.order_fields(["lead"])

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["country"] = cleaned.get("country") or countries.SWEDEN
        if cleaned["country"] != countries.SWEDEN:
            cleaned["municipality"] = None  # abroad: the place says where
        return cleaned


class AdaptationForm(forms.Form):
    source_method = forms.ModelChoiceField(
        label=_("Adapted method"),
        queryset=Method.objects.order_by("title"),
        required=False,
        empty_label=_("No method"),
    )
    source_initiative = forms.ModelChoiceField(
        label=_("…or adapted initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("No initiative"),
    )
    what_changed = forms.CharField(
        label=_("What was changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Place, actors, target group, format…"),
    )
    why = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, initiative: Initiative, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_initiative"].queryset = (
            Initiative.objects.exclude(pk=initiative.pk)
            .select_related("municipality")
            .order_by("title")
        )


#: The initiative page offers at most this many organisations matching the name searched for.
PARTNER_CHOICES = 20


class PartnerForm(forms.Form):
    """Sent with any organisation; shown (``search``) with the few whose name contains the
    text searched for: a list of every organisation was 10,000 options and 700 kB on each
    view of the page by its editors."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (value, label) for value, label in PartnerRole.choices if value != PartnerRole.LEAD
        ],
    )

    def __init__(self, *args: Any, search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if search:
            field = self.fields["organisation"]
            found = field.queryset.filter(name__icontains=search)
            field.queryset = field.queryset.filter(
                pk__in=list(found.values_list("pk", flat=True)[:PARTNER_CHOICES])
            )


class EditorForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        empty_label=_("Choose a person"),
        help_text=_("Members of the lead organisation and of partners that have accepted."),
    )

    def __init__(self, *args, initiative: Initiative, **kwargs) -> None:
        from .services import editor_candidates

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = editor_candidates(initiative)
        # Names only: the members' addresses are not the lead's to see.
        self.fields["user"].label_from_instance = lambda user: user.display_name


class SimilarForm(forms.Form):
    title = forms.CharField(required=False)
    summary = forms.CharField(required=False)
