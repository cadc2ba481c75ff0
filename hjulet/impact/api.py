"""Impact follow-up over the API: the same services and the same visibility as the pages
(everything is public once the initiative's impact report is published; before that only
its partners and coordinators see it)."""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, expected_version, patch_fields
from hjulet.core.schemas import ERRORS, ErrorOut
from hjulet.knowledge.models import Initiative

from . import selectors, services
from .models import (
    ChangeElement,
    ImpactReport,
    Indicator,
    Measurement,
    SroiAnalysis,
    SroiOutcome,
    TheoryOfChange,
)
from .schemas import (
    AllTotalsOut,
    AnalysisIn,
    AnalysisOut,
    ElementIn,
    ElementOut,
    ElementPatch,
    ImpactOut,
    ImpactReportIn,
    IndicatorIn,
    IndicatorOut,
    InputIn,
    InputOut,
    MeasurementIn,
    MeasurementOut,
    OutcomeIn,
    OutcomeOut,
    OutcomePatch,
    PublishIn,
    ReportOut,
    TestCycleIn,
    TestCycleOut,
    TheoryIn,
    TheoryOut,
)

impact_router = Router(tags=["impact"])
READ_ERRORS = {403: ErrorOut, 404: ErrorOut}


def _visible(request: HttpRequest, initiative: Initiative) -> Initiative:
    if not selectors.can_view(request.auth, initiative):
        raise PermissionDenied(_("The impact follow-up of this initiative is not published yet."))
    return initiative


def _initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    return _visible(request, get_object_or_404(Initiative, pk=initiative_id))


def _indicator(indicator_id: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("initiative"), pk=indicator_id)


def _analysis(analysis_id: int) -> SroiAnalysis:
    return get_object_or_404(SroiAnalysis.objects.select_related("initiative"), pk=analysis_id)


def _indicator_out(indicator: Indicator) -> Indicator:
    indicator = Indicator.objects.prefetch_related("measurements").get(pk=indicator.pk)
    return selectors.annotate_indicator(indicator)


def _analysis_out(analysis: SroiAnalysis) -> dict:
    analysis = selectors.analysis_query().get(pk=analysis.pk)
    result = selectors.sroi_result(analysis)
    return {
        "id": analysis.pk,
        "title": analysis.title,
        "period": analysis.period,
        "discount_rate": analysis.discount_rate,
        "description": analysis.description,
        "inputs": list(analysis.inputs.all()),
        "outcomes": list(analysis.outcomes.all()),
        "result": {**asdict(result), "years": [asdict(y) for y in result.years]},
        "sensitivity": [asdict(row) for row in selectors.sroi_sensitivity(analysis)],
    }


def _objects(model, ids: list[int], field: str, **scope) -> list:
    return lookups.all_existing(model.objects.filter(**scope), field, ids, _("Unknown id."))


def _object(model, pk: int | None, field: str, **scope) -> Any:
    """The object ``pk`` names (None when it names none), as ``_objects``."""
    return None if pk is None else _objects(model, [pk], field, **scope)[0]


def _first_put(request: HttpRequest, model, initiative_id: int, payload, if_match) -> tuple:
    """The initiative, the payload's fields and the version to check, for writing the
    initiative's one ``model`` (theory, report): the first time, before it exists, needs no
    version."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    fields = payload.dict()
    version = fields.pop("version")
    if model.objects.filter(initiative=initiative).exists():
        version = expected_version(request, version, if_match)
    return initiative, fields, version


@impact_router.get("/initiatives/{initiative_id}", response={200: ImpactOut, **READ_ERRORS})
def get_impact(request: HttpRequest, initiative_id: int):
    """Theory of change, indicators (with status and measurements), test cycles, SROI analyses
    and the impact report of one initiative."""
    initiative = _initiative(request, initiative_id)
    theory = selectors.theory_of(initiative)
    report = selectors.report_of(initiative)
    return {
        "initiative": initiative.pk,
        "theory": (_theory_out(theory) if theory else None),
        "indicators": selectors.indicators_of(initiative),
        "test_cycles": list(selectors.test_cycles_of(initiative)),
        "sroi_analyses": list(selectors.analyses_of(initiative)),
        "report": report,
    }


@impact_router.put(
    "/initiatives/{initiative_id}/theory",
    response={200: TheoryOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def put_theory(
    request: HttpRequest, initiative_id: int, payload: TheoryIn, if_match: IfMatch = None
):
    """Write the theory's summary. The first time (no theory yet) needs no version."""
    initiative, fields, version = _first_put(
        request, TheoryOfChange, initiative_id, payload, if_match
    )
    theory = services.theory_update(
        actor=request.auth, initiative=initiative, expected_version=version, **fields
    )
    return _theory_out(theory)


