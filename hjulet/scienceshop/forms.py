from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation, Role, User
from hjulet.core.forms import SubmitOnceMixin, VersionedFormMixin, term_choices
from hjulet.core.models import Vocabulary

from .models import (
    AssignmentKind,
    Meeting,
    OutcomeKind,
    ResearcherProfile,
    ThesisLevel,
    UseOfResult,
)
from .workflow import DECISIONS, Status

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes or no.")},
    )


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class QuestionForm(SubmitOnceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Asking organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    background = forms.CharField(
        label=_("Background"),
        widget=_text(),
        help_text=_("What is the situation, and why does the question matter?"),
    )
    wanted_knowledge = forms.CharField(
        label=_("What do you want to know?"),
        widget=_text(),
        help_text=_("The question itself, as precisely as you can."),
    )
    intended_use = forms.CharField(
        label=_("How will you use the answer?"),
        widget=_text(3),
        help_text=_("What you will do differently, and who will benefit."),
    )
    non_commercial = _yes_no(_("Is the question asked without commercial interest?"))
    results_may_be_public = _yes_no(
        _("May the results be made public?"),
        _("Knowledge summaries are published openly on Hjulet."),
    )
    lacks_means = _yes_no(
        _("Does your organisation lack the means to get this knowledge in another way?"),
        _("For example money to commission a study."),
    )
    challenges = term_choices(Vocabulary.CHALLENGE, _("Societal challenges"))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(memberships__user=user).distinct()
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class FormulationForm(forms.Form):
    text = forms.CharField(label=_("New formulation of the question"), widget=_text())
    comment = forms.CharField(
        label=_("Comment"),
        widget=_text(2),
        required=False,
        help_text=_("What changed, and why."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s, Status(s).label) for s in DECISIONS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=_text(3),
        help_text=_("The organisation that asked will read it."),
    )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinator"),
        widget=_text(3),
        required=False,
        help_text=_("What you could contribute, and when."),
    )


def _researchers():
    return User.objects.filter(role_grants__role=Role.RESEARCHER, is_active=True).order_by(
        "name", "email"
    )


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who takes the question on?"),
        choices=AssignmentKind.choices,
        widget=forms.RadioSelect,
        initial=AssignmentKind.RESEARCHER,
    )
    researcher = forms.ModelChoiceField(
        label=_("Researcher"), queryset=User.objects.none(), required=False
    )
    students = forms.CharField(
        label=_("Students"), max_length=300, required=False, help_text=_("For a student project.")
    )
    thesis_level = forms.ChoiceField(
        label=_("Thesis level"), choices=[("", "—"), *ThesisLevel.choices], required=False
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = _researchers()
        self.fields["supervisor"].queryset = _researchers()


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "duration_minutes", "place", "participants", "notes", "next_steps"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "participants": _text(2),
            "notes": _text(),
            "next_steps": _text(3),
        }


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What became of the question?"),
        choices=OutcomeKind.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title of the knowledge summary"), required=False)
    summary = forms.CharField(
        label=_("Knowledge summary"),
        widget=_text(8),
        required=False,
        help_text=_("What is known, in plain Swedish; published openly."),
    )
    challenges = term_choices(Vocabulary.CHALLENGE, _("Societal challenges"))
    funder = forms.CharField(label=_("Funder of the research project"), required=False)
    link = forms.URLField(
        label=_("Link to the research project"), required=False, assume_scheme="https"
    )
    reason = forms.CharField(label=_("Reason for closing"), widget=_text(3), required=False)


class FollowUpForm(forms.Form):
    was_used = forms.ChoiceField(
        label=_("Was the result used?"), choices=UseOfResult.choices, widget=forms.RadioSelect
    )
    how = forms.CharField(label=_("How, or why not?"), widget=_text(3))


class ResearcherProfileForm(forms.ModelForm):
    class Meta:
        model = ResearcherProfile
        fields = ["university", "department", "expertise", "earlier_work", "is_available"]
        widgets = {"expertise": _text(), "earlier_work": _text()}
