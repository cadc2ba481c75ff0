from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hjulet.core.forms import render_form, submit_form
from hjulet.core.ratelimits import export_limited
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.services import can_edit_initiative, can_manage_initiative

from . import charts, exports, selectors, services
from .forms import (
    AnalysisForm,
    ElementForm,
    IndicatorForm,
    InputForm,
    MeasurementForm,
    OutcomeForm,
    ReportForm,
    TestCycleForm,
    TheoryForm,
)
from .models import (
    ChangeElement,
    ElementKind,
    Indicator,
    Measurement,
    SroiAnalysis,
    SroiInput,
    SroiOutcome,
    TestCycle,
)

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


STEP_LABELS = {
    ElementKind.ACTIVITY.value: gettext_lazy("Activities"),
    ElementKind.OUTPUT.value: gettext_lazy("Outputs"),
    ElementKind.SHORT_TERM.value: gettext_lazy("Short-term outcomes"),
    ElementKind.LONG_TERM.value: gettext_lazy("Long-term outcomes"),
}
DIMENSIONS = [
    ("what", gettext_lazy("What: the outcomes")),
    ("who", gettext_lazy("Who experiences them")),
    ("how_much", gettext_lazy("How much")),
    ("contribution", gettext_lazy("Contribution")),
    ("risk", gettext_lazy("Risk")),
]


