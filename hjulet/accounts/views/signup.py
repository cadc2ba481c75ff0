import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hjulet.core.forms import add_service_errors, render_form, submit_form
from hjulet.core.ratelimits import limited, posted_address, posted_email
from hjulet.knowledge import selectors as knowledge_selectors

from .. import selectors, services
from ..forms import (
    ApiTokenForm,
    DeleteAccountForm,
    DisplayNameForm,
    EmailOnlyForm,
    InvitationForm,
    LoginForm,
    MembershipRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
    PasswordResetForm,
    ProfileForm,
    RoleChangeForm,
    SignupForm,
)
from ..models import Membership, MembershipRole, Organisation, Role, User, normalise_email

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_problem(request: HttpRequest, error: services.LinkError, **context) -> HttpResponse:
    return render(
        request,
        "accounts/link_problem.html",
        {"expired": error.code == "expired", "used": error.code == "used", **context},
        status=400,
    )


def mail_limited(view):
    """Every form that sends mail to a typed address is limited per client and per address
    (the address in canonical form: every spelling of it counts together)."""
    return limited("email")(limited("email_per_address", key=posted_address)(view))


# --- sign-up, verification, login -------------------------------------------------------


@limited("signup")
@limited("email_per_address", key=posted_address)
def signup(request: HttpRequest) -> HttpResponse:
    """The answer is the same whether or not the address has an account (its owner gets an
    e-mail instead), so the form does not tell who has one."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    next_path = services.local_path(request.POST.get("next") or request.GET.get("next"))
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
            return render(
                request,
                "accounts/check_email.html",
                {"email": normalise_email(form.cleaned_data["email"])},
            )
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
        return render(
            request,
            "accounts/check_email.html",
            {"email": normalise_email(form.cleaned_data["email"])},
        )
    return render(request, "accounts/verify_resend.html", {"form": form})


@method_decorator([limited("login"), limited("login_per_email", key=posted_email)], "dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@mail_limited
def email_login_request(request: HttpRequest) -> HttpResponse:
    form = EmailOnlyForm(request.POST or None)
    next_path = services.local_path(request.POST.get("next") or request.GET.get("next"))
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
            return render(
                request,
                "accounts/check_email.html",
                {"email": normalise_email(form.cleaned_data["email"]), "login_link": True},
            )
    return render_form(request, "accounts/email_login.html", {"form": form, "next": next_path})


def email_login_complete(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; the POST logs in. Link scanners in mail systems only GET.
    A link that creates an account asks for the public name first."""
    try:
        new_account = services.email_login_creates_account(token=token)
    except services.LinkError as error:
        return _link_problem(request, error, resend_url=reverse("accounts:email-login"))
    form = (
        DisplayNameForm(request.POST if request.method == "POST" else None) if new_account else None
    )
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
    if form is None:
        return render(request, "accounts/email_login_confirm.html", context)
    return render_form(request, "accounts/email_login_confirm.html", context)


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


# --- profile, tokens, privacy -----------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if saved is not None:
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            max_age=365 * 24 * 3600,
            samesite="Lax",
        )
        return response
    return render_form(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(user),
            "tokens": user.api_tokens.all(),
            "token_form": ApiTokenForm(auto_id="token_%s"),
        },
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:profile")


