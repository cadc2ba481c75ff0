from django import forms
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Membership, Organisation
from hjulet.arenas.models import Challenge
from hjulet.core.forms import SubmitOnceMixin
from hjulet.core.models import Municipality
from hjulet.knowledge.models import Initiative, Method

from .models import InitiativeSuggestion, ResearchReport


class StoryForm(SubmitOnceMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The story"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What happened, who made it happen and what it meant. Write for anyone."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Told for the organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Nobody – I tell it myself (read by a coordinator before it is shown)"),
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Initiatives"), queryset=Initiative.objects.order_by("title"), required=False
    )
    methods = forms.ModelMultipleChoiceField(
        label=_("Methods"), queryset=Method.objects.order_by("title"), required=False
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("Challenges"), queryset=Challenge.objects.order_by("title"), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The bank may hold a hundred thousand initiatives: the list offers only those the
        # story starts from (the initiative's "Tell a story" link) or that were sent.
        chosen = self.data.getlist("initiatives") if self.is_bound else []
        chosen = chosen or self.initial.get("initiatives", [])
        ids = [int(pk) for pk in chosen if str(pk).isdigit() and len(str(pk)) < 19]
        self.fields["initiatives"].queryset = Initiative.objects.filter(pk__in=ids).order_by(
            "title"
        )
        self.fields["initiatives"].help_text = _(
            "To tell about an initiative, start from the initiative's page."
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=user).values("organisation")
        ).order_by("name")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (told to the author)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )


class ReportForm(SubmitOnceMixin, forms.ModelForm):
    summary = forms.ModelChoiceField(
        label=_("Science-shop summary"),
        queryset=None,
        required=False,
        help_text=_("If the research is a question answered by the science shop."),
    )
    url = forms.URLField(
        label=_("web address"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = ResearchReport
        fields = [
            "title",
            "authors",
            "year",
            "institution",
            "doi",
            "url",
            "document",
            "findings",
            "summary",
        ]
        widgets = {"findings": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from hjulet.scienceshop.selectors import published_summaries

        self.fields["summary"].queryset = published_summaries()
        # The service checks the DOI and the PDF, with messages in the reader's language.
        self.fields["doi"].help_text = _("For example 10.1234/abcd.")

    def _post_clean(self) -> None:
        """Validation is the service's: no model instance is built here."""


class SuggestionForm(SubmitOnceMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name")
    )
    link = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = InitiativeSuggestion
        fields = ["title", "summary", "description", "organisation_name", "municipality", "link"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def _post_clean(self) -> None:
        """Validation is the service's."""


class AcceptForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Organisation that leads it in the bank"),
        queryset=Organisation.objects.order_by("name"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (told to the person)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
