"""Organisations, memberships and invitations."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.forms import add_service_errors
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page, query_without

from .. import selectors, services
from ..forms import InvitationForm, MembershipRoleForm, OrganisationFilterForm, OrganisationForm
from ..models import Membership, MembershipRole, Organisation, User
from ._common import BACKEND, _link_page, _link_problem, _name_form, _next_path


@for_visitors
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
    template = (
        "accounts/_organisation_results.html" if request.htmx else "accounts/organisation_list.html"
    )
    query = query_without(request, "page")
    return render(request, template, {"form": form, "page": page, "query": query})


def _partnership_requests(organisation: Organisation) -> list[Any]:
    """The requests for ``organisation`` to be a partner, waiting for its administrators."""
    return list(
        organisation.partnerships.pending()
        .select_related("initiative__municipality", "requested_by")
        .order_by("requested_at", "pk")
    )


@for_visitors
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
            "partnership_requests": _partnership_requests(organisation) if is_admin else None,
            "methods": organisation.methods.order_by("title"),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Register an organisation; from another form (``next``, a path on this site) the
    person goes back to it with the new organisation chosen (``?organisation=<id>``)."""
    next_path = _next_path(request)

    def back_with(organisation: Organisation) -> str:
        if next_path:
            joiner = "&" if "?" in next_path else "?"
            return f"{next_path}{joiner}{urlencode({'organisation': organisation.pk})}"
        return _organisation_url(organisation)

    return form_page(
        request,
        OrganisationForm(request.POST or None),
        lambda _version, **data: services.organisation_create(actor=request.user, **data),
        template="accounts/organisation_form.html",
        success_message=lambda organisation: (
            _("%(name)s is registered. You are its administrator.") % {"name": organisation.name}
        ),
        success_url=back_with,
        context={"next": next_path},
    )


def _organisation_url(organisation: Organisation) -> str:
    return reverse("accounts:organisation-detail", args=[organisation.slug])


@login_required
def organisation_update(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.is_org_admin(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can change it."))
    return form_page(
        request,
        OrganisationForm(
            request.POST or None, instance=Organisation.objects.get(pk=organisation.pk)
        ),
        lambda version, **data: services.organisation_update(
            actor=request.user, organisation=organisation, expected_version=version, **data
        ),
        template="accounts/organisation_form.html",
        success_message=_("The changes are saved."),
        success_url=_organisation_url,
        context={"organisation": organisation},
    )


@login_required
def organisation_invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.is_org_admin(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can invite colleagues."))
    form = InvitationForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda _version, **data: services.invitation_create(
            actor=request.user, organisation=organisation, **data
        ),
        template="accounts/invite.html",
        success_message=lambda _invitation: (
            _("An invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
        success_url=_organisation_url(organisation),
        context={"organisation": organisation},
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
    form = _name_form(request, new_account)
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
    return _link_page(request, "accounts/invitation.html", context)
