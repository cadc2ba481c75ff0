import datetime

from ninja import Schema
from pydantic import Field

from hjulet.core.schemas import VERSION_DESCRIPTION


class StepOut(Schema):
    id: int
    title: str
    owner_person_id: int | None
    owner_organisation_id: int | None
    due_date: datetime.date | None
    done: bool


class PlanProgressOut(Schema):
    reached: int = Field(description="Municipalities where the method is adapted")
    target: int
    percent: int
    reached_codes: list[str] = Field(description="SCB codes of the municipalities reached")


class PlanOut(Schema):
    id: int
    method: str = Field(description="The method's address name")
    title: str
    goal: str
    target_places: int
    target_year: int
    audiences: list[str]
    counties: list[str] = Field(description="SCB codes")
    municipalities: list[str] = Field(description="SCB codes")
    owners: list[int]


class PlanDetailOut(PlanOut):
    steps: list[StepOut]
    progress: PlanProgressOut


class PlanIn(Schema):
    method: str = Field(description="The method's address name")
    title: str = Field(max_length=200)
    goal: str
    target_places: int = Field(ge=1)
    target_year: int
    audiences: str = ""
    counties: list[str] = []
    municipalities: list[str] = []


class StepIn(Schema):
    title: str = Field(max_length=200)
    due_date: datetime.date | None = None
    owner_organisation: int | None = Field(None, description="Id of the organisation")


class StepDoneIn(Schema):
    done: bool


class DraftIn(Schema):
    source_method: str | None = Field(None, description="The method's address name")
    source_initiative: int | None = Field(None, description="Id of the initiative")
    municipality: str | None = Field(None, description="SCB code of your municipality")
    organisation: int | None = Field(None, description="Id of your organisation, if any")


class DraftPatch(Schema):
    version: int | None = Field(None, description=VERSION_DESCRIPTION)
    title: str | None = Field(None, max_length=200)
    municipality: str | None = None
    target_group: str | None = None
    partners: str | None = None
    financing: str | None = None
    what_to_change: str | None = None
    why: str | None = None
    achieved: str | None = None


class ChecklistItemOut(Schema):
    question: str
    decided: bool


class DraftOut(Schema):
    id: int
    title: str
    status: str = Field(description="draft, published or stopped")
    source_method_id: int | None
    source_initiative_id: int | None
    municipality: str | None = Field(None, alias="municipality_id")
    organisation_id: int | None
    target_group: str
    partners: str
    financing: str
    what_to_change: str
    why: str
    achieved: str
    stopped_reason: str
    checklist: list[ChecklistItemOut] = Field(alias="checklist_items")
    version: int


class MessageIn(Schema):
    body: str = Field(max_length=5000)


class MessageOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime.datetime