def _theory_out(theory: TheoryOfChange) -> dict:
    return {
        "summary": theory.summary,
        "elements": list(theory.elements.all()),
        "version": theory.version,
    }


@impact_router.post(
    "/initiatives/{initiative_id}/theory/elements",
    response={201: ElementOut, **ERRORS},
    auth=signed_in,
)
def create_element(request: HttpRequest, initiative_id: int, payload: ElementIn):
    """Add a step; ``comes_from`` are earlier steps that lead to it."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    fields = payload.dict()
    comes_from = _objects(
        ChangeElement,
        fields.pop("comes_from"),
        "comes_from",
        theory__initiative=initiative,
    )
    element = services.element_create(
        actor=request.auth, initiative=initiative, comes_from=comes_from, **fields
    )
    return Status(201, element)


@impact_router.patch(
    "/initiatives/{initiative_id}/theory/elements/{element_id}",
    response={200: ElementOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def update_element(
    request: HttpRequest,
    initiative_id: int,
    element_id: int,
    payload: ElementPatch,
    if_match: IfMatch = None,
):
    """Change some of a step's fields or arrows; the others stay as they are. Every arrow
    must still go forward (400 otherwise)."""
    element = get_object_or_404(
        ChangeElement.objects.select_related("theory__initiative"),
        theory__initiative_id=initiative_id,
        pk=element_id,
    )
    fields, version = patch_fields(request, payload, if_match)
    for name in ("comes_from", "leads_to"):
        if fields.get(name) is not None:
            fields[name] = _objects(
                ChangeElement, fields[name], name, theory__initiative_id=initiative_id
            )
    return services.element_update(
        actor=request.auth, element=element, expected_version=version, **fields
    )


@impact_router.post(
    "/initiatives/{initiative_id}/indicators",
    response={201: IndicatorOut, **ERRORS},
    auth=signed_in,
)
def create_indicator(request: HttpRequest, initiative_id: int, payload: IndicatorIn):
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    fields = payload.dict()
    fields["outcome"] = _object(
        ChangeElement, fields["outcome"], "outcome", theory__initiative=initiative
    )
    indicator = services.indicator_create(actor=request.auth, initiative=initiative, **fields)
    return Status(201, _indicator_out(indicator))


@impact_router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **READ_ERRORS})
def get_indicator(request: HttpRequest, indicator_id: int):
    indicator = _indicator(indicator_id)
    _visible(request, indicator.initiative)
    return _indicator_out(indicator)


@impact_router.post(
    "/indicators/{indicator_id}/measurements",
    response={201: MeasurementOut, **ERRORS},
    auth=signed_in,
)
def create_measurement(request: HttpRequest, indicator_id: int, payload: MeasurementIn):
    """A measurement dated before the indicator's baseline is refused (400)."""
    indicator = _indicator(indicator_id)
    measurement = services.measurement_create(
        actor=request.auth, indicator=indicator, **payload.dict()
    )
    return Status(201, measurement)


@impact_router.post(
    "/initiatives/{initiative_id}/test-cycles",
    response={201: TestCycleOut, **ERRORS},
    auth=signed_in,
)
def create_test_cycle(request: HttpRequest, initiative_id: int, payload: TestCycleIn):
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    fields = payload.dict()
    indicators = _objects(Indicator, fields.pop("indicators"), "indicators")
    cycle = services.test_cycle_create(
        actor=request.auth, initiative=initiative, indicators=indicators, **fields
    )
    return Status(201, cycle)


