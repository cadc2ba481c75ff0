"""Test cycles ("våga testa")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hjulet.core.forms import render_form, submit_form

from .. import selectors, services
from ..forms import TestCycleForm
from ..models import TestCycle
from ._common import _context, _initiative


@login_required
def test_cycle_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    cycle = get_object_or_404(TestCycle, initiative=initiative, pk=pk) if pk else None
    form = TestCycleForm(request.POST or None, instance=cycle, initiative=initiative)

    def save(version, **data):
        if cycle is None:
            return services.test_cycle_create(actor=request.user, initiative=initiative, **data)
        return services.test_cycle_update(
            actor=request.user,
            cycle=TestCycle.objects.get(pk=cycle.pk),
            expected_version=version,
            **data,
        )

    saved = submit_form(request, form, save)
    if saved is not None:
        messages.success(request, _("The test cycle is saved."))
        return redirect("impact:test-cycles", slug=initiative.slug)
    return render_form(
        request,
        "impact/test_cycle_form.html",
        _context(request, initiative, form=form, cycle=cycle),
    )


def test_cycles(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    return render(
        request,
        "impact/test_cycles.html",
        _context(request, initiative, cycles=selectors.test_cycles_of(initiative)),
    )


test_cycle_form.__test__ = False  # type: ignore[attr-defined]
test_cycles.__test__ = False  # type: ignore[attr-defined]
