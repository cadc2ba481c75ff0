from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.forms import (
    SubmitOnceMixin,
    VersionedFormMixin,
    initial_from_related,
    term_choices,
)
from hjulet.core.models import County, Municipality, Vocabulary
from hjulet.core.selectors import active_terms
from hjulet.knowledge.models import Initiative

from .models import AdviceNote, AdviceRequest, Audience, FundingCall, Service, SupportStructure
from .selectors import CallFilters


def _municipality_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Municipality.objects.select_related("county").order_by("name"),
        empty_label=_("Choose municipality"),
        **kwargs,
    )


class AreaFormMixin(forms.Form):
    """Whom it is for and which area it covers, as the services take them."""

    audiences = forms.MultipleChoiceField(
        choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties"),
        queryset=County.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("When the area is counties. Hold Ctrl (or ⌘) to choose several."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("When the area is municipalities. Hold Ctrl (or ⌘) to choose several."),
    )

    def _init_area(self) -> None:
        initial_from_related(self, "counties", "municipalities")
        if self.instance.pk:
            self.fields["audiences"].initial = self.instance.audiences
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass  # validated by the service, which speaks for both the form and the API


class StructureForm(VersionedFormMixin, AreaFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose organisation"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    services = forms.MultipleChoiceField(
        label=_("What you offer"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SupportStructure
        fields = [
            "summary",
            "description",
            "scope",
            "contact_name",
            "contact_email",
            "phone",
            "website",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audiences"].label = _("Whom you serve")
        self._init_area()
        if self.instance.pk:
            del self.fields["organisation"]
            self.fields["services"].initial = self.instance.services
        else:
            organisations = Organisation.objects.filter(support_structure__isnull=True)
            if user is not None and not user.is_coordinator:
                organisations = organisations.filter(
                    memberships__user=user, memberships__role="admin"
                )
            self.fields["organisation"].queryset = organisations.order_by("name")
        self.order_fields(
            ["organisation", "summary", "description", "services", "audiences", "scope"]
        )


class CallForm(VersionedFormMixin, AreaFormMixin, forms.ModelForm):
    link = forms.URLField(label=_("Link to the call"), required=False, assume_scheme="https")
    funder = forms.ModelChoiceField(
        label=_("Funder"), queryset=Organisation.objects.none(), empty_label=_("Choose funder")
    )
    challenges = term_choices(Vocabulary.CHALLENGE, _("Societal challenges"))
    sdgs = term_choices(Vocabulary.SDG, _("Agenda 2030 goals"))

    class Meta:
        model = FundingCall
        fields = [
            "title",
            "purpose",
            "eligibility",
            "scope",
            "amount_min",
            "amount_max",
            "co_financing",
            "opens_on",
            "deadline",
            "link",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audiences"].label = _("Who may apply")
        self._init_area()
        initial_from_related(self, "challenges", "sdgs")
        if self.instance.pk:
            del self.fields["funder"]
        else:
            funders = Organisation.objects.order_by("name")
            if user is not None and not user.is_coordinator:
                funders = funders.filter(memberships__user=user)
            self.fields["funder"].queryset = funders
            self.order_fields(["funder"])


class RequestForm(SubmitOnceMixin, forms.Form):
    title = forms.CharField(label=_("Your idea in a few words"), max_length=200)
    description = forms.CharField(
        label=_("Describe your idea and what you need help with"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    municipality = _municipality_field(
        label=_("Where are you?"), help_text=_("The municipality where the idea would happen.")
    )
    needs = forms.MultipleChoiceField(
        label=_("What do you need?"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                memberships__user=user
            ).order_by("name")
        if not self.fields["organisation"].queryset.exists():
            del self.fields["organisation"]


class AssignForm(VersionedFormMixin):
    adviser = forms.ModelChoiceField(
        label=_("Adviser"), queryset=None, empty_label=_("Choose adviser")
    )

    def __init__(self, *args, advisers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from hjulet.accounts.models import User

        self.fields["adviser"].queryset = User.objects.filter(pk__in=[a.pk for a in advisers])
        self.fields["adviser"].label_from_instance = lambda u: u.display_name


class ForwardForm(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Support structure"),
        queryset=SupportStructure.objects.select_related("organisation").order_by(
            "organisation__name"
        ),
        empty_label=_("Choose support structure"),
    )

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if request is not None:
            self.fields["structure"].queryset = self.fields["structure"].queryset.exclude(
                advice_requests=request
            )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AdviceNote.Kind.choices)
    met_on = forms.DateField(
        label=_("Meeting date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for meetings."),
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(VersionedFormMixin):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose outcome")), *AdviceRequest.Outcome.choices],
    )
    note = forms.CharField(
        label=_("About the outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Where it was referred, or the science-shop question (text or link). Optional for "
            "advice given."
        ),
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative in the knowledge bank"),
        queryset=Initiative.objects.order_by("title"),
        required=False,
        empty_label=_("No initiative"),
        help_text=_("When the request became an initiative."),
    )


class DirectoryFilterForm(forms.Form):
    municipality = _municipality_field(label=_("Where are you?"), required=False)
    need = forms.ChoiceField(
        label=_("What do you need?"),
        choices=[("", _("Anything")), *Service.choices],
        required=False,
    )
    audience = forms.ChoiceField(
        label=_("Who are you?"),
        choices=[("", _("Anyone")), *Audience.choices],
        required=False,
    )


class CallFilterForm(forms.Form):
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    municipality = _municipality_field(label=_("Where are you?"), required=False)
    audience = forms.ChoiceField(
        label=_("Who are you?"),
        choices=[("", _("Anyone")), *Audience.choices],
        required=False,
    )
    challenge = forms.ChoiceField(label=_("Societal challenge"), required=False)
    include_closed = forms.BooleanField(label=_("Include closed calls"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].choices = [("", _("Any challenge"))] + [
            (t.code, t.label) for t in active_terms(Vocabulary.CHALLENGE)
        ]

    def filters(self) -> CallFilters:
        """The calls the visitor asked for (the list page and its download): what is not
        valid is left out, as if it had not been given."""
        data = self.cleaned_data if self.is_valid() else {}
        return CallFilters(
            open_now=data.get("open_now", False),
            municipality=data.get("municipality"),
            audience=data.get("audience", ""),
            challenge=data.get("challenge", ""),
            include_closed=data.get("include_closed", False),
        )
