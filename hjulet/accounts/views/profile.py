"""A person's own pages: profile, public name, API tokens, their data and erasure."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.forms import add_service_errors, render_form
from hjulet.core.pages import form_page

from .. import selectors, services
from ..forms import ApiTokenForm, DeleteAccountForm, DisplayNameForm, ProfileForm


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
    next_url = _safe_next(request)
    return form_page(
        request,
        form,
        lambda _version, name: services.user_set_display_name(actor=user, user=user, name=name),
        template="accounts/display_name.html",
        success_message=lambda _user: (
            _("Thank you! Others now see you as %(name)s.")
            % {"name": form.cleaned_data["name"].strip()}
        ),
        success_url=next_url,
        context={"next": next_url},
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
            return redirect("site:home")
    return render_form(request, "accounts/delete_account.html", {"form": form})
