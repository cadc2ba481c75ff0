"""What the account pages share."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_problem(request: HttpRequest, error: services.LinkError, **context) -> HttpResponse:
    return render(
        request,
        "accounts/link_problem.html",
        {"expired": error.code == "expired", "used": error.code == "used", **context},
        status=400,
    )
