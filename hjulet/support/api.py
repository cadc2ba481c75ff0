from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from hjulet.accounts.models import Organisation, User
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, patch_fields
from hjulet.core.models import County, Municipality, Vocabulary
from hjulet.core.schemas import ERRORS, ErrorOut
from hjulet.core.services import submit_once
from hjulet.knowledge.models import Initiative

from . import selectors, services
from .models import AdviceRequest, FundingCall, SupportStructure
from .schemas import (
    AssignIn,
    CallIn,
    CallOut,
    CallPatch,
    CloseIn,
    FollowOut,
    ForwardIn,
    NoteIn,
    NoteOut,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    StructureIn,
    StructureOut,
    StructurePatch,
)

structures_router = Router(tags=["support structures"])
calls_router = Router(tags=["funding calls"])
requests_router = Router(tags=["advice requests"])


def _resolve(fields: dict[str, Any]) -> dict[str, Any]:
    """Codes from the client → the objects the services take."""
    if fields.get("counties") is not None:
        fields["counties"] = lookups.areas(County, "counties", fields["counties"])
    if fields.get("municipalities") is not None:
        fields["municipalities"] = lookups.areas(
            Municipality, "municipalities", fields["municipalities"]
        )
    if fields.get("challenges") is not None:
        fields["challenges"] = lookups.terms(
            "challenges", Vocabulary.CHALLENGE, fields["challenges"]
        )
    if fields.get("sdgs") is not None:
        fields["sdgs"] = lookups.terms("sdgs", Vocabulary.SDG, fields["sdgs"])
    return fields


def _organisation(field: str, pk: int) -> Organisation:
    return lookups.existing(Organisation, field, pk, _("Unknown organisation."))


# --- support structures -----------------------------------------------------------------


class DirectoryQuery(Schema):
    municipality: str = ""
    need: str = ""
    audience: str = ""


@structures_router.get("", response={200: list[StructureOut], 400: ErrorOut})
@paginate
def list_structures(request: HttpRequest, query: Query[DirectoryQuery]):
    """The directory. `municipality` (SCB code): structures that serve that kommun, its län or
    all of Sweden; `need`: one of the services; `audience`: whom they serve."""
    municipality = (
        lookups.municipality("municipality", query.municipality) if query.municipality else None
    )
    return selectors.structures(municipality=municipality, need=query.need, audience=query.audience)


@structures_router.get("/{slug}", response={200: StructureOut, 404: ErrorOut})
def get_structure(request: HttpRequest, slug: str):
    return get_object_or_404(selectors.structure_detail_query(), organisation__slug=slug)


@structures_router.post("", response={201: StructureOut, **ERRORS}, auth=signed_in)
def create_structure(request: HttpRequest, payload: StructureIn):
    fields = payload.dict()
    organisation = _organisation("organisation", fields.pop("organisation"))
    structure = services.structure_create(
        actor=request.auth, organisation=organisation, **_resolve(fields)
    )
    return Status(201, selectors.structure_detail_query().get(pk=structure.pk))