@login_required
def choose_display_name(request: HttpRequest) -> HttpResponse:
    """Asked of everyone signed in without a public name (DisplayNameMiddleware); then on to
    where they were going."""
    user = request.user
    form = DisplayNameForm(request.POST or None, initial={"name": user.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_display_name(actor=user, user=user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you! Others now see you as %(name)s.")
                % {"name": form.cleaned_data["name"].strip()},
            )
            return redirect(_safe_next(request))
    return render_form(
        request, "accounts/display_name.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Give the token a name, and choose its access and how long it works.")
        )
        return redirect("accounts:profile")
    token, secret = services.api_token_create(actor=request.user, **form.cleaned_data)
    return render(request, "accounts/api_token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
def export_my_data(request: HttpRequest) -> HttpResponse:
    data = services.user_export_data(actor=request.user, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="hjulet-mina-uppgifter.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(actor=request.user, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("core:home")
    return render_form(request, "accounts/delete_account.html", {"form": form})


# --- organisations ----------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    result = selectors.organisations(
        q=filters.get("q", ""),
        sector_code=filters["sector"].code if filters.get("sector") else "",
        county_code=filters.get("county", ""),
        municipality_code=filters.get("kommun", ""),
    )
    page = Paginator(result, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "accounts/_organisation_results.html" if request.htmx else "accounts/organisation_list.html"
    )
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("sector", "municipality__county"), slug=slug
    )
    is_member = services.is_org_member(request.user, organisation)
    is_admin = services.is_org_admin(request.user, organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "is_member": is_member,
            "is_admin": is_admin,
            "members": selectors.organisation_members(organisation) if is_member else None,
            "open_invitations": organisation.invitations.filter(accepted_at__isnull=True)
            if is_member
            else None,
            "membership_roles": MembershipRole.choices,
            "partnerships": organisation.partnerships.accepted()
            .select_related("initiative__municipality")
            .order_by("initiative__title"),
            "partnership_requests": knowledge_selectors.partnership_requests_for(organisation)
            if is_admin
            else None,
            "methods": organisation.methods.order_by("title"),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Register an organisation; from another form (``next``, a path on this site) the
    person goes back to it with the new organisation chosen (``?organisation=<id>``)."""
    form = OrganisationForm(request.POST or None)
    next_path = services.local_path(request.POST.get("next") or request.GET.get("next"))
    organisation = submit_form(
        request,
        form,
        lambda _version, **data: services.organisation_create(actor=request.user, **data),
    )
    if organisation is not None:
        messages.success(
            request,
            _("%(name)s is registered. You are its administrator.") % {"name": organisation.name},
        )
        if next_path:
            joiner = "&" if "?" in next_path else "?"
            return redirect(f"{next_path}{joiner}{urlencode({'organisation': organisation.pk})}")
        return redirect("accounts:organisation-detail", slug=organisation.slug)
    return render_form(
        request, "accounts/organisation_form.html", {"form": form, "next": next_path}
    )


@login_required
def organisation_update(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.is_org_admin(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can change it."))
    form = OrganisationForm(
        request.POST or None, instance=Organisation.objects.get(pk=organisation.pk)
    )
    saved = submit_form(
        request,
        form,
        lambda version, **data: services.organisation_update(
            actor=request.user, organisation=organisation, expected_version=version, **data
        ),
    )
    if saved is not None:
        messages.success(request, _("The changes are saved."))
        return redirect("accounts:organisation-detail", slug=saved.slug)
    return render_form(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.is_org_admin(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can invite colleagues."))
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:organisation-detail", slug=organisation.slug)
    return render_form(
        request, "accounts/invite.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def membership_update(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    slug = membership.organisation.slug
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(actor=request.user, membership=membership)
            messages.success(
                request,
                _("%(name)s is no longer a member.") % {"name": membership.user.display_name},
            )
        else:
            form = MembershipRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role."))
            services.membership_set_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(request, _("The role is changed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:organisation-detail", slug=slug)


def invitation(request: HttpRequest, secret: str) -> HttpResponse:
    try:
        invite = services.invitation_by_secret(secret)
    except services.LinkError as error:
        return _link_problem(request, error)
    account_exists = User.objects.by_email(invite.email).exists()
    if request.user.is_authenticated and not services.is_invited(request.user, invite):
        # Someone else's invitation: refuse before anything is written, and say how to go on.
        return render(
            request,
            "accounts/invitation.html",
            {"invitation": invite, "refusal": services.invitation_refusal(invite)},
            status=403,
        )
    new_account = not account_exists and not request.user.is_authenticated
    form = (
        DisplayNameForm(request.POST if request.method == "POST" else None) if new_account else None
    )
    if request.method == "POST":
        if account_exists and not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form is None or form.is_valid():
            try:
                user, membership = services.invitation_accept(
                    secret=secret,
                    actor=request.user,
                    name=form.cleaned_data["name"] if form else "",
                )
            except services.LinkError as error:
                return _link_problem(request, error)
            except ValidationError as error:
                if form is None:
                    raise
                add_service_errors(form, error)
            else:
                if not request.user.is_authenticated:
                    login(request, user, backend=BACKEND)
                messages.success(
                    request, _("Welcome to %(name)s!") % {"name": invite.organisation.name}
                )
                return redirect("accounts:organisation-detail", slug=membership.organisation.slug)
    context = {"invitation": invite, "account_exists": account_exists, "form": form}
    if form is None:
        return render(request, "accounts/invitation.html", context)
    return render_form(request, "accounts/invitation.html", context)


# --- platform roles (admins) ------------------------------------------------------------


@login_required
def user_roles(request: HttpRequest) -> HttpResponse:
    if not request.user.is_admin:
        raise PermissionDenied(_("Only administrators may do this."))
    if request.method == "POST":
        target = get_object_or_404(User, pk=request.POST.get("user"))
        form = RoleChangeForm(request.POST)
        if form.is_valid():
            role = form.cleaned_data["role"]
            try:
                if request.POST.get("action") == "revoke":
                    services.role_revoke(actor=request.user, user=target, role=role)
                else:
                    services.role_grant(actor=request.user, user=target, role=role)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The roles of %(email)s are saved.") % {"email": target.email}
                )
        return redirect(request.get_full_path())
    q = request.GET.get("q", "")
    page = Paginator(selectors.users_with_roles(q), 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/user_roles.html", {"page": page, "q": q, "roles": Role.choices}
    )
