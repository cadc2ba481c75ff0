"""Stories, research reports and initiative suggestions under /api/v1/, with the services'
permission rules: a story waiting for review is seen only by its author and reviewers."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from hjulet.accounts.models import Organisation
from hjulet.arenas.models import Challenge
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.permissions import require, require_coordinator
from hjulet.core.schemas import ERRORS, ErrorOut
from hjulet.knowledge.models import Initiative, Method
from hjulet.scienceshop.models import Outcome

from . import selectors, services
from .models import InitiativeSuggestion, ReviewStatus
from .schemas import (
    AcceptIn,
    DeclineIn,
    InitiativeSuggestionOut,
    ResearchReportIn,
    ResearchReportOut,
    ReviewIn,
    StoryIn,
    StoryOut,
    SuggestionIn,
)

stories_router = Router(tags=["stories"])
reports_router = Router(tags=["research reports"])
suggestions_router = Router(tags=["initiative suggestions"], auth=signed_in)


def _by_slug(model: type, field: str, slugs: list[str]) -> list:
    found = list(model.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {obj.slug for obj in found})
    if unknown:
        raise ValidationError(
            {field: _("Unknown address names: %(slugs)s.") % {"slugs": ", ".join(unknown)}}
        )
    return found


def _about(found: QuerySet, **slugs: str) -> QuerySet:
    """``found`` narrowed to the initiative and the method a list asks for (by their slugs);
    an empty slug narrows nothing."""
    for lookup, slug in slugs.items():
        if slug:
            found = found.filter(**{lookup: slug})
    return found


# --- stories ----------------------------------------------------------------------------


def _story(request: HttpRequest, story_id: int):
    story = selectors.story_query().filter(pk=story_id).first()
    if story is None or not services.can_see_story(request.auth, story):
        raise Http404
    return story


@stories_router.get("", response=list[StoryOut])
@paginate
def list_stories(request: HttpRequest, initiative: str = "", method: str = ""):
    """Published stories, newest first; filtered by an initiative's or a method's slug."""
    return _about(selectors.published_stories(), initiatives__slug=initiative, methods__slug=method)


@stories_router.get("/review-queue", response={200: list[StoryOut], **ERRORS}, auth=signed_in)
@paginate
def list_pending(request: HttpRequest):
    """Stories waiting for review (coordinators and moderators)."""
    require(
        services.is_reviewer(request.auth),
        _("Only coordinators and moderators may review stories."),
    )
    return selectors.pending_stories()


@stories_router.get("/{story_id}", response={200: StoryOut, 404: ErrorOut})
def get_story(request: HttpRequest, story_id: int):
    return _story(request, story_id)


@stories_router.post("", response={201: StoryOut, **ERRORS}, auth=signed_in)
def create_story(request: HttpRequest, payload: StoryIn):
    """Published at once when told for your organisation; otherwise status ``pending``."""
    organisation = None
    if payload.organisation is not None:
        organisation = lookups.existing(
            Organisation, "organisation", payload.organisation, _("Unknown organisation.")
        )
    story = services.story_create(
        actor=request.auth,
        title=payload.title,
        text=payload.text,
        organisation=organisation,
        initiatives=_by_slug(Initiative, "initiatives", payload.initiatives),
        methods=_by_slug(Method, "methods", payload.methods),
        challenges=_by_slug(Challenge, "challenges", payload.challenges),
    )
    return Status(201, selectors.story_query().get(pk=story.pk))


@stories_router.post("/{story_id}/review", response={200: StoryOut, **ERRORS}, auth=signed_in)
def review_story(request: HttpRequest, story_id: int, payload: ReviewIn):
    story = _story(request, story_id)
    services.story_review(
        actor=request.auth, story=story, decision=payload.decision, reason=payload.reason
    )
    return selectors.story_query().get(pk=story.pk)


# --- research reports -------------------------------------------------------------------


@reports_router.get("", response=list[ResearchReportOut])
@paginate
def list_reports(request: HttpRequest, initiative: str = "", method: str = ""):
    return _about(selectors.reports(), initiative__slug=initiative, method__slug=method)


@reports_router.get("/{report_id}", response={200: ResearchReportOut, 404: ErrorOut})
def get_report(request: HttpRequest, report_id: int):
    return get_object_or_404(selectors.reports(), pk=report_id)


@reports_router.post("", response={201: ResearchReportOut, **ERRORS}, auth=signed_in)
def create_report(request: HttpRequest, payload: ResearchReportIn):
    """Link research to an initiative or a method (exactly one). The PDF is uploaded on the
    web page; here a DOI, a web address or a science-shop summary says where to read it."""
    if bool(payload.initiative) == bool(payload.method):
        raise ValidationError({"initiative": _("Give either an initiative or a method.")})
    if payload.initiative:
        subject = get_object_or_404(Initiative, slug=payload.initiative)
    else:
        subject = get_object_or_404(Method, slug=payload.method)
    summary = None
    if payload.summary is not None:
        summary = lookups.existing(
            Outcome,
            "summary",
            payload.summary,
            _("Only a published science-shop summary can be linked."),
        )
    fields = payload.dict(exclude={"initiative", "method", "summary"})
    report = services.report_create(actor=request.auth, subject=subject, summary=summary, **fields)
    return Status(201, selectors.reports().get(pk=report.pk))


@reports_router.delete("/{report_id}", response={204: None, **ERRORS}, auth=signed_in)
def delete_report(request: HttpRequest, report_id: int):
    services.report_delete(
        actor=request.auth, report=get_object_or_404(selectors.reports(), pk=report_id)
    )
    return Status(204, None)


# --- suggestions ------------------------------------------------------------------------


def _suggestion(request: HttpRequest, suggestion_id: int) -> InitiativeSuggestion:
    suggestion = (
        InitiativeSuggestion.objects.select_related("initiative").filter(pk=suggestion_id).first()
    )
    if suggestion is None or not (
        request.auth.is_coordinator or suggestion.suggested_by_id == request.auth.pk
    ):
        raise Http404
    return suggestion


@suggestions_router.get("", response=list[InitiativeSuggestionOut])
@paginate
def list_suggestions(request: HttpRequest, pending: bool = False):
    """Your own suggestions; coordinators see everyone's (``pending=true``: the queue)."""
    if request.auth.is_coordinator:
        found = InitiativeSuggestion.objects.select_related("initiative")
    else:
        found = selectors.own_suggestions(request.auth)
    return found.filter(status=ReviewStatus.PENDING) if pending else found


