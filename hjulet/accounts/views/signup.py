"""Sign-up, confirming the address, logging in (password or e-mail link) and passwords."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hjulet.core.forms import add_service_errors, render_form
from hjulet.core.ratelimits import limited, posted_address, posted_email

from .. import services
from ..forms import EmailOnlyForm, LoginForm, PasswordResetForm, SignupForm
from ..models import User, normalise_email
from ._common import BACKEND, _link_page, _link_problem, _name_form, _next_path


def mail_limited(view):
    """Every form that sends mail to a typed address is limited per client and per address
    (the address in canonical form: every spelling of it counts together)."""
    return limited("email")(limited("email_per_address", key=posted_address)(view))


def _check_email(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    """The page that says to check one's e-mail: the same whether or not the address typed
    in ``form`` has an account."""
    return render(
        request,
        "accounts/check_email.html",
        {"email": normalise_email(form.cleaned_data["email"]), **context},
    )


# --- sign-up, verification, login -------------------------------------------------------


@limited("signup")
@limited("email_per_address", key=posted_address)
def signup(request: HttpRequest) -> HttpResponse:
    """The answer is the same whether or not the address has an account (its owner gets an
    e-mail instead), so the form does not tell who has one."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    next_path = _next_path(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                language=request.LANGUAGE_CODE,
                next_path=next_path,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _check_email(request, form)
    return render_form(request, "accounts/signup.html", {"form": form, "next": next_path})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Confirms the address and sends the person on to log in: the link is not a login
    link (it travels in mail and may be opened by others)."""
    try:
        user = services.user_verify_email(token=token)
    except services.LinkError as error:
        return _link_problem(request, error, resend_url=reverse("accounts:verify-resend"))
    messages.success(request, _("Thank you! Your e-mail address is confirmed. Log in to continue."))
    login_url = reverse("accounts:login")
    if user.next_path:
        login_url += "?" + urlencode({"next": user.next_path})
    return redirect(login_url)


@mail_limited
def verify_resend(request: HttpRequest) -> HttpResponse:
    form = EmailOnlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = (
            User.objects.by_email(form.cleaned_data["email"])
            .filter(email_verified_at__isnull=True, is_active=True)
            .first()
        )
        if user is not None:
            services.send_verification_email(user)
        return _check_email(request, form)
    return render(request, "accounts/verify_resend.html", {"form": form})


@method_decorator([limited("login"), limited("login_per_email", key=posted_email)], "dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@mail_limited
def email_login_request(request: HttpRequest) -> HttpResponse:
    form = EmailOnlyForm(request.POST or None)
    next_path = _next_path(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_login_request(
                email=form.cleaned_data["email"],
                language=request.LANGUAGE_CODE,
                next_path=next_path,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _check_email(request, form, login_link=True)
    return render_form(request, "accounts/email_login.html", {"form": form, "next": next_path})


def email_login_complete(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; the POST logs in. Link scanners in mail systems only GET.
    A link that creates an account asks for the public name first."""
    try:
        new_account = services.email_login_creates_account(token=token)
    except services.LinkError as error:
        return _link_problem(request, error, resend_url=reverse("accounts:email-login"))
    form = _name_form(request, new_account)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.email_login_complete(
                token=token,
                language=request.LANGUAGE_CODE,
                name=form.cleaned_data["name"] if form else "",
            )
        except services.LinkError as error:
            return _link_problem(request, error, resend_url=reverse("accounts:email-login"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("You are logged in."))
            return redirect(user.next_path or "accounts:profile")
    context = {"token": token, "form": form}
    return _link_page(request, "accounts/email_login_confirm.html", context)


@method_decorator(mail_limited, "dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, finding the account by canonical address (its own form matches
    ``email__iexact``) and writing to the account's stored address."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


def _say_tokens_revoked(request: HttpRequest, user: User) -> None:
    if user.revoked_tokens:
        messages.info(
            request,
            ngettext(
                "Your API token was revoked with the old password. Create a new one on your "
                "profile page if you still need it.",
                "Your %(count)d API tokens were revoked with the old password. Create new ones "
                "on your profile page if you still need them.",
                user.revoked_tokens,
            )
            % {"count": user.revoked_tokens},
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        user = services.user_set_password(
            actor=form.user,
            user=form.user,
            password=form.cleaned_data["new_password1"],
            via_email=True,
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your new password is saved. Log in with it."))
        _say_tokens_revoked(self.request, user)
        return redirect(self.success_url)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change a password, or choose a first one after joining with just an e-mail."""

    template_name = "accounts/password_change.html"

    def get_form_class(self):
        if self.request.user.has_usable_password():
            return PasswordChangeForm
        return SetPasswordForm

    def form_valid(self, form):
        user = services.user_set_password(
            actor=self.request.user,
            user=self.request.user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your new password is saved."))
        _say_tokens_revoked(self.request, user)
        return redirect("accounts:profile")
