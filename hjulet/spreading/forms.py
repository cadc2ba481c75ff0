from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.forms import SubmitOnceMixin, VersionedFormMixin
from hjulet.core.models import County, Municipality
from hjulet.knowledge.models import Initiative

from .models import AdaptationDraft, SpreadPlan
from .services import DRAFT_FIELDS


class PlanForm(SubmitOnceMixin, forms.ModelForm):
    class Meta:
        model = SpreadPlan
        fields = [
            "title",
            "goal",
            "target_places",
            "target_year",
            "counties",
            "municipalities",
            "audiences",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "audiences": forms.Textarea(attrs={"rows": 3}),
            "counties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = County.objects.order_by("name")
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")


class StepForm(SubmitOnceMixin, forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    owner_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StartForm(SubmitOnceMixin, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Your municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Where you want to do it. You can choose later."),
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself, without an organisation"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user
        ).order_by("name")


class DraftForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AdaptationDraft
        fields = list(DRAFT_FIELDS)
        labels = {
            "target_group": _("Target group: who is it for here?"),
            "municipality": _("Place: which municipality?"),
            "partners": _("Partners: who will you work with?"),
            "financing": _("Financing: how is it paid for?"),
            "what_to_change": _("What will you change?"),
            "why": _("Why these changes?"),
            "achieved": _("What has it achieved so far? (optional)"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "target_group",
                "partners",
                "financing",
                "what_to_change",
                "why",
                "achieved",
            )
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user
        ).order_by("name")
        self.fields["initiative"].queryset = (
            Initiative.objects.filter(
                Q(partnerships__organisation__memberships__user=user) | Q(editors__user=user)
            )
            .distinct()
            .order_by("title")
        )


class StopForm(forms.Form):
    reason = forms.CharField(
        label=_("Why did it stop?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MessageForm(SubmitOnceMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
