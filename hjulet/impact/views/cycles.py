"""Test cycles ("våga testa")."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hjulet.core.pages import form_page

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

    return form_page(
        request,
        form,
        save,
        template="impact/test_cycle_form.html",
        success_message=_("The test cycle is saved."),
        success_url=reverse("impact:test-cycles", args=[initiative.slug]),
        context=lambda: _context(request, initiative, cycle=cycle),
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