@suggestions_router.get("/{suggestion_id}", response={200: InitiativeSuggestionOut, **ERRORS})
def get_suggestion(request: HttpRequest, suggestion_id: int):
    return _suggestion(request, suggestion_id)


@suggestions_router.post("", response={201: InitiativeSuggestionOut, **ERRORS})
def create_suggestion(request: HttpRequest, payload: SuggestionIn):
    fields = payload.dict()
    municipality = lookups.municipality("municipality", fields.pop("municipality"))
    suggestion = services.suggestion_create(actor=request.auth, municipality=municipality, **fields)
    return Status(201, suggestion)


@suggestions_router.post(
    "/{suggestion_id}/accept", response={200: InitiativeSuggestionOut, **ERRORS}
)
def accept_suggestion(request: HttpRequest, suggestion_id: int, payload: AcceptIn):
    require_coordinator(request.auth)
    suggestion = _suggestion(request, suggestion_id)
    lead = lookups.existing(Organisation, "lead", payload.lead, _("Unknown organisation."))
    services.suggestion_accept(actor=request.auth, suggestion=suggestion, lead=lead)
    return _suggestion(request, suggestion_id)


@suggestions_router.post(
    "/{suggestion_id}/decline", response={200: InitiativeSuggestionOut, **ERRORS}
)
def decline_suggestion(request: HttpRequest, suggestion_id: int, payload: DeclineIn):
    require_coordinator(request.auth)
    services.suggestion_decline(
        actor=request.auth, suggestion=_suggestion(request, suggestion_id), reason=payload.reason
    )
    return _suggestion(request, suggestion_id)
