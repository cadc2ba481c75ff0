from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.core.forms import VersionedFormMixin, checkbox_choices, initial_from_related

from .models import (
    ELEMENT_ORDER,
    ChangeElement,
    ElementKind,
    ImpactReport,
    Indicator,
    Measurement,
    SroiAnalysis,
    SroiInput,
    SroiOutcome,
    TestCycle,
    TheoryOfChange,
)
from .services import (
    ANALYSIS_FIELDS,
    ELEMENT_FIELDS,
    OUTCOME_VALUE_FIELDS,
    REPORT_FIELDS,
    TEST_CYCLE_FIELDS,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TheoryForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TheoryOfChange
        fields = ["summary"]
        widgets = {"summary": _text(3)}


class ElementForm(VersionedFormMixin, forms.ModelForm):
    comes_from = checkbox_choices(_("Comes from (earlier steps that lead here)"))

    class Meta:
        model = ChangeElement
        fields = ELEMENT_FIELDS
        widgets = {"description": _text(2)}

    def __init__(self, *args, theory: TheoryOfChange | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        elements = theory.elements.all() if theory else ChangeElement.objects.none()
        if self.instance.pk:  # editing: a step does not come from itself
            elements = elements.exclude(pk=self.instance.pk)
            self.fields["comes_from"].initial = list(self.instance.comes_from.all())
        self.fields["comes_from"].queryset = elements
        self.fields["comes_from"].label_from_instance = lambda e: (
            f"{ElementKind(e.kind).label}: {e.title}"
        )

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind:
            later = [
                e.title
                for e in data.get("comes_from") or []
                if ELEMENT_ORDER.index(e.kind) >= ELEMENT_ORDER.index(kind)
            ]
            if later:
                self.add_error(
                    "comes_from",
                    _("An arrow goes forward; these are not earlier steps: %(titles)s.")
                    % {"titles": ", ".join(later)},
                )
        return data


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "outcome",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "data_source",
            "breakdown",
            "iris_id",
        ]
        widgets = {"baseline_date": DATE, "target_date": DATE}

    def __init__(self, *args, initiative=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = ChangeElement.objects.filter(
            theory__initiative=initiative, kind__in=["short_term", "long_term"]
        )


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["value", "date", "breakdown_value", "comment"]
        widgets = {"date": DATE, "comment": _text(2)}


class TestCycleForm(VersionedFormMixin, forms.ModelForm):
    __test__ = False

    indicators = checkbox_choices(_("Indicators it moved"))

    class Meta:
        model = TestCycle
        fields = TEST_CYCLE_FIELDS
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "hypothesis": _text(2),
            "tried": _text(3),
            "result": _text(3),
            "learned": _text(3),
        }

    def __init__(self, *args, initiative=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.filter(initiative=initiative)
        initial_from_related(self, "indicators")


class AnalysisForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SroiAnalysis
        fields = ANALYSIS_FIELDS
        widgets = {"description": _text(3)}


class InputForm(forms.ModelForm):
    stakeholder = forms.CharField(label=_("Stakeholder"), max_length=150)

    class Meta:
        model = SroiInput
        fields = ["description", "value"]


class OutcomeForm(VersionedFormMixin, forms.ModelForm):
    stakeholder = forms.CharField(label=_("Stakeholder"), max_length=150)

    class Meta:
        model = SroiOutcome
        fields = OUTCOME_VALUE_FIELDS  # the stakeholder by name, above

    field_order = ["stakeholder"]

    def __init__(self, *args, initiative=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(initiative=initiative)
        if self.instance.pk:
            self.fields["stakeholder"].initial = self.instance.stakeholder.name


class ReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ImpactReport
        fields = REPORT_FIELDS
        widgets = {name: _text(4) for name in REPORT_FIELDS if name != "sroi"}

    def __init__(self, *args, initiative=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sroi"].queryset = SroiAnalysis.objects.filter(initiative=initiative)
