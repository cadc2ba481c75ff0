import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from hjulet.accounts.schemas import MunicipalityRef, TermRef
from hjulet.core.schemas import VERSION_DESCRIPTION, PictureOut

# A database id: bounded so no lookup can overflow the database's integers.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str


class ArenaMemberOut(Schema):
    organisation: OrganisationRef
    role: str = Field(description="lead or partner")


class AgreementOut(Schema):
    id: int
    title: str
    kind: str = Field(description="iop, local or other")
    purpose: str
    parties: list[OrganisationRef]
    starts_on: datetime.date
    ends_on: datetime.date | None
    status: str = Field(description="draft, active or ended")


class ArenaOut(Schema):
    id: int
    name: str
    slug: str
    purpose: str
    is_cross_sector: bool
    memberships: list[ArenaMemberOut]


class ArenaDetailOut(ArenaOut):
    agreements: list[AgreementOut] = Field(
        description="The agreements the caller may see: drafts only for those who manage the "
        "arena and the members of the parties"
    )

    @staticmethod
    def resolve_agreements(obj: Any) -> list[Any]:
        # Set by the endpoint after the rights check; never the unfiltered list.
        return getattr(obj, "visible_agreements", [])


class ArenaIn(Schema):
    name: str
    purpose: str
    municipality: str | None = Field(None, description="SCB code")
    lead_organisations: list[Id] = Field(description="Ids of the lead organisations")
    partner_organisations: list[Id] = Field(default_factory=list)


class PhaseOut(Schema):
    code: str
    starts: datetime.date
    ends: datetime.date
    current: bool
    state: str = Field(description="done, current or upcoming")


class EventOut(Schema):
    id: int
    kind: str = Field(description="workshop or hackathon")
    title: str
    starts_at: datetime.datetime
    place: str
    capacity: int


class ChallengeOut(Schema):
    id: int
    pictures: list[PictureOut] = Field(description="Its pictures, first shown first.")
    title: str
    slug: str
    arena: str | None = Field(None, description="Slug of the arena that posted it")
    organisation: OrganisationRef | None
    problem: str
    affected: str
    municipality: MunicipalityRef
    challenges: list[TermRef]
    sdgs: list[TermRef]
    phases: list[PhaseOut]
    events: list[EventOut]
    is_open: bool

    @staticmethod
    def resolve_arena(obj) -> str | None:
        return obj.arena.slug if obj.arena_id else None

    @staticmethod
    def resolve_phases(obj) -> list[dict]:
        return obj.phases()


class ChallengeIn(Schema):
    title: str
    arena: str | None = Field(None, description="Slug of an arena you coordinate")
    organisation: Id | None = Field(None, description="Id of an organisation you belong to")
    problem: str
    affected: str
    municipality: str = Field(description="SCB code")
    challenges: list[str] = Field(default_factory=list)
    sdgs: list[str] = Field(default_factory=list)
    ideas_from: datetime.date
    develop_from: datetime.date
    test_from: datetime.date
    evaluate_from: datetime.date
    ends_on: datetime.date


class IdeaOut(Schema):
    id: int
    pictures: list[PictureOut] = Field(description="Its pictures, first shown first.")
    challenge: str = Field(description="Slug of the challenge")
    title: str
    body: str
    author: str
    support_count: int = 0
    initiative: str | None = Field(None, description="Slug of the initiative it became")
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_challenge(obj) -> str:
        return obj.challenge.slug

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.display_name

    @staticmethod
    def resolve_initiative(obj) -> str | None:
        return obj.initiative.slug if obj.initiative_id else None


class IdeaIn(Schema):
    title: str = Field(max_length=200)
    body: str


class IdeaPatch(IdeaIn):
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class CommentOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    author: str
    replies_for: str | None = Field(
        None, description="The organisation the author answers for, by name"
    )
    body: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.display_name

    @staticmethod
    def resolve_replies_for(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_body(obj) -> str:
        if obj.is_removed:
            return ""
        return "" if obj.is_hidden else obj.body


class CommentIn(Schema):
    body: str = Field(max_length=4000)
    parent: Id | None = None
    organisation: Id | None = Field(
        None, description="Answer for this organisation (one you are a member of)"
    )


class ReportIn(Schema):
    reason: str = Field(description="spam, offensive or off-topic")


class DoneOut(Schema):
    detail: str


class RegistrationOut(Schema):
    event: int = Field(alias="event_id")
    status: str = Field(description="registered, waiting or cancelled")


class DecisionIn(Schema):
    decision: str = Field(description="keep or remove")
    explanation: str = Field(max_length=1000, description="Sent to the author")
