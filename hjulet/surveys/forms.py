from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import MembershipRole, Organisation
from hjulet.core.forms import VersionedFormMixin
from hjulet.core.models import County, Term, Vocabulary

from .models import BlockKind, CodeFactor, Question, QuestionType, Report, Survey
from .services import REPORT_FIELDS, SURVEY_FIELDS
from .xlsform import MAX_BYTES


def manageable_organisations(user) -> "forms.QuerySet":
    if user.is_coordinator:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.ADMIN
    ).distinct()


class SurveyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = SURVEY_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=manageable_organisations(user), label=_("Organisation")
            )

    def clean_languages(self) -> str:
        codes = [c.strip() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        if not codes or any(code not in ("sv", "en") for code in codes):
            raise forms.ValidationError(_("Use sv, en or sv,en."))
        return ",".join(codes)


class XLSFormUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Owner"))
    file = forms.FileField(label=_("XLSForm (.xlsx)"))
    title = forms.CharField(
        label=_("Title"), required=False, help_text=_("Leave empty to use form_title.")
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user)

    def clean_file(self):
        # Refused before the view reads the upload into memory (parse_xlsform checks again).
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class AccessForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    note = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=200,
        help_text=_("For example: research partner at Umeå University, project Social Innovation."),
    )


class QuestionForm(VersionedFormMixin, forms.ModelForm):
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One option per line, in order: value | Swedish label | English label. "
            "Only for choice and Likert questions."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "type",
            "name",
            "label_sv",
            "label_en",
            "hint_sv",
            "hint_en",
            "group",
            "required",
            "relevant",
            "constraint",
            "constraint_message_sv",
            "constraint_message_en",
            "choice_filter",
            "calculation",
            "appearance",
        ]
        widgets = {
            "label_sv": forms.Textarea(attrs={"rows": 2}),
            "label_en": forms.Textarea(attrs={"rows": 2}),
            "hint_sv": forms.Textarea(attrs={"rows": 2}),
            "hint_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = survey.questions.filter(type=QuestionType.GROUP)
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
            self.fields["choices"].initial = "\n".join(
                " | ".join(part for part in (c.name, c.label_sv, c.label_en) if part)
                for c in self.instance.choices.all()
            )
        self.fields["group"].queryset = groups


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One address per line (or separated by commas)."),
    )
    # Chosen with the organisation picker (OrganisationFilterForm) and carried as hidden fields.
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        label=_("Member organisations"),
        widget=forms.MultipleHiddenInput,
    )

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        emails = [line.strip() for line in raw.splitlines() if line.strip()]
        field = forms.EmailField()
        bad = []
        for email in emails:
            try:
                field.clean(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(
                _("Not e-mail addresses: %(list)s") % {"list": ", ".join(bad)}
            )
        return emails

    def clean(self):
        data = super().clean()
        if not data.get("emails") and not data.get("organisations") and not self.errors:
            raise forms.ValidationError(_("Give at least one address or organisation."))
        return data


class OrganisationFilterForm(forms.Form):
    """The organisation picker's filters (a GET form: it works without JavaScript)."""

    q = forms.CharField(label=_("Name or municipality"), required=False, max_length=100)
    county = forms.ChoiceField(label=_("County"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    arena = forms.ChoiceField(label=_("Members of the arena"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        from hjulet.arenas.models import Arena

        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["county"].choices = everyone + [
            (c.code, c.name) for c in County.objects.order_by("name")
        ]
        self.fields["sector"].choices = everyone + [
            (t.code, t.label) for t in Term.objects.in_vocabulary(Vocabulary.SECTOR)
        ]
        self.fields["arena"].choices = everyone + [
            (str(a.pk), a.name) for a in Arena.objects.order_by("name")
        ]


class SegmentForm(forms.Form):
    county = forms.MultipleChoiceField(label=_("County"), required=False)
    sector = forms.MultipleChoiceField(label=_("Sector"), required=False)
    row = forms.ChoiceField(label=_("Cross-tabulate"), required=False)
    col = forms.ChoiceField(label=_("against"), required=False)

    def __init__(self, *args, questions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.code, c.name) for c in County.objects.order_by("code")]
        self.fields["sector"].choices = [
            (t.code, t.label) for t in Term.objects.in_vocabulary(Vocabulary.SECTOR)
        ]
        single = [("", "—")] + [
            (q.name, f"{q.name}: {q.label[:60]}")
            for q in questions
            if q.type in (QuestionType.SELECT_ONE, QuestionType.LIKERT)
        ]
        self.fields["row"].choices = single
        self.fields["col"].choices = single


class CodeForm(forms.Form):
    label = forms.CharField(label=_("New code"), max_length=100)


class CodingForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Codes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    factor = forms.ChoiceField(label=_("Factor"), choices=CodeFactor.choices, required=False)


class ReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = REPORT_FIELDS
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}


class QuestionChoiceField(forms.ModelChoiceField):
    """A question by its label (the name is for the form's builder, not for readers)."""

    def label_from_instance(self, obj: Question) -> str:
        label = " ".join((obj.label_sv or obj.label_en or obj.name).split())
        return label if len(label) <= 120 else label[:119] + "…"


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BlockKind.choices)
    heading = forms.CharField(label=_("Heading"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a chart: the text description shown with it."),
    )
    question = QuestionChoiceField(
        label=_("Question"),
        queryset=Question.objects.none(),
        required=False,
        help_text=_("For a chart or a table of codes."),
    )

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = survey.questions.exclude(
            type__in=(QuestionType.NOTE, QuestionType.GROUP)
        ).order_by("position", "pk")
