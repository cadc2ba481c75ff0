import datetime

from ninja import Schema
from pydantic import Field

from hjulet.core.schemas import VERSION_DESCRIPTION


class TermRef(Schema):
    code: str
    label: str


class MunicipalityRef(Schema):
    code: str
    name: str
    county_code: str = Field(alias="county_id")


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    org_number: str
    sector: TermRef
    municipality: MunicipalityRef | None
    website: str
    email: str
    description: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class OrganisationIn(Schema):
    name: str
    sector: str = Field(description="Code of a term in the 'sector' vocabulary, e.g. 'ideburen'")
    org_number: str = Field("", description="NNNNNN-NNNN with a valid Luhn check digit")
    municipality: str | None = Field(None, description="SCB code of the kommun, e.g. '2480'")
    website: str = ""
    email: str = ""
    description: str = ""


class OrganisationPatch(Schema):
    name: str | None = None
    sector: str | None = None
    org_number: str | None = None
    municipality: str | None = None
    website: str | None = None
    email: str | None = None
    description: str | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class MemberOut(Schema):
    user_id: int
    name: str = Field(alias="user.display_name")
    email: str | None = Field(
        None,
        alias="shown_email",
        description="Only for the organisation's administrators and coordinators; null for "
        "other members, as on the organisation's page",
    )
    role: str


class InvitationIn(Schema):
    email: str
    role: str = "member"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires_at: datetime.datetime


class MembershipOut(Schema):
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    language: str
    roles: list[str]
    memberships: list[MembershipOut]


class MePatch(Schema):
    name: str | None = Field(
        None,
        description="The name others see (2–60 characters, not an e-mail address). "
        "Never derived from the e-mail address.",
    )
    language: str | None = Field(None, description="'sv' or 'en'")
