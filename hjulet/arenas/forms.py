from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.forms import SubmitOnceMixin, VersionedFormMixin, term_choices
from hjulet.core.models import Municipality, Vocabulary

from .models import (
    Arena,
    ArenaRole,
    Challenge,
    Decision,
    Event,
    PartnershipAgreement,
    PersonRole,
    ReportReason,
)


class ChallengeForm(SubmitOnceMixin, forms.ModelForm):
    owner = forms.ChoiceField(label=_("Posted by"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name")
    )
    challenges = term_choices(Vocabulary.CHALLENGE, _("Societal challenges"))
    sdgs = term_choices(Vocabulary.SDG, _("Agenda 2030 goals"))

    class Meta:
        model = Challenge
        fields = [
            "title",
            "problem",
            "affected",
            "ideas_from",
            "develop_from",
            "test_from",
            "evaluate_from",
            "ends_on",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "affected": forms.Textarea(attrs={"rows": 3}),
            **{
                name: forms.DateInput(attrs={"type": "date"})
                for name in ("ideas_from", "develop_from", "test_from", "evaluate_from", "ends_on")
            },
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        arenas = Arena.objects.order_by("name")
        organisations = Organisation.objects.order_by("name")
        if user is not None and not user.is_coordinator:
            arenas = arenas.filter(_coordinated_by(user)).distinct()
            organisations = organisations.filter(memberships__user=user)
        self.fields["owner"].choices = [
            (_("Arenas"), [(f"arena:{a.pk}", a.name) for a in arenas]),
            (_("Organisations"), [(f"organisation:{o.pk}", o.name) for o in organisations]),
        ]
        self.order_fields(["owner", "title", "problem", "affected", "municipality"])

    def clean_owner(self) -> dict:
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "arena":
            return {"arena": Arena.objects.get(pk=pk)}
        return {"organisation": Organisation.objects.get(pk=pk)}


def _coordinated_by(user) -> Q:
    return Q(people__user=user, people__role=PersonRole.COORDINATOR) | Q(
        memberships__role=ArenaRole.LEAD, memberships__organisation__memberships__user=user
    )


class IdeaForm(SubmitOnceMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Your idea in a few words"), max_length=200)
    body = forms.CharField(
        label=_("Describe the idea"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would you do, for whom, and what could we test first?"),
    )


class CommentForm(SubmitOnceMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Answer for"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Only myself"),
        help_text=_("Answering for an organisation shows its name next to yours."),
    )

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in organisations]
            ).order_by("name")
        else:
            del self.fields["organisation"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this?"), choices=ReportReason.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation to the author"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class EventForm(SubmitOnceMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "title", "starts_at", "place", "capacity"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class AgreementForm(SubmitOnceMixin, forms.ModelForm):
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PartnershipAgreement
        fields = ["title", "kind", "purpose", "starts_on", "ends_on", "status", "document"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {"document": _("PDF, at most 5 MB.")}

    def __init__(self, *args, arena=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Organisation.objects.filter(
            pk__in=arena.memberships.values("organisation")
        ).order_by("name")
        self.order_fields(["title", "kind", "parties"])
