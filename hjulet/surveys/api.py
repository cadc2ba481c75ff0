import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from hjulet.accounts.models import Membership, Organisation
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.schemas import ERRORS

from . import analysis, selectors, services
from .models import Survey, SurveyAccess, SurveyStatus
from .schemas import (
    AccessIn,
    AccessOut,
    CrossTabOut,
    QuestionIn,
    QuestionResultOut,
    ResponseOut,
    ResultsOut,
    SurveyIn,
    SurveyListOut,
    SurveyOut,
)

surveys_router = Router(tags=["surveys"], auth=signed_in)


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


class SegmentQuery(Schema):
    county: list[str] = []
    sector: list[str] = []


@surveys_router.get("", response=list[SurveyListOut])
@paginate
def list_surveys(request: HttpRequest):
    """Surveys you can see: your organisations' (all for coordinators and researchers)."""
    return selectors.surveys_for(request.auth, counted=False).order_by("-created_at", "pk")


@surveys_router.post("", response={201: SurveyOut, **ERRORS})
def create_survey(request: HttpRequest, payload: SurveyIn):
    fields = payload.dict()
    organisation = lookups.existing(
        Organisation, "organisation", fields.pop("organisation"), _("Unknown organisation.")
    )
    survey = services.survey_create(actor=request.auth, organisation=organisation, **fields)
    return Status(201, _out(survey))


def _out(survey: Survey) -> dict[str, Any]:
    return {
        **{f: getattr(survey, f) for f in ("slug", "title", "status", "deadline", "languages")},
        "organisation_id": survey.organisation_id,
        "description": survey.description,
        "form_id": survey.form_id,
        "version": survey.version,
        "questions": selectors.questions_of(survey),
    }


@surveys_router.get("/{slug}", response={200: SurveyOut, **ERRORS})
def get_survey(request: HttpRequest, slug: str):
    """The questionnaire: questions in order with their choices and conditions."""
    return _out(selectors.survey_to_see(request.auth, slug))


@surveys_router.post("/{slug}/questions", response={201: SurveyOut, **ERRORS})
def add_question(request: HttpRequest, slug: str, payload: QuestionIn):
    survey = selectors.survey_to_see(request.auth, slug)
    fields = payload.dict()
    choices = "\n".join(
        " | ".join(part for part in (c["name"], c["label_sv"], c["label_en"]) if part)
        for c in fields.pop("choices")
    )
    services.question_create(actor=request.auth, survey=survey, choices=choices, **fields)
    return Status(201, _out(survey))


@surveys_router.post("/{slug}/open", response={200: SurveyListOut, **ERRORS})
def open_survey(request: HttpRequest, slug: str):
    return services.survey_open(
        actor=request.auth, survey=selectors.survey_to_see(request.auth, slug)
    )


@surveys_router.post("/{slug}/close", response={200: SurveyListOut, **ERRORS})
def close_survey(request: HttpRequest, slug: str):
    return services.survey_close(
        actor=request.auth, survey=selectors.survey_to_see(request.auth, slug)
    )


@surveys_router.get("/{slug}/responses", response={200: list[ResponseOut], **ERRORS})
@paginate
def list_responses(request: HttpRequest, slug: str):
    """Submitted responses. The owning organisation's people, coordinators and those it gave
    access get all; anyone else signed in gets only the responses given on behalf of their
    own organisations."""
    survey = get_object_or_404(Survey, slug=slug)
    if survey.status == SurveyStatus.DRAFT and not services.can_see_survey(request.auth, survey):
        raise Http404
    responses = selectors.submitted(survey).order_by("pk")
    if services.can_read_answers(request.auth, survey):
        return list(responses)
    own = Membership.objects.filter(user=request.auth).values_list("organisation_id", flat=True)
    mine = list(responses.filter(organisation_id__in=list(own)))
    if not mine:
        raise PermissionDenied(_("Your organisations have no responses to this survey."))
    return mine


