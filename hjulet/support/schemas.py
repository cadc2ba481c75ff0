import datetime
import uuid

from ninja import Schema
from pydantic import Field

from hjulet.accounts.schemas import MunicipalityRef, TermRef
from hjulet.core.schemas import VERSION_DESCRIPTION


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str


class CountyRef(Schema):
    code: str
    name: str


class AreaOut(Schema):
    scope: str = Field(description="national, county or municipality")
    counties: list[CountyRef]
    municipalities: list[MunicipalityRef]
    audiences: list[str] = Field(description="ideburen, public, private, residents")


class StructureOut(AreaOut):
    id: int
    organisation: OrganisationRef
    summary: str
    description: str
    services: list[str] = Field(
        description="advice, funding, premises, research, networks, training"
    )
    contact_name: str
    contact_email: str
    phone: str
    website: str
    version: int
    updated_at: datetime.datetime


class AreaIn(Schema):
    scope: str = "municipality"
    counties: list[str] = Field(default_factory=list, description="SCB codes of län")
    municipalities: list[str] = Field(default_factory=list, description="SCB codes of kommuner")
    audiences: list[str] = Field(default_factory=list)


class StructureIn(AreaIn):
    organisation: int = Field(description="Id of your organisation (you must be its admin)")
    summary: str
    services: list[str]
    description: str = ""
    contact_name: str = ""
    contact_email: str
    phone: str = ""
    website: str = ""


class StructurePatch(Schema):
    version: int | None = Field(None, description=VERSION_DESCRIPTION)
    summary: str | None = None
    description: str | None = None
    services: list[str] | None = None
    audiences: list[str] | None = None
    scope: str | None = None
    counties: list[str] | None = None
    municipalities: list[str] | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    website: str | None = None


class CallOut(AreaOut):
    id: int
    slug: str
    title: str
    funder: OrganisationRef
    purpose: str
    challenges: list[TermRef]
    sdgs: list[TermRef]
    eligibility: str
    amount_min: int | None
    amount_max: int | None
    co_financing: str
    opens_on: datetime.date
    deadline: datetime.date
    link: str
    version: int


class CallIn(AreaIn):
    funder: int = Field(description="Id of the funding organisation (you must be a member)")
    title: str
    purpose: str
    opens_on: datetime.date
    deadline: datetime.date
    challenges: list[str] = Field(default_factory=list, description="Term codes")
    sdgs: list[str] = Field(default_factory=list, description="Goal numbers as codes")
    eligibility: str = ""
    amount_min: int | None = None
    amount_max: int | None = None
    co_financing: str = ""
    link: str = ""


class CallPatch(Schema):
    version: int | None = Field(None, description=VERSION_DESCRIPTION)
    title: str | None = None
    purpose: str | None = None
    opens_on: datetime.date | None = None
    deadline: datetime.date | None = None
    challenges: list[str] | None = None
    sdgs: list[str] | None = None
    audiences: list[str] | None = None
    scope: str | None = None
    counties: list[str] | None = None
    municipalities: list[str] | None = None
    eligibility: str | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    co_financing: str | None = None
    link: str | None = None


class FollowOut(Schema):
    call: str
    following: bool


class NoteOut(Schema):
    id: int
    kind: str
    met_on: datetime.date | None
    text: str
    author: str | None = Field(None, description="The author's public name")
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.display_name if obj.author else None


class StructureRef(Schema):
    id: int
    organisation: OrganisationRef


class RequestOut(Schema):
    id: int
    title: str
    description: str
    municipality: MunicipalityRef
    needs: list[str]
    status: str
    routed_to: list[StructureRef]
    to_coordinators: bool
    adviser: str | None = Field(None, description="The adviser's public name")
    outcome: str
    outcome_note: str
    outcome_initiative: int | None = Field(None, alias="outcome_initiative_id")
    waiting_days: int
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_adviser(obj) -> str | None:
        return obj.adviser.display_name if obj.adviser else None


class RequestDetailOut(RequestOut):
    notes: list[NoteOut] = Field(
        default_factory=list, alias="notes_shown", description="Only for those who handle it"
    )


class RequestIn(Schema):
    title: str
    description: str
    municipality: str = Field(description="SCB code of the kommun")
    needs: list[str] = Field(description="advice, funding, premises, research, networks, training")
    organisation: int | None = Field(None, description="Ask on behalf of this organisation")
    submission_token: uuid.UUID | None = Field(
        None,
        description=(
            "Any new UUID per request; sent again with the same one, the answer is 200 with "
            "the request the first sending made, and no second request is saved"
        ),
    )


class AssignIn(Schema):
    adviser: str = Field(description="E-mail address of the adviser")
    version: int | None = None


class NoteIn(Schema):
    text: str
    kind: str = "note"
    met_on: datetime.date | None = None


class CloseIn(Schema):
    outcome: str = Field(description="advice_given, referred, initiative or science_shop")
    note: str = ""
    initiative: int | None = Field(None, description="Id of the initiative it became")
    version: int | None = None


class ForwardIn(Schema):
    structure: int = Field(description="Id of the support structure to send it on to")
