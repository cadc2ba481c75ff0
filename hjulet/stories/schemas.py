import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from hjulet.core.schemas import PictureOut

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Slugs = Annotated[list[Annotated[str, Field(max_length=220)]], Field(max_length=50)]


class SubjectRef(Schema):
    slug: str
    title: str


class StoryOut(Schema):
    id: int
    title: str
    text: str
    author: str = Field(description="The author's display name (never an e-mail address)")
    organisation: str | None = Field(None, description="The organisation it is told for")
    status: str = Field(description="pending, published or declined")
    published_at: datetime.datetime | None
    initiatives: list[SubjectRef]
    methods: list[SubjectRef]
    challenges: list[SubjectRef]
    pictures: list[PictureOut]

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.author.display_name

    @staticmethod
    def resolve_organisation(obj: Any) -> str | None:
        return obj.organisation.name if obj.organisation_id else None


class StoryIn(Schema):
    title: str = Field(max_length=200)
    text: str = Field(max_length=50_000)
    organisation: Id | None = Field(None, description="Tell it for an organisation you belong to")
    initiatives: Slugs = []
    methods: Slugs = []
    challenges: Slugs = []


class ReviewIn(Schema):
    decision: str = Field(description="publish or decline")
    reason: str = Field("", max_length=1000)


class ResearchReportOut(Schema):
    id: int
    title: str
    authors: str
    year: int
    institution: str
    doi: str
    url: str
    findings: str
    initiative: SubjectRef | None
    method: SubjectRef | None
    summary_id: int | None = Field(description="A linked science-shop summary")
    has_document: bool

    @staticmethod
    def resolve_has_document(obj: Any) -> bool:
        return bool(obj.document)


class ResearchReportIn(Schema):
    initiative: str | None = Field(None, max_length=220, description="Initiative slug")
    method: str | None = Field(None, max_length=220, description="Method slug")
    title: str = Field(max_length=300)
    authors: str = Field(max_length=500)
    year: int = Field(ge=1900, le=2100)
    institution: str = Field("", max_length=200)
    doi: str = Field("", max_length=300)
    url: str = Field("", max_length=500)
    findings: str = Field(max_length=50_000)
    summary: Id | None = None


class InitiativeSuggestionOut(Schema):
    id: int
    title: str
    summary: str
    description: str
    organisation_name: str
    municipality: str = Field(description="SCB code")
    link: str
    status: str = Field(description="pending, published (accepted) or declined")
    decision_reason: str
    initiative: str | None = Field(None, description="The initiative's slug once accepted")

    @staticmethod
    def resolve_municipality(obj: Any) -> str | None:
        return obj.municipality_id

    @staticmethod
    def resolve_initiative(obj: Any) -> str | None:
        return obj.initiative.slug if obj.initiative_id else None


class SuggestionIn(Schema):
    title: str = Field(max_length=200)
    summary: str = Field(max_length=400)
    description: str = Field("", max_length=50_000)
    organisation_name: str = Field("", max_length=200)
    municipality: str = Field(max_length=4, description="SCB code")
    link: str = Field("", max_length=200)


class AcceptIn(Schema):
    lead: Id = Field(description="The organisation that leads the initiative in the bank")


class DeclineIn(Schema):
    reason: str = Field(max_length=1000)
