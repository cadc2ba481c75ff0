"""What the account pages share."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hjulet.core.forms import render_form

from .. import services
from ..forms import DisplayNameForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_problem(request: HttpRequest, error: services.LinkError, **context) -> HttpResponse:
    return render(
        request,
        "accounts/link_problem.html",
        {"expired": error.code == "expired", "used": error.code == "used", **context},
        status=400,
    )


def _name_form(request: HttpRequest, new_account: bool) -> DisplayNameForm | None:
    """The public name, asked when following a link makes a new account (else None)."""
    if not new_account:
        return None
    return DisplayNameForm(request.POST if request.method == "POST" else None)


def _link_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A page a link from an e-mail leads to, with the name form when it asks for one."""
    if context["form"] is None:
        return render(request, template, context)
    return render_form(request, template, context)


def _next_path(request: HttpRequest) -> str:
    """Where the person was going (``next``, a path on this site), or ""."""
    return services.local_path(request.POST.get("next") or request.GET.get("next"))
