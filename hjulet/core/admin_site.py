"""The admin site, whose operators log in through Hjulet's own login page: one page with the
rate limits (per client and per address), the verified-address rule and the audit, instead
of a second login form with none of them."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class HjuletAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            # Sending a signed-in person back to the login page would go round in a circle.
            raise PermissionDenied(_("Your account has no access to the administration pages."))
        return redirect_to_login(next_url, login_url=reverse("accounts:login"))
