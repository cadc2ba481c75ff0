"""Dissemination plans and adaptation drafts with their threads: the same rules as the pages."""

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from hjulet.accounts.models import Organisation
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, patch_fields
from hjulet.core.models import County, Municipality
from hjulet.core.schemas import ERRORS, ErrorOut
from hjulet.knowledge.models import Initiative, Method

from . import selectors, services
from .models import AdaptationDraft, PlanStep, SpreadPlan
from .schemas import (
    DraftIn,
    DraftOut,
    DraftPatch,
    MessageIn,
    MessageOut,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    StepDoneIn,
    StepIn,
    StepOut,
)

plans_router = Router(tags=["spreading"])
drafts_router = Router(tags=["spreading"])


def _plan_out(plan: SpreadPlan, *, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": plan.pk,
        "method": plan.method.slug,
        "title": plan.title,
        "goal": plan.goal,
        "target_places": plan.target_places,
        "target_year": plan.target_year,
        "audiences": plan.audience_list,
        "counties": [c.code for c in plan.counties.all()],
        "municipalities": [m.code for m in plan.municipalities.all()],
        "owners": [o.pk for o in plan.owners.all()],
    }
    if detail:
        progress = selectors.plan_progress(plan)
        out["steps"] = list(plan.steps.all())
        out["progress"] = {
            "reached": progress.reached,
            "target": progress.target,
            "percent": progress.percent,
            "reached_codes": [p.code for p in progress.places],
        }
    return out


@plans_router.get("", response=list[PlanOut])
def list_plans(request: HttpRequest, method: str = ""):
    """Every dissemination plan, or those of one method (its address name)."""
    plans = SpreadPlan.objects.select_related("method").prefetch_related(
        "counties", "municipalities", "owners"
    )
    if method:
        plans = plans.filter(method__slug=method)
    return [_plan_out(p) for p in plans]


@plans_router.get("/{plan_id}", response={200: PlanDetailOut, 404: ErrorOut})
def get_plan(request: HttpRequest, plan_id: int):
    """A plan with its steps and its progress (the places where the method is adapted)."""
    return _plan_out(get_object_or_404(selectors.plan_detail_query(), pk=plan_id), detail=True)


@plans_router.post("", response={201: PlanDetailOut, **ERRORS}, auth=signed_in)
def create_plan(request: HttpRequest, payload: PlanIn):
    """For the people of the organisations behind the method, and coordinators."""
    method = get_object_or_404(Method, slug=payload.method)
    fields = payload.dict(exclude={"method"})
    fields["counties"] = lookups.areas(County, "counties", fields["counties"])
    fields["municipalities"] = lookups.areas(
        Municipality, "municipalities", fields["municipalities"]
    )
    plan = services.plan_create(actor=request.auth, method=method, **fields)
    return Status(201, _plan_out(plan, detail=True))


@plans_router.post("/{plan_id}/steps", response={201: StepOut, **ERRORS}, auth=signed_in)
def create_step(request: HttpRequest, plan_id: int, payload: StepIn):
    plan = get_object_or_404(SpreadPlan, pk=plan_id)
    organisation = (
        get_object_or_404(Organisation, pk=payload.owner_organisation)
        if payload.owner_organisation
        else None
    )
    step = services.step_create(
        actor=request.auth,
        plan=plan,
        title=payload.title,
        due_date=payload.due_date,
        owner_organisation=organisation,
    )
    return Status(201, step)


@plans_router.post(
    "/{plan_id}/steps/{step_id}/done", response={200: StepOut, **ERRORS}, auth=signed_in
)
def set_step_done(request: HttpRequest, plan_id: int, step_id: int, payload: StepDoneIn):
    step = get_object_or_404(PlanStep.objects.select_related("plan"), pk=step_id, plan_id=plan_id)
    return services.step_set_done(actor=request.auth, step=step, done=payload.done)


# --- adaptation drafts ------------------------------------------------------------------


def _readable(request: HttpRequest, draft_id: int) -> AdaptationDraft:
    draft = get_object_or_404(AdaptationDraft, pk=draft_id)
    if not services.can_read_draft(request.auth, draft):
        raise Http404
    return draft


@drafts_router.get("", response={200: list[DraftOut], 401: ErrorOut}, auth=signed_in)
def my_drafts(request: HttpRequest):
    """The adaptations you started."""
    return [d for d in selectors.drafts_of(request.auth)]


@drafts_router.post("", response={201: DraftOut, **ERRORS}, auth=signed_in)
def create_draft(request: HttpRequest, payload: DraftIn):
    """Anyone signed in starts adapting a method or an initiative to their place."""
    source_method = (
        get_object_or_404(Method, slug=payload.source_method) if payload.source_method else None
    )
    source_initiative = (
        get_object_or_404(Initiative, pk=payload.source_initiative)
        if payload.source_initiative
        else None
    )
    municipality = (
        lookups.areas(Municipality, "municipality", [payload.municipality])[0]
        if payload.municipality
        else None
    )
    organisation = (
        get_object_or_404(Organisation, pk=payload.organisation) if payload.organisation else None
    )
    draft = services.draft_create(
        actor=request.auth,
        source_method=source_method,
        source_initiative=source_initiative,
        municipality=municipality,
        organisation=organisation,
    )
    return Status(201, draft)


@drafts_router.get("/{draft_id}", response={200: DraftOut, 404: ErrorOut})
def get_draft(request: HttpRequest, draft_id: int):
    """A published adaptation is public; a draft only for its people and the original team."""
    return _readable(request, draft_id)


@drafts_router.patch(
    "/{draft_id}", response={200: DraftOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def update_draft(
    request: HttpRequest, draft_id: int, payload: DraftPatch, if_match: IfMatch = None
):
    draft = _readable(request, draft_id)
    fields, version = patch_fields(request, payload, if_match)
    if "municipality" in fields and fields["municipality"] is not None:
        fields["municipality"] = lookups.areas(
            Municipality, "municipality", [fields["municipality"]]
        )[0]
    services.draft_update(actor=request.auth, draft=draft, expected_version=version, **fields)
    return draft


@drafts_router.post("/{draft_id}/publish", response={200: DraftOut, **ERRORS}, auth=signed_in)
def publish_draft(request: HttpRequest, draft_id: int):
    """Publish: the place counts in the method's plans, whose owners are told."""
    draft = _readable(request, draft_id)
    return services.draft_publish(actor=request.auth, draft=draft)


def _thread(request: HttpRequest, draft_id: int) -> AdaptationDraft:
    draft = _readable(request, draft_id)
    if not services.can_use_thread(request.auth, draft):
        raise Http404
    return draft


@drafts_router.get(
    "/{draft_id}/messages", response={200: list[MessageOut], **ERRORS}, auth=signed_in
)
def list_messages(request: HttpRequest, draft_id: int):
    """The thread between the place adapting and the original team."""
    draft = _thread(request, draft_id)
    return [_message_out(m) for m in draft.messages.select_related("author")]


def _message_out(message: Any) -> dict[str, Any]:
    return {
        "id": message.pk,
        "author": message.author.display_name if message.author else "",
        "body": message.body,
        "created_at": message.created_at,
    }


@drafts_router.post("/{draft_id}/messages", response={201: MessageOut, **ERRORS}, auth=signed_in)
def post_message(request: HttpRequest, draft_id: int, payload: MessageIn):
    """The other side is told under the bell and by e-mail, with a link to the thread."""
    draft = _thread(request, draft_id)
    message = services.message_post(actor=request.auth, draft=draft, body=payload.body)
    return Status(201, _message_out(message))