@structures_router.patch(
    "/{slug}", response={200: StructureOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def update_structure(
    request: HttpRequest, slug: str, payload: StructurePatch, if_match: IfMatch = None
):
    structure = get_object_or_404(SupportStructure, organisation__slug=slug)
    fields, version = patch_fields(request, payload, if_match)
    services.structure_update(
        actor=request.auth, structure=structure, expected_version=version, **_resolve(fields)
    )
    return selectors.structure_detail_query().get(pk=structure.pk)


# --- funding calls ----------------------------------------------------------------------


class CallQuery(Schema):
    open_now: bool = False
    municipality: str = ""
    audience: str = ""
    challenge: str = ""
    include_closed: bool = False


@calls_router.get("", response={200: list[CallOut], 400: ErrorOut})
@paginate
def list_calls(request: HttpRequest, query: Query[CallQuery]):
    """Calls not yet past their deadline (or all with `include_closed`). "Open now for me":
    `open_now=true&municipality=2460&audience=residents`."""
    municipality = (
        lookups.municipality("municipality", query.municipality) if query.municipality else None
    )
    return selectors.calls(
        selectors.CallFilters(
            open_now=query.open_now,
            municipality=municipality,
            audience=query.audience,
            challenge=query.challenge,
            include_closed=query.include_closed,
        )
    )


@calls_router.get("/for-initiative/{initiative_id}", response={200: list[CallOut], 404: ErrorOut})
def calls_for_initiative(request: HttpRequest, initiative_id: int):
    """Open calls that fit an initiative's societal challenges and kommun."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    return selectors.calls_for_initiative(initiative)


@calls_router.get("/{slug}", response={200: CallOut, 404: ErrorOut})
def get_call(request: HttpRequest, slug: str):
    return get_object_or_404(selectors.call_detail_query(), slug=slug)


@calls_router.post("", response={201: CallOut, **ERRORS}, auth=signed_in)
def create_call(request: HttpRequest, payload: CallIn):
    fields = payload.dict()
    funder = _organisation("funder", fields.pop("funder"))
    call = services.call_create(actor=request.auth, funder=funder, **_resolve(fields))
    return Status(201, selectors.call_detail_query().get(pk=call.pk))


@calls_router.patch("/{slug}", response={200: CallOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in)
def update_call(request: HttpRequest, slug: str, payload: CallPatch, if_match: IfMatch = None):
    call = get_object_or_404(FundingCall, slug=slug)
    fields, version = patch_fields(request, payload, if_match)
    services.call_update(
        actor=request.auth, call=call, expected_version=version, **_resolve(fields)
    )
    return selectors.call_detail_query().get(pk=call.pk)


@calls_router.post("/{slug}/follow", response={201: FollowOut, **ERRORS}, auth=signed_in)
def follow_call(request: HttpRequest, slug: str):
    """Follow a call: one e-mail reminder in the week before its deadline."""
    call = get_object_or_404(FundingCall, slug=slug)
    services.call_follow(actor=request.auth, call=call)
    return Status(201, {"call": call.slug, "following": True})


@calls_router.delete("/{slug}/follow", response={200: FollowOut, **ERRORS}, auth=signed_in)
def unfollow_call(request: HttpRequest, slug: str):
    call = get_object_or_404(FundingCall, slug=slug)
    services.call_unfollow(actor=request.auth, call=call)
    return {"call": call.slug, "following": False}


# --- advice requests --------------------------------------------------------------------


def _visible(request: HttpRequest, request_id: int) -> AdviceRequest:
    """Unknown and not-yours look the same (404), so ids reveal nothing."""
    advice = selectors.request_detail_query().filter(pk=request_id).first()
    if advice is None or not services.can_view_request(request.auth, advice):
        raise Http404
    return advice


def _detail(request: HttpRequest, advice: AdviceRequest) -> AdviceRequest:
    """Notes and meetings are for the handlers; the asker sees the request and its outcome."""
    advice = selectors.request_detail_query().get(pk=advice.pk)
    if not services.handles_request(request.auth, advice):
        advice.notes_shown = []
    else:
        advice.notes_shown = list(advice.notes.all())
    return advice


class RequestQuery(Schema):
    status: str = ""


@requests_router.get("", response={200: list[RequestOut], 401: ErrorOut}, auth=signed_in)
@paginate
def list_requests(request: HttpRequest, query: Query[RequestQuery]):
    """The requests you may see: your own, those sent to your support structures, or all
    (coordinators)."""
    found = selectors.visible_requests(request.auth)
    if query.status:
        found = found.filter(status=query.status)
    return found


@requests_router.post(
    "", response={200: RequestDetailOut, 201: RequestDetailOut, **ERRORS}, auth=signed_in
)
def create_request(request: HttpRequest, payload: RequestIn):
    """Ask for advice; the answer (201) says where the request was sent. Sent again with the
    same ``submission_token``: 200 with the request the first sending made, nothing new."""
    fields = payload.dict()
    organisation = (
        _organisation("organisation", fields["organisation"]) if fields["organisation"] else None
    )
    municipality = lookups.municipality("municipality", fields["municipality"])
    advice, first = submit_once(
        token=fields["submission_token"],
        actor=request.auth,
        save=lambda: services.request_create(
            actor=request.auth,
            title=fields["title"],
            description=fields["description"],
            municipality=municipality,
            needs=fields["needs"],
            organisation=organisation,
        ),
    )
    return Status(201 if first else 200, _detail(request, advice))


@requests_router.get("/{request_id}", response={200: RequestDetailOut, **ERRORS}, auth=signed_in)
def get_request(request: HttpRequest, request_id: int):
    return _detail(request, _visible(request, request_id))


@requests_router.post(
    "/{request_id}/assign", response={200: RequestDetailOut, **ERRORS}, auth=signed_in
)
def assign_request(request: HttpRequest, request_id: int, payload: AssignIn):
    advice = _visible(request, request_id)
    adviser = User.objects.by_email(payload.adviser).first()
    if adviser is None:
        raise ValidationError({"adviser": _("No one on Hjulet has that e-mail address.")})
    services.request_assign(
        actor=request.auth, request=advice, adviser=adviser, expected_version=payload.version
    )
    return _detail(request, advice)


@requests_router.post(
    "/{request_id}/forward", response={200: RequestDetailOut, **ERRORS}, auth=signed_in
)
def forward_request(request: HttpRequest, request_id: int, payload: ForwardIn):
    """Send the request on to another support structure too."""
    advice = _visible(request, request_id)
    structure = lookups.existing(
        SupportStructure, "structure", payload.structure, _("Unknown support structure.")
    )
    services.request_forward(actor=request.auth, request=advice, structure=structure)
    return _detail(request, advice)


@requests_router.post("/{request_id}/notes", response={201: NoteOut, **ERRORS}, auth=signed_in)
def add_note(request: HttpRequest, request_id: int, payload: NoteIn):
    """A note or (with `kind=meeting` and `met_on`) a meeting."""
    advice = _visible(request, request_id)
    note = services.request_add_note(actor=request.auth, request=advice, **payload.dict())
    return Status(201, note)


@requests_router.post(
    "/{request_id}/close", response={200: RequestDetailOut, **ERRORS}, auth=signed_in
)
def close_request(request: HttpRequest, request_id: int, payload: CloseIn):
    advice = _visible(request, request_id)
    initiative = None
    if payload.initiative is not None:
        initiative = lookups.existing(
            Initiative, "initiative", payload.initiative, _("Unknown initiative.")
        )
    services.request_close(
        actor=request.auth,
        request=advice,
        outcome=payload.outcome,
        note=payload.note,
        initiative=initiative,
        expected_version=payload.version,
    )
    return _detail(request, advice)
