"""SROI analyses: creating, the analysis page with its inputs, outcomes and settings, an
outcome's form, removing rows, the XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hjulet.core.forms import render_form, submit_form
from hjulet.core.pages import form_page
from hjulet.core.ratelimits import export_limited
from hjulet.knowledge.models import Initiative

from .. import exports, selectors, services
from ..forms import AnalysisForm, InputForm, OutcomeForm
from ..models import SroiAnalysis, SroiInput, SroiOutcome
from ._common import _context, _initiative

ASSUMPTIONS = {
    "quantity": (gettext_lazy("Quantity"), ""),
    "proxy_value": (gettext_lazy("Financial proxy"), "kr"),
    "deadweight": (gettext_lazy("Deadweight"), "%"),
    "displacement": (gettext_lazy("Displacement"), "%"),
    "attribution": (gettext_lazy("Attribution"), "%"),
    "drop_off": (gettext_lazy("Drop-off"), "%"),
    "duration": (gettext_lazy("Duration (years)"), ""),
    "discount_rate": (gettext_lazy("Discount rate"), "%"),
    "inputs": (gettext_lazy("Total inputs"), "kr"),
}


@login_required
def analysis_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    return form_page(
        request,
        AnalysisForm(request.POST or None),
        lambda _v, **data: services.analysis_create(
            actor=request.user, initiative=initiative, **data
        ),
        template="impact/analysis_form.html",
        success_message=_("The analysis is created. Add inputs and outcomes."),
        success_url=lambda analysis: _analysis_url(initiative, analysis.pk),
        context=lambda: _context(request, initiative),
    )


def _analysis_url(initiative: Initiative, pk: int) -> str:
    return reverse("impact:sroi-detail", args=[initiative.slug, pk])


def analysis_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug)
    analysis = get_object_or_404(selectors.analysis_query(), initiative=initiative, pk=pk)
    which = request.POST.get("form")
    input_form = InputForm(request.POST if which == "input" else None, prefix="input")
    outcome_form = OutcomeForm(
        request.POST if which == "outcome" else None, initiative=initiative, prefix="outcome"
    )
    settings_form = AnalysisForm(
        request.POST if which == "settings" else None, instance=analysis, prefix="settings"
    )
    if request.method == "POST":
        services.require_editor(request.user, initiative)
        form, save = {
            "input": (
                input_form,
                lambda _v, **data: services.input_create(
                    actor=request.user, analysis=analysis, **data
                ),
            ),
            "outcome": (
                outcome_form,
                lambda _v, **data: services.outcome_create(
                    actor=request.user, analysis=analysis, **data
                ),
            ),
            "settings": (
                settings_form,
                lambda version, **data: services.analysis_update(
                    actor=request.user,
                    analysis=SroiAnalysis.objects.get(pk=pk),
                    expected_version=version,
                    **data,
                ),
            ),
        }.get(which, (None, None))
        if form is None:
            return HttpResponse(status=400)
        if submit_form(request, form, save) is not None:
            messages.success(request, _("Saved. The figures are recalculated."))
            return redirect("impact:sroi-detail", slug=initiative.slug, pk=pk)
    result = selectors.sroi_result(analysis)
    outcomes = list(analysis.outcomes.all())
    return render_form(
        request,
        "impact/analysis_detail.html",
        _context(
            request,
            initiative,
            analysis=analysis,
            result=result,
            sensitivity=[
                (row, *ASSUMPTIONS[row.assumption]) for row in selectors.sroi_sensitivity(analysis)
            ],
            form={"input": input_form, "outcome": outcome_form}.get(which, settings_form),
            input_form=input_form,
            outcome_form=outcome_form,
            settings_form=settings_form,
            outcome_rows=list(zip(outcomes, result.present_value_by_outcome, strict=True)),
        ),
    )


@login_required
def outcome_update(request: HttpRequest, slug: str, pk: int, row: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    outcome = get_object_or_404(
        SroiOutcome.objects.select_related("stakeholder", "analysis"),
        analysis__initiative=initiative,
        analysis_id=pk,
        pk=row,
    )
    return form_page(
        request,
        OutcomeForm(request.POST or None, instance=outcome, initiative=initiative),
        lambda version, **data: services.outcome_update(
            actor=request.user,
            outcome=SroiOutcome.objects.select_related("analysis", "stakeholder").get(pk=row),
            expected_version=version,
            **data,
        ),
        template="impact/outcome_form.html",
        success_message=_("Saved. The figures are recalculated."),
        success_url=_analysis_url(initiative, pk),
        context=lambda: _context(request, initiative, analysis=outcome.analysis, outcome=outcome),
    )


@login_required
@require_POST
def analysis_row_delete(
    request: HttpRequest, slug: str, pk: int, kind: str, row: int
) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    analysis = get_object_or_404(SroiAnalysis, initiative=initiative, pk=pk)
    if kind == "insats":
        services.input_delete(
            actor=request.user, item=get_object_or_404(SroiInput, analysis=analysis, pk=row)
        )
    elif kind == "utfall":
        services.outcome_delete(
            actor=request.user, outcome=get_object_or_404(SroiOutcome, analysis=analysis, pk=row)
        )
    else:
        return HttpResponse(status=404)
    messages.success(request, _("Removed. The figures are recalculated."))
    return redirect("impact:sroi-detail", slug=initiative.slug, pk=pk)


@export_limited
def analysis_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug)
    analysis = get_object_or_404(selectors.analysis_query(), initiative=initiative, pk=pk)
    return exports.analysis_xlsx(analysis)
