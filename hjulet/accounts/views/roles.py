"""Platform roles, for administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import RoleChangeForm
from ..models import Role, User


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
