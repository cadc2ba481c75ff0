from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from hjulet.accounts.models import Organisation, User
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, patch_fields
from hjulet.core.models import Vocabulary
from hjulet.core.permissions import require
from hjulet.core.schemas import ERRORS, ErrorOut

from . import selectors, services
from .models import Initiative, InitiativeEditor, Method, Partnership
from .schemas import (
    AdaptationIn,
    AdaptationOut,
    EditorIn,
    EditorOut,
    InitiativeIn,
    InitiativeListOut,
    InitiativeOut,
    InitiativePatch,
    MethodIn,
    MethodOut,
    MethodPatch,
    PartnerIn,
    PartnershipOut,
    SimilarOut,
    SpreadOut,
)

initiatives_router = Router(tags=["initiatives"])
methods_router = Router(tags=["methods"])


class SearchQuery(Schema):
    q: str = ""
    challenge: list[str] = []
    target_group: list[str] = []
    sdg: list[str] = []
    stage: list[str] = []
    county: list[str] = []
    municipality: list[str] = []
    country: list[str] = Field(
        [], description="ISO codes, or 'international' for every example outside Sweden"
    )
    sector: list[str] = []
    method: list[str] = []
    sort: str = ""


def _resolve(fields: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids from the client → the objects the services take."""
    for field, slug in services.TAGS.items():
        if fields.get(field) is not None:
            fields[field] = lookups.terms(field, slug, fields[field])
    if fields.get("stage") is not None:
        fields["stage"] = lookups.terms("stage", Vocabulary.STAGE, [fields["stage"]])[0]
    if fields.get("municipality") == "":
        fields["municipality"] = None
    if fields.get("municipality") is not None:
        fields["municipality"] = lookups.municipality("municipality", fields["municipality"])
    if fields.get("methods") is not None:
        methods = list(Method.objects.filter(slug__in=fields["methods"]))
        if len(methods) != len(set(fields["methods"])):
            raise ValidationError({"methods": _("Unknown method.")})
        fields["methods"] = methods
    if fields.get("organisations") is not None:
        fields["organisations"] = lookups.all_existing(
            Organisation, "organisations", fields["organisations"], _("Unknown organisation.")
        )
    if fields.get("links") is not None:
        fields["links"] = "\n".join(fields["links"])
    return fields


@initiatives_router.get("", response=list[InitiativeListOut])
@paginate
def list_initiatives(request: HttpRequest, query: Query[SearchQuery]):
    """Search and filter initiatives (same rules as the list page). Facets repeat:
    `?challenge=segregation&challenge=integration`."""
    filters = selectors.InitiativeFilters(**query.dict())
    results = selectors.search_initiatives(filters)
    return _LazyPage(results)


class _LazyPage:
    """Lets the paginator slice ranked ids and fetch only one page of objects."""

    def __init__(self, results: selectors.Results) -> None:
        self.results = results

    def __len__(self) -> int:
        return self.results.total

    def count(self) -> int:
        return self.results.total

    def __getitem__(self, window: slice) -> list[dict]:
        page = selectors.initiatives_by_ids(self.results.ids[window])
        out = []
        for initiative in page:
            hit = self.results.hits.get(initiative.pk)
            initiative.title_html = hit.title_html if hit else None
            initiative.snippet_html = hit.snippet_html if hit else None
            out.append(initiative)
        return out


@initiatives_router.get("/similar", response=SimilarOut)
def similar(request: HttpRequest, text: str):
    """ "Finns det redan?": initiatives and methods most like a title and summary."""
    found = selectors.similar_entries(text)
    return {"initiatives": found.get("initiatives", []), "methods": found.get("methods", [])}


@initiatives_router.get("/{initiative_id}", response={200: InitiativeOut, 404: ErrorOut})
def get_initiative(request: HttpRequest, initiative_id: int):
    return get_object_or_404(selectors.initiative_detail_query(), pk=initiative_id)


@initiatives_router.post("", response={201: InitiativeOut, **ERRORS}, auth=signed_in)
def create_initiative(request: HttpRequest, payload: InitiativeIn):
    fields = payload.dict()
    lead = lookups.existing(
        Organisation,
        "lead_organisation",
        fields.pop("lead_organisation"),
        _("Unknown organisation."),
    )
    initiative = services.initiative_create(actor=request.auth, lead=lead, **_resolve(fields))
    return Status(201, selectors.initiative_detail_query().get(pk=initiative.pk))


@initiatives_router.patch(
    "/{initiative_id}", response={200: InitiativeOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def update_initiative(
    request: HttpRequest, initiative_id: int, payload: InitiativePatch, if_match: IfMatch = None
):
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    fields, version = patch_fields(request, payload, if_match)
    services.initiative_update(
        actor=request.auth, initiative=initiative, expected_version=version, **_resolve(fields)
    )
    return selectors.initiative_detail_query().get(pk=initiative.pk)


@initiatives_router.post(
    "/{initiative_id}/adaptations", response={201: AdaptationOut, **ERRORS}, auth=signed_in
)
def create_adaptation(request: HttpRequest, initiative_id: int, payload: AdaptationIn):
    """Record that this initiative adapted a method or another initiative."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    source_method = (
        get_object_or_404(Method, slug=payload.source_method) if payload.source_method else None
    )
    source_initiative = (
        get_object_or_404(Initiative, pk=payload.source_initiative)
        if payload.source_initiative
        else None
    )
    adaptation = services.adaptation_create(
        actor=request.auth,
        initiative=initiative,
        source_method=source_method,
        source_initiative=source_initiative,
        what_changed=payload.what_changed,
        why=payload.why,
    )
    return Status(201, adaptation)