@surveys_router.get("/{slug}/results", response={200: ResultsOut, **ERRORS})
def results(request: HttpRequest, slug: str, segment: Query[SegmentQuery]):
    """Every question's figures: n answered, asked and not answered (`n_missing`) and not
    asked (`n_not_asked`: a condition hid the question), shares with Wilson 95 % intervals
    (multiple choice per option, out of those who answered), number summaries. Filter by
    county (`?county=25`) and sector codes."""
    survey = selectors.survey_with_answers(request.auth, slug)
    questions = selectors.questions_of(survey)
    table = selectors.load_table(survey, questions).segment(
        counties=segment.county, sectors=segment.sector
    )
    views = selectors.question_views(questions, analysis.analyse(table))
    out = []
    for view in views:
        result = view.result
        item: dict[str, Any] = {
            "name": result.name,
            "type": result.type,
            "n_answered": result.n_answered,
            "n_missing": result.n_missing,
            "n_not_asked": result.n_not_asked,
        }
        if result.shares is not None:
            item["denominator"] = result.shares.denominator
            item["options"] = [
                {
                    "value": row.value,
                    "label": row.label,
                    "count": row.count,
                    "share": _finite(row.share),
                    "low": _finite(row.low),
                    "high": _finite(row.high),
                }
                for row in view.rows
            ]
        if result.numbers is not None:
            s = result.numbers
            item["numbers"] = {
                "mean": _finite(s.mean),
                "median": _finite(s.median),
                "sd": _finite(s.sd),
                "min": _finite(s.minimum),
                "max": _finite(s.maximum),
            }
        out.append(QuestionResultOut(**item))
    return {"n": table.n, "questions": out}


@surveys_router.get("/{slug}/crosstab", response={200: CrossTabOut, **ERRORS})
def crosstab(request: HttpRequest, slug: str, row: str, col: str):
    """Two single-choice questions against each other, with Pearson's chi-square test, or
    Fisher's exact test when an expected count is under 5 (Fisher–Freeman–Halton for tables
    larger than 2×2: exact, or for large tables simulated with a fixed seed, as `method`,
    `draws` and `p_standard_error` say)."""
    survey = selectors.survey_with_answers(request.auth, slug)
    questions = selectors.questions_of(survey)
    table = selectors.load_table(survey, questions)
    try:
        result = analysis.crosstab(table, row, col)
    except (KeyError, ValueError) as error:
        raise ValidationError(
            {"row": _("Choose two single-choice questions of this survey.")}
        ) from error
    return {
        "row": row,
        "col": col,
        "row_options": table.columns[row].options,
        "col_options": table.columns[col].options,
        "counts": result.counts.tolist(),
        "n": result.n,
        "test": result.test,
        "method": result.method,
        "draws": result.draws,
        "p_standard_error": _finite(result.p_standard_error),
        "statistic": _finite(result.statistic),
        "p_value": _finite(result.p_value),
        "dof": result.dof,
        "min_expected": _finite(result.min_expected),
    }


@surveys_router.get("/{slug}/access", response={200: list[AccessOut], **ERRORS})
def list_access(request: HttpRequest, slug: str):
    """Who outside the owning organisation may read the raw answers (for its administrators
    and coordinators)."""
    return list(selectors.survey_to_manage(request.auth, slug).access_grants.all())


@surveys_router.post("/{slug}/access", response={201: AccessOut, **ERRORS})
def grant_access(request: HttpRequest, slug: str, payload: AccessIn):
    """Give a research partner access to the raw answers by e-mail address; they read them
    once signed in with that address, verified."""
    survey = selectors.survey_to_manage(request.auth, slug)
    access = services.survey_access_grant(
        actor=request.auth, survey=survey, email=payload.email, note=payload.note
    )
    return Status(201, access)


@surveys_router.delete("/{slug}/access/{access_id}", response={204: None, **ERRORS})
def revoke_access(request: HttpRequest, slug: str, access_id: int):
    survey = selectors.survey_to_manage(request.auth, slug)
    access = get_object_or_404(SurveyAccess, pk=access_id, survey=survey)
    services.survey_access_revoke(actor=request.auth, access=access)
    return Status(204, None)
