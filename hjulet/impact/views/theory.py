"""The theory of change: its page section, editing it and its steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hjulet.core.pages import form_page
from hjulet.knowledge.models import Initiative

from .. import charts, selectors, services
from ..forms import ElementForm, TheoryForm
from ..models import ChangeElement, ElementKind
from ._common import _context, _initiative

STEP_LABELS = {
    ElementKind.ACTIVITY.value: gettext_lazy("Activities"),
    ElementKind.OUTPUT.value: gettext_lazy("Outputs"),
    ElementKind.SHORT_TERM.value: gettext_lazy("Short-term outcomes"),
    ElementKind.LONG_TERM.value: gettext_lazy("Long-term outcomes"),
}


def _theory_context(initiative: Initiative) -> dict:
    theory = selectors.theory_of(initiative)
    elements = list(theory.elements.all()) if theory else []
    diagram = charts.theory_diagram(elements)
    return {
        "theory": theory,
        "diagram": diagram,
        "columns": list(zip(diagram["column_x"], STEP_LABELS.values(), strict=True)),
        "steps": [
            (STEP_LABELS[kind], [e for e in elements if e.kind == kind]) for kind in STEP_LABELS
        ],
    }


@login_required
def theory_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    theory = selectors.theory_of(initiative)
    is_element = request.POST.get("form") == "element"
    theory_form = TheoryForm(
        request.POST if request.method == "POST" and not is_element else None, instance=theory
    )
    element_form = ElementForm(request.POST if is_element else None, theory=theory)
    if is_element:
        form = element_form
        save = lambda _v, **data: services.element_create(  # noqa: E731
            actor=request.user, initiative=initiative, **data
        )
        message = _("The step is added to the theory of change.")
    else:
        form = theory_form
        save = lambda version, **data: services.theory_update(  # noqa: E731
            actor=request.user, initiative=initiative, expected_version=version, **data
        )
        message = _("The theory of change is saved.")
    return form_page(
        request,
        form,
        save,
        template="impact/theory_edit.html",
        success_message=message,
        success_url=reverse("impact:theory-edit", args=[initiative.slug]),
        context=lambda: _context(
            request,
            initiative,
            **_theory_context(initiative),
            theory_form=theory_form,
            element_form=element_form,
        ),
    )


@login_required
def element_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    element = get_object_or_404(ChangeElement, theory__initiative=initiative, pk=pk)
    return form_page(
        request,
        ElementForm(request.POST or None, instance=element, theory=element.theory),
        lambda version, **data: services.element_update(
            actor=request.user,
            element=ChangeElement.objects.select_related("theory__initiative").get(pk=pk),
            expected_version=version,
            **data,
        ),
        template="impact/element_form.html",
        success_message=_("The step is saved."),
        success_url=reverse("impact:theory-edit", args=[initiative.slug]),
        context=lambda: _context(request, initiative, element=element),
    )


@login_required
@require_POST
def element_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    element = get_object_or_404(ChangeElement, theory__initiative=initiative, pk=pk)
    services.element_delete(actor=request.user, element=element)
    messages.success(request, _("The step is removed."))
    return redirect("impact:theory-edit", slug=initiative.slug)