@initiatives_router.post(
    "/{initiative_id}/partners", response={201: PartnershipOut, **ERRORS}, auth=signed_in
)
def add_partner(request: HttpRequest, initiative_id: int, payload: PartnerIn):
    """Ask an organisation to be a partner (or change a partner's role). It is shown as a
    partner once its administrators accept (``status`` is ``pending`` until then)."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    organisation = lookups.existing(
        Organisation, "organisation", payload.organisation, _("Unknown organisation.")
    )
    partnership = services.partnership_set(
        actor=request.auth, initiative=initiative, organisation=organisation, role=payload.role
    )
    return Status(201, partnership)


def _partnership(**lookup: Any) -> Partnership:
    return get_object_or_404(
        Partnership.objects.select_related("initiative", "organisation"), **lookup
    )


@initiatives_router.delete(
    "/{initiative_id}/partners/{organisation_id}",
    response={204: None, **ERRORS},
    auth=signed_in,
)
def remove_partner(request: HttpRequest, initiative_id: int, organisation_id: int):
    """Remove a partner or withdraw a request; a partner's administrators may leave."""
    partnership = _partnership(initiative_id=initiative_id, organisation_id=organisation_id)
    services.partnership_remove(actor=request.auth, partnership=partnership)
    return Status(204, None)


@initiatives_router.post(
    "/partnerships/{partnership_id}/accept",
    response={200: PartnershipOut, **ERRORS},
    auth=signed_in,
)
def accept_partnership(request: HttpRequest, partnership_id: int):
    """The organisation's administrators accept a request to be a partner."""
    partnership = _partnership(pk=partnership_id)
    return services.partnership_accept(actor=request.auth, partnership=partnership)


@initiatives_router.post(
    "/partnerships/{partnership_id}/decline",
    response={204: None, **ERRORS},
    auth=signed_in,
)
def decline_partnership(request: HttpRequest, partnership_id: int):
    """The organisation's administrators decline a request to be a partner."""
    partnership = _partnership(pk=partnership_id)
    services.partnership_decline(actor=request.auth, partnership=partnership)
    return Status(204, None)


@initiatives_router.post(
    "/{initiative_id}/editors", response={201: EditorOut, **ERRORS}, auth=signed_in
)
def add_editor(request: HttpRequest, initiative_id: int, payload: EditorIn):
    """Name a person editor (the lead organisation's administrators and coordinators)."""
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    # Refused before the person is looked up, so that nobody else learns which ids exist.
    require(services.can_manage_initiative(request.auth, initiative), services.manage_refused())
    user = lookups.existing(
        User.objects.filter(is_active=True), "user", payload.user, _("Unknown person.")
    )
    editor = services.initiative_editor_add(actor=request.auth, initiative=initiative, user=user)
    return Status(201, editor)


@initiatives_router.delete(
    "/{initiative_id}/editors/{user_id}", response={204: None, **ERRORS}, auth=signed_in
)
def remove_editor(request: HttpRequest, initiative_id: int, user_id: int):
    editor = get_object_or_404(
        InitiativeEditor.objects.select_related("initiative", "user"),
        initiative_id=initiative_id,
        user_id=user_id,
    )
    services.initiative_editor_remove(actor=request.auth, editor=editor)
    return Status(204, None)


@methods_router.get("", response=list[MethodOut])
@paginate
def list_methods(request: HttpRequest, q: str = ""):
    return selectors.methods_with_tags(q)


@methods_router.get("/{slug}", response={200: MethodOut, 404: ErrorOut})
def get_method(request: HttpRequest, slug: str):
    return get_object_or_404(selectors.method_detail_query(), slug=slug)


@methods_router.get("/{slug}/spread", response={200: SpreadOut, 404: ErrorOut})
def method_spread(request: HttpRequest, slug: str):
    """Where the method is used: initiatives per kommun and per län (SCB codes)."""
    method = get_object_or_404(Method, slug=slug)
    _total, municipalities, counties, _international = selectors.spread_counts(method)
    return {
        "municipalities": municipalities,
        "counties": counties,
        "initiatives": selectors.spread_initiatives(method).only("id", "slug", "title"),
    }


@methods_router.post("", response={201: MethodOut, **ERRORS}, auth=signed_in)
def create_method(request: HttpRequest, payload: MethodIn):
    method = services.method_create(actor=request.auth, **_resolve(payload.dict()))
    return Status(201, selectors.method_detail_query().get(pk=method.pk))


@methods_router.patch(
    "/{slug}", response={200: MethodOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def update_method(request: HttpRequest, slug: str, payload: MethodPatch, if_match: IfMatch = None):
    method = get_object_or_404(Method, slug=slug)
    fields, version = patch_fields(request, payload, if_match)
    services.method_update(
        actor=request.auth, method=method, expected_version=version, **_resolve(fields)
    )
    return selectors.method_detail_query().get(pk=method.pk)
