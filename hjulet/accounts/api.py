from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, expected_version
from hjulet.core.models import Term, Vocabulary
from hjulet.core.schemas import ERRORS, ErrorOut

from . import selectors, services
from .models import Organisation
from .schemas import (
    InvitationIn,
    InvitationOut,
    MemberOut,
    MeOut,
    MePatch,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
)

organisations_router = Router(tags=["organisations"])
me_router = Router(tags=["me"], auth=signed_in)


class OrganisationFilter(Schema):
    q: str = ""
    sector: str = ""
    county: str = ""
    municipality: str = ""


def _organisation_query():
    return Organisation.objects.select_related("sector", "municipality")


def _resolve_references(fields: dict[str, Any]) -> dict[str, Any]:
    """Turn the codes an API client sends into the objects the service expects."""
    if "sector" in fields:
        sector = (
            Term.objects.in_vocabulary(Vocabulary.SECTOR)
            .active()
            .filter(code=fields["sector"])
            .first()
        )
        if sector is None:
            raise ValidationError(
                {"sector": _("Unknown sector '%(code)s'.") % {"code": fields["sector"]}}
            )
        fields["sector"] = sector
    if fields.get("municipality"):
        fields["municipality"] = lookups.municipality("municipality", fields["municipality"])
    elif "municipality" in fields:
        fields["municipality"] = None
    return fields


@organisations_router.get("", response=list[OrganisationOut])
@paginate
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]):
    return selectors.organisations(
        q=filters.q,
        sector_code=filters.sector,
        county_code=filters.county,
        municipality_code=filters.municipality,
    )


@organisations_router.get("/{organisation_id}", response={200: OrganisationOut, 404: ErrorOut})
def get_organisation(request: HttpRequest, organisation_id: int):
    return get_object_or_404(_organisation_query(), pk=organisation_id)


@organisations_router.post("", response={201: OrganisationOut, **ERRORS}, auth=signed_in)
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    """Register an organisation; you become its administrator."""
    fields = _resolve_references(payload.dict())
    return Status(201, services.organisation_create(actor=request.auth, **fields))


@organisations_router.patch(
    "/{organisation_id}",
    response={200: OrganisationOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def update_organisation(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch, if_match: IfMatch = None
):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    fields = _resolve_references(payload.dict(exclude_unset=True))
    version = expected_version(request, fields.pop("version", None), if_match)
    return services.organisation_update(
        actor=request.auth, organisation=organisation, expected_version=version, **fields
    )


@organisations_router.get(
    "/{organisation_id}/members", response={200: list[MemberOut], **ERRORS}, auth=signed_in
)
def list_members(request: HttpRequest, organisation_id: int):
    """The members (visible to the organisation's members and coordinators)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not services.is_org_member(request.auth, organisation):
        raise PermissionDenied(_("Only the organisation's members can see who its members are."))
    members = list(selectors.organisation_members(organisation))
    addresses_shown = services.is_org_admin(request.auth, organisation)
    for membership in members:
        membership.shown_email = membership.user.email if addresses_shown else None
    return members


@organisations_router.post(
    "/{organisation_id}/invitations", response={201: InvitationOut, **ERRORS}, auth=signed_in
)
def invite(request: HttpRequest, organisation_id: int, payload: InvitationIn):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    invitation = services.invitation_create(
        actor=request.auth, organisation=organisation, email=payload.email, role=payload.role
    )
    return Status(201, invitation)


def _me(user) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "roles": sorted(user.role_set),
        "memberships": list(selectors.memberships_of(user)),
    }


@me_router.get("", response=MeOut)
def me(request: HttpRequest):
    return _me(request.auth)


@me_router.post("", response={200: MeOut, **ERRORS})
def update_me(request: HttpRequest, payload: MePatch):
    """Set your public name and language (fields left out stay as they are). The name is
    shown to others next to what you write; the e-mail address never is. A POST, not a
    PATCH: only you write your own account, so there is no one else's edit to overwrite."""
    user = request.auth
    fields = payload.dict(exclude_unset=True)
    user = services.user_update_profile(
        actor=user,
        user=user,
        name=user.name if fields.get("name") is None else fields["name"],
        language=fields.get("language") or user.language,
    )
    return _me(user)


@me_router.get("/export")
def export(request: HttpRequest) -> dict[str, Any]:
    """Everything Hjulet holds about you (GDPR)."""
    return services.user_export_data(actor=request.auth, user=request.auth)
