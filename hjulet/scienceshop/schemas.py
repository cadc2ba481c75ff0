import datetime
import uuid

from ninja import Schema
from pydantic import Field

from hjulet.accounts.schemas import TermRef
from hjulet.core.schemas import VERSION_DESCRIPTION


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str


class PersonRef(Schema):
    id: int
    name: str = Field(alias="display_name")


class QuestionListOut(Schema):
    id: int
    title: str
    status: str
    status_label: str = Field(alias="get_status_display")
    organisation: OrganisationRef
    created_at: datetime.datetime
    status_changed_at: datetime.datetime


class FormulationOut(Schema):
    number: int
    text: str
    comment: str
    author: PersonRef | None
    created_at: datetime.datetime


class AssignmentOut(Schema):
    id: int
    kind: str
    researcher: PersonRef | None
    students: str
    thesis_level: str
    supervisor: PersonRef | None
    created_at: datetime.datetime


class MeetingOut(Schema):
    id: int
    starts_at: datetime.datetime
    duration_minutes: int
    place: str
    participants: str
    notes: str
    next_steps: str
    version: int


class ResearchEventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    text: str
    actor: PersonRef | None
    created_at: datetime.datetime


class ResearchOutcomeOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    challenges: list[TermRef]
    funder: str
    link: str
    reason: str
    published_at: datetime.datetime | None


class FollowUpOut(Schema):
    was_used: str
    how: str
    created_at: datetime.datetime


class ResearchQuestionOut(QuestionListOut):
    background: str
    wanted_knowledge: str
    intended_use: str
    non_commercial: bool
    results_may_be_public: bool
    lacks_means: bool
    challenges: list[TermRef]
    decision_reason: str
    version: int
    formulations: list[FormulationOut]
    assignments: list[AssignmentOut]
    meetings: list[MeetingOut]
    timeline: list[ResearchEventOut] = Field(alias="events")
    outcome: ResearchOutcomeOut | None = None
    follow_up: FollowUpOut | None = None
    next_statuses: list[str] = Field(description="Statuses the table allows from this one")

    @staticmethod
    def resolve_meetings(obj):
        """Empty for those who may see the question but not its meetings."""
        return [] if getattr(obj, "meetings_hidden", False) else list(obj.meetings.all())

    @staticmethod
    def resolve_outcome(obj):
        return getattr(obj, "outcome", None)

    @staticmethod
    def resolve_follow_up(obj):
        return getattr(obj, "follow_up", None)

    @staticmethod
    def resolve_next_statuses(obj):
        from .workflow import targets_from

        return targets_from(obj.status)


class ResearchQuestionIn(Schema):
    organisation: int = Field(description="Id of the asking organisation; you must be a member")
    title: str
    background: str
    wanted_knowledge: str
    intended_use: str
    non_commercial: bool
    results_may_be_public: bool
    lacks_means: bool
    challenges: list[str] = Field(default_factory=list, description="Term codes")
    submission_token: uuid.UUID | None = Field(
        None,
        description=(
            "Any new UUID per question; sent again with the same one, the answer is 200 with "
            "the question the first sending made, and no second question is saved"
        ),
    )


class FormulationIn(Schema):
    text: str
    comment: str = ""


class ResearchDecisionIn(Schema):
    decision: str = Field(description="accepted, referred, advised or declined")
    reason: str


class TransitionIn(Schema):
    target: str = Field(description="in_dialogue, matched or in_progress")
    reason: str = ""


class InterestIn(Schema):
    message: str = ""


class AssignmentIn(Schema):
    kind: str = Field(description="researcher or student")
    researcher: int | None = Field(None, description="User id of a researcher")
    students: str = ""
    thesis_level: str = Field("", description="bachelor, master or course")
    supervisor: int | None = Field(None, description="User id of a researcher")


class MeetingIn(Schema):
    starts_at: datetime.datetime
    duration_minutes: int = 60
    place: str = ""
    participants: str
    notes: str = ""
    next_steps: str = ""


class MeetingPatch(Schema):
    starts_at: datetime.datetime | None = None
    duration_minutes: int | None = None
    place: str | None = None
    participants: str | None = None
    notes: str | None = None
    next_steps: str | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class ResearchOutcomeIn(Schema):
    kind: str = Field(description="summary, research_project or closed")
    title: str = ""
    summary: str = ""
    challenges: list[str] = Field(default_factory=list, description="Term codes")
    funder: str = ""
    link: str = ""
    reason: str = ""


class FollowUpIn(Schema):
    was_used: str = Field(description="yes, partly or no")
    how: str


class SummaryOut(Schema):
    id: int
    title: str
    summary: str
    challenges: list[TermRef]
    organisation: str = Field(alias="question.organisation.name")
    question: str = Field(alias="question.wanted_knowledge")
    published_at: datetime.datetime | None


class ResearcherOut(Schema):
    id: int = Field(alias="user.id")
    name: str = Field(alias="user.display_name")
    university: str
    department: str
    expertise: str
    earlier_work: str
    is_available: bool
    version: int


class ResearcherIn(Schema):
    university: str
    department: str = ""
    expertise: str
    earlier_work: str = ""
    is_available: bool = True
    version: int | None = Field(
        None, description=VERSION_DESCRIPTION + " Not needed while you have no profile yet."
    )


class SuggestionOut(Schema):
    researcher: ResearcherOut
    score: float = Field(
        description="How close, relative to the best suggestion (1); from the search ranking"
    )
    shared_terms: list[str] = Field(description="Shared Swedish stems, most important first")
    shared_words: list[str] = Field(description="The same, as words from the question")


class StageOut(Schema):
    status: str
    median_days: float | None
    finished: int
    now_in_stage: int


class OverviewOut(Schema):
    per_status: dict[str, int]
    stages: list[StageOut]
    open_work: dict[str, list[int]]
