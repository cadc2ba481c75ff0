import unicodedata
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from hjulet.core.forms import SubmitOnceMixin, VersionedFormMixin
from hjulet.core.models import Municipality, Vocabulary
from hjulet.core.selectors import active_terms

from .models import (
    ApiToken,
    ApiTokenScope,
    MembershipRole,
    Organisation,
    Role,
    User,
    canonical_or_none,
)
from .validators import DISPLAY_NAME_MAX_LENGTH


class EmailAddressField(forms.EmailField):
    """An e-mail address, read in NFKC form: full-width letters and the long s are the
    letters they stand for (accounts are found by canonical form, hjulet.lib.emails)."""

    def to_python(self, value):
        return super().to_python(unicodedata.normalize("NFKC", value or ""))

    def validate(self, value) -> None:
        super().validate(value)
        if value and canonical_or_none(value) is None:
            raise ValidationError(EmailValidator.message, code=EmailValidator.code)


def display_name_field() -> forms.CharField:
    """The public name, asked at every sign-up and of everyone who has none. The rules
    (validators.clean_display_name) are the service's, so the API says the same."""
    return forms.CharField(
        label=_("Name shown to others"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_(
            "Shown publicly next to what you write on Hjulet, for example your first name or "
            "first name and surname. Never your e-mail address, which others do not see."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        error_messages={
            "required": _("Write the name others will see, for example your first name.")
        },
    )


class DisplayNameForm(forms.Form):
    name = display_name_field()


class SignupForm(forms.Form):
    name = display_name_field()
    email = EmailAddressField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class EmailOnlyForm(forms.Form):
    email = EmailAddressField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class LoginForm(AuthenticationForm):
    username = EmailAddressField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong e-mail address or password. The password is case-sensitive; "
            "the e-mail address is not."
        ),
        "inactive": _("This account is closed."),
        "unverified": _(
            "Confirm your e-mail address first: follow the link we sent you. "
            "You can have a new link sent below."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_email_verified:
            raise ValidationError(self.error_messages["unverified"], code="unverified")


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailAddressField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        """The account with this address in canonical form (Django's own form matches
        ``email__iexact``, which on PostgreSQL folds look-alike letters together). The mail
        goes to the account's stored address (``save`` writes to ``user.email``)."""
        for user in User.objects.by_email(email).filter(is_active=True):
            if user.has_usable_password():
                yield user


class ProfileForm(forms.Form):
    name = display_name_field()
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example 'Reports script'."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can fetch data but not change anything."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=lambda: [
            (days, _("%(days)d days") % {"days": days}) for days in ApiToken.LIFETIME_DAYS
        ],
        coerce=int,
        initial=ApiToken.DEFAULT_LIFETIME_DAYS,
        help_text=_("Every token expires; then you create a new one."),
    )


class DeleteAccountForm(forms.Form):
    confirm_email = EmailAddressField(label=_("Write your e-mail address to confirm"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"]
        if canonical_or_none(value) != self.user.email_canonical:
            raise ValidationError(_("That is not your e-mail address."), code="mismatch")
        return value


class OrganisationForm(SubmitOnceMixin, VersionedFormMixin, forms.ModelForm):
    org_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=20,
        help_text=_("Ten digits, NNNNNN-NNNN. Leave empty if the organisation has none."),
        widget=forms.TextInput(attrs={"placeholder": "NNNNNN-NNNN", "inputmode": "numeric"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://www.example.se"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "org_number", "sector", "municipality", "website", "email", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = active_terms(Vocabulary.SECTOR)
        self.fields["sector"].empty_label = _("Choose sector")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].empty_label = _("Choose municipality")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        # Validation (format, Luhn digit, duplicates) belongs to the service, which reports
        # every problem in the same words to the web form and the API.
        pass


class InvitationForm(forms.Form):
    email = EmailAddressField(label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("All sectors"),
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    kommun = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        from hjulet.core.models import County

        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = active_terms(Vocabulary.SECTOR)
        self.fields["county"].choices = [("", _("All counties"))] + [
            (c.code, c.name) for c in County.objects.order_by("name")
        ]


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
