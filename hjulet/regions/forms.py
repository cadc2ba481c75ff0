from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.core.forms import SubmitOnceMixin, checkbox_choices
from hjulet.core.models import County, Municipality

from .models import Hub, HubRole


class HubForm(SubmitOnceMixin, forms.ModelForm):
    counties = checkbox_choices(_("Counties"), County.objects.order_by("name"))
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.select_related("county").order_by("name"),
        required=False,
        help_text=_("Only those outside the counties chosen above."),
    )

    class Meta:
        model = Hub
        fields = ["name", "slug", "description", "brand_colour", "tint_colour", "host"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "tint_colour": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["host"].required = False
        if self.instance.pk:
            self.initial.setdefault("counties", list(self.instance.counties.all()))
            self.initial.setdefault("municipalities", list(self.instance.municipalities.all()))

    def _post_clean(self) -> None:
        # The service validates the hub (colours, address, host) and reports per field.
        pass


class HubPersonForm(SubmitOnceMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person's account"))
    role = forms.ChoiceField(label=_("Role"), choices=HubRole.choices)