@impact_router.post(
    "/initiatives/{initiative_id}/sroi", response={201: AnalysisOut, **ERRORS}, auth=signed_in
)
def create_analysis(request: HttpRequest, initiative_id: int, payload: AnalysisIn):
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    analysis = services.analysis_create(actor=request.auth, initiative=initiative, **payload.dict())
    return Status(201, _analysis_out(analysis))


@impact_router.get("/sroi/{analysis_id}", response={200: AnalysisOut, **READ_ERRORS})
def get_analysis(request: HttpRequest, analysis_id: int):
    """Inputs, outcomes, the result (present value, NPV, ratios, payback) and the
    sensitivity table with the value of each assumption at which the ratio is 1:1."""
    analysis = _analysis(analysis_id)
    _visible(request, analysis.initiative)
    return _analysis_out(analysis)


@impact_router.post(
    "/sroi/{analysis_id}/inputs", response={201: InputOut, **ERRORS}, auth=signed_in
)
def create_input(request: HttpRequest, analysis_id: int, payload: InputIn):
    analysis = _analysis(analysis_id)
    item = services.input_create(actor=request.auth, analysis=analysis, **payload.dict())
    return Status(201, item)


@impact_router.post(
    "/sroi/{analysis_id}/outcomes", response={201: OutcomeOut, **ERRORS}, auth=signed_in
)
def create_outcome(request: HttpRequest, analysis_id: int, payload: OutcomeIn):
    """Percentages 0–100; quantity and proxy not negative; duration 1–50 years (else 400)."""
    analysis = _analysis(analysis_id)
    fields = payload.dict()
    fields["indicator"] = _object(Indicator, fields["indicator"], "indicator")
    outcome = services.outcome_create(actor=request.auth, analysis=analysis, **fields)
    return Status(201, outcome)


@impact_router.patch(
    "/sroi/{analysis_id}/outcomes/{outcome_id}",
    response={200: OutcomeOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def update_outcome(
    request: HttpRequest,
    analysis_id: int,
    outcome_id: int,
    payload: OutcomePatch,
    if_match: IfMatch = None,
):
    """Change some of an outcome's assumptions; the others stay as they are."""
    outcome = get_object_or_404(
        SroiOutcome.objects.select_related("analysis__initiative", "stakeholder"),
        analysis_id=analysis_id,
        pk=outcome_id,
    )
    fields, version = patch_fields(request, payload, if_match)
    return services.outcome_update(
        actor=request.auth, outcome=outcome, expected_version=version, **fields
    )


@impact_router.delete(
    "/indicators/{indicator_id}/measurements/{measurement_id}",
    response={204: None, **ERRORS},
    auth=signed_in,
)
def delete_measurement(request: HttpRequest, indicator_id: int, measurement_id: int):
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__initiative"),
        indicator_id=indicator_id,
        pk=measurement_id,
    )
    services.measurement_delete(actor=request.auth, measurement=measurement)
    return Status(204, None)


@impact_router.put(
    "/initiatives/{initiative_id}/report",
    response={200: ReportOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def put_report(
    request: HttpRequest, initiative_id: int, payload: ImpactReportIn, if_match: IfMatch = None
):
    """Write the impact report. The first time (no report yet) needs no version."""
    initiative, fields, version = _first_put(
        request, ImpactReport, initiative_id, payload, if_match
    )
    fields["sroi"] = _object(SroiAnalysis, fields["sroi"] or None, "sroi", initiative=initiative)
    return services.report_update(
        actor=request.auth, initiative=initiative, expected_version=version, **fields
    )


@impact_router.post(
    "/initiatives/{initiative_id}/report/publish",
    response={200: ReportOut, **ERRORS},
    auth=signed_in,
)
def publish_report(request: HttpRequest, initiative_id: int, payload: PublishIn):
    """Publish (``{"publish": true}``) or withdraw the report. Publishing makes the whole
    follow-up of the initiative public."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    return services.report_publish(
        actor=request.auth, initiative=initiative, publish=payload.publish
    )


@impact_router.get("/totals", response=AllTotalsOut)
def totals(request: HttpRequest):
    """Figures of initiatives with a published impact report: in all, per societal challenge
    (term code) and per county (SCB code)."""
    data = selectors.totals()
    return {
        "overall": data["overall"],
        "by_challenge": data["by_challenge"],
        "by_county": data["by_county"],
    }