def _initiative(request: HttpRequest, slug: str, *, edit: bool = False) -> Initiative:
    """The initiative, if this person may see (or with ``edit``, change) its follow-up."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("municipality__county"), slug=slug
    )
    if edit:
        services.require_editor(request.user, initiative)
    elif not selectors.can_view(request.user, initiative):
        raise PermissionDenied(
            _(
                "The impact follow-up of this initiative is not published yet. Members of its "
                "lead and partner organisations can see it when they log in."
            )
        )
    return initiative


def _context(request: HttpRequest, initiative: Initiative, **extra) -> dict:
    return {
        "initiative": initiative,
        "can_edit": can_edit_initiative(request.user, initiative),
        "report": selectors.report_of(initiative),
        **extra,
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


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    return render(
        request,
        "impact/overview.html",
        _context(
            request,
            initiative,
            **_theory_context(initiative),
            indicators=selectors.indicators_of(initiative),
            cycles=selectors.test_cycles_of(initiative),
            analyses=selectors.analyses_of(initiative),
        ),
    )


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
        saved = submit_form(
            request,
            element_form,
            lambda _v, **data: services.element_create(
                actor=request.user, initiative=initiative, **data
            ),
        )
        message = _("The step is added to the theory of change.")
    else:
        saved = submit_form(
            request,
            theory_form,
            lambda version, **data: services.theory_update(
                actor=request.user, initiative=initiative, expected_version=version, **data
            ),
        )
        message = _("The theory of change is saved.")
    if saved is not None:
        messages.success(request, message)
        return redirect("impact:theory-edit", slug=initiative.slug)
    form = element_form if is_element else theory_form
    return render_form(
        request,
        "impact/theory_edit.html",
        _context(
            request,
            initiative,
            **_theory_context(initiative),
            form=form,
            theory_form=theory_form,
            element_form=element_form,
        ),
    )


@login_required
def element_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    element = get_object_or_404(ChangeElement, theory__initiative=initiative, pk=pk)
    form = ElementForm(request.POST or None, instance=element, theory=element.theory)
    saved = submit_form(
        request,
        form,
        lambda version, **data: services.element_update(
            actor=request.user,
            element=ChangeElement.objects.select_related("theory__initiative").get(pk=pk),
            expected_version=version,
            **data,
        ),
    )
    if saved is not None:
        messages.success(request, _("The step is saved."))
        return redirect("impact:theory-edit", slug=initiative.slug)
    return render_form(
        request,
        "impact/element_form.html",
        _context(request, initiative, form=form, element=element),
    )


@login_required
@require_POST
def element_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    element = get_object_or_404(ChangeElement, theory__initiative=initiative, pk=pk)
    services.element_delete(actor=request.user, element=element)
    messages.success(request, _("The step is removed."))
    return redirect("impact:theory-edit", slug=initiative.slug)


@login_required
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    form = IndicatorForm(request.POST or None, initiative=initiative)
    indicator = submit_form(
        request,
        form,
        lambda _v, **data: services.indicator_create(
            actor=request.user, initiative=initiative, **data
        ),
    )
    if indicator is not None:
        messages.success(request, _("The indicator is added. Record the first measurement."))
        return redirect("impact:indicator-detail", slug=initiative.slug, pk=indicator.pk)
    return render_form(
        request, "impact/indicator_form.html", _context(request, initiative, form=form)
    )


@login_required
def indicator_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    indicator = get_object_or_404(Indicator, initiative=initiative, pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator, initiative=initiative)
    saved = submit_form(
        request,
        form,
        lambda version, **data: services.indicator_update(
            actor=request.user,
            indicator=Indicator.objects.get(pk=pk),
            expected_version=version,
            **data,
        ),
    )
    if saved is not None:
        messages.success(request, _("The changes are saved."))
        return redirect("impact:indicator-detail", slug=initiative.slug, pk=pk)
    return render_form(
        request,
        "impact/indicator_form.html",
        _context(request, initiative, form=form, indicator=indicator),
    )


def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("outcome").prefetch_related("test_cycles"),
        initiative=initiative,
        pk=pk,
    )
    selectors.annotate_indicator(indicator)
    form = MeasurementForm(request.POST or None, initial={"date": timezone.localdate().isoformat()})
    if request.method == "POST":
        services.require_editor(request.user, initiative)
        saved = submit_form(
            request,
            form,
            lambda _v, **data: services.measurement_create(
                actor=request.user, indicator=indicator, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("The measurement is recorded."))
            return redirect("impact:indicator-detail", slug=initiative.slug, pk=pk)
    return render_form(
        request,
        "impact/indicator_detail.html",
        _context(
            request,
            initiative,
            indicator=indicator,
            chart=charts.progress_chart(indicator),
            form=form,
        ),
    )


@login_required
@require_POST
def measurement_delete(request: HttpRequest, slug: str, pk: int, row: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__initiative"),
        indicator__initiative=initiative,
        indicator_id=pk,
        pk=row,
    )
    services.measurement_delete(actor=request.user, measurement=measurement)
    messages.success(request, _("The measurement is removed."))
    return redirect("impact:indicator-detail", slug=initiative.slug, pk=pk)


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


@login_required
def analysis_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    form = AnalysisForm(request.POST or None)
    analysis = submit_form(
        request,
        form,
        lambda _v, **data: services.analysis_create(
            actor=request.user, initiative=initiative, **data
        ),
    )
    if analysis is not None:
        messages.success(request, _("The analysis is created. Add inputs and outcomes."))
        return redirect("impact:sroi-detail", slug=initiative.slug, pk=analysis.pk)
    return render_form(
        request, "impact/analysis_form.html", _context(request, initiative, form=form)
    )


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
    form = OutcomeForm(request.POST or None, instance=outcome, initiative=initiative)
    saved = submit_form(
        request,
        form,
        lambda version, **data: services.outcome_update(
            actor=request.user,
            outcome=SroiOutcome.objects.select_related("analysis", "stakeholder").get(pk=row),
            expected_version=version,
            **data,
        ),
    )
    if saved is not None:
        messages.success(request, _("Saved. The figures are recalculated."))
        return redirect("impact:sroi-detail", slug=initiative.slug, pk=pk)
    return render_form(
        request,
        "impact/outcome_form.html",
        _context(request, initiative, form=form, analysis=outcome.analysis, outcome=outcome),
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


def report(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    impact_report = selectors.report_of(initiative)
    analysis = None
    if impact_report is not None and impact_report.sroi_id:
        analysis = selectors.analysis_query().get(pk=impact_report.sroi_id)
    return render(
        request,
        "impact/report.html",
        _context(
            request,
            initiative,
            indicators=selectors.indicators_of(initiative),
            cycles=selectors.test_cycles_of(initiative),
            analysis=analysis,
            result=selectors.sroi_result(analysis) if analysis else None,
            can_publish=can_manage_initiative(request.user, initiative),
            dimensions=[
                (key, label, getattr(impact_report, key, "") if impact_report else "")
                for key, label in DIMENSIONS
            ],
        ),
    )


@login_required
def report_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    impact_report = selectors.report_of(initiative)
    form = ReportForm(request.POST or None, instance=impact_report, initiative=initiative)
    saved = submit_form(
        request,
        form,
        lambda version, **data: services.report_update(
            actor=request.user, initiative=initiative, expected_version=version, **data
        ),
    )
    if saved is not None:
        messages.success(request, _("The impact report is saved."))
        return redirect("impact:report", slug=initiative.slug)
    return render_form(request, "impact/report_form.html", _context(request, initiative, form=form))


@login_required
@require_POST
def report_publish(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    publish = request.POST.get("publish") == "1"
    try:
        services.report_publish(actor=request.user, initiative=initiative, publish=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The impact report is published; anyone can now read it.")
            if publish
            else _("The impact report is withdrawn; only your partners can see it."),
        )
    return redirect("impact:report", slug=initiative.slug)


@export_limited
def follow_up_export(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    return exports.follow_up_xlsx(
        initiative,
        selectors.theory_of(initiative),
        selectors.indicators_of(initiative),
        selectors.test_cycles_of(initiative),
    )


def totals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "impact/totals.html",
        {**selectors.totals(), "mine": selectors.initiatives_to_follow_up(request.user)},
    )


@export_limited
def totals_export(request: HttpRequest) -> HttpResponse:
    return exports.totals_xlsx(selectors.totals())
