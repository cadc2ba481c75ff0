"""What pages share: the form page that saves through a service, and the query string a
list's links keep."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .forms import render_form, submit_form


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[..., Any],
    *,
    template: str,
    success_url: str | Callable[[Any], str],
    success_message: str | Callable[[Any], str] = "",
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A page that creates or edits something through a service.

    On a POST with a valid form, ``save(version, **cleaned_data)`` is called (see
    ``submit_form``: a service's ValidationError lands on the form); when it saved, the page
    says ``success_message`` and goes to ``success_url``. Either may be a function of what
    ``save`` returned. Otherwise ``template`` is shown with ``form`` and ``context``, with
    status 400 when the form has errors. ``context`` may be a function when building it
    costs queries, so that a successful POST, which only redirects, does not pay for them.
    """
    saved = submit_form(request, form, save)
    if saved is not None:
        message = success_message(saved) if callable(success_message) else success_message
        if message:
            messages.success(request, message)
        return redirect(success_url(saved) if callable(success_url) else success_url)
    extra = context() if callable(context) else context or {}
    return render_form(request, template, {"form": form, **extra})


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without the parameters ``names`` (a list's filters for
    its page links and exports: ``query_without(request, "page")``)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
