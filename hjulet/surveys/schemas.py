from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class ChoiceOut(Schema):
    name: str
    label_sv: str
    label_en: str


class QuestionOut(Schema):
    name: str
    type: str
    position: int
    group: str | None = Field(None, description="Name of the enclosing group")
    label_sv: str
    label_en: str
    hint_sv: str
    hint_en: str
    required: bool
    relevant: str
    constraint: str
    constraint_message_sv: str
    constraint_message_en: str
    choice_filter: str
    appearance: str
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_group(obj: Any) -> str | None:
        return obj.group.name if obj.group_id else None

    @staticmethod
    def resolve_choices(obj: Any) -> list:
        return list(obj.choices.all())


class SurveyListOut(Schema):
    slug: str
    title: str
    organisation: int = Field(alias="organisation_id")
    status: str
    deadline: datetime | None
    languages: str


class SurveyOut(SurveyListOut):
    description: str
    form_id: str
    version: int
    questions: list[QuestionOut]


class SurveyIn(Schema):
    organisation: int
    title: str
    description: str = ""
    languages: str = "sv"
    deadline: datetime | None = None


class QuestionIn(Schema):
    name: str
    type: str
    label_sv: str
    label_en: str = ""
    hint_sv: str = ""
    hint_en: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message_sv: str = ""
    constraint_message_en: str = ""
    appearance: str = ""
    choices: list[ChoiceOut] = Field(default_factory=list)


class ResponseOut(Schema):
    id: int
    organisation: int | None = Field(None, alias="organisation_id")
    county: str = Field(alias="county_code")
    sector: str = Field(alias="sector_code")
    submitted_at: datetime | None
    answers: dict[str, Any]
    not_asked: list[str] = Field(
        default_factory=list,
        description="Questions a condition hid from this respondent (not asked, so no answer)",
    )


class OptionResultOut(Schema):
    value: str
    label: str
    count: int
    share: float | None
    low: float | None = Field(description="Wilson 95 % interval, lower bound")
    high: float | None


class NumbersOut(Schema):
    mean: float | None
    median: float | None
    sd: float | None
    min: float | None
    max: float | None


class QuestionResultOut(Schema):
    name: str
    type: str
    n_answered: int
    n_missing: int = Field(description="Asked the question and did not answer it")
    n_not_asked: int = Field(
        description="Not asked: a condition hid the question from them (in no denominator)"
    )
    denominator: int | None = Field(None, description="What each option's share is out of")
    options: list[OptionResultOut] | None = None
    numbers: NumbersOut | None = None


class ResultsOut(Schema):
    n: int
    questions: list[QuestionResultOut]


class CrossTabOut(Schema):
    row: str
    col: str
    row_options: list[str]
    col_options: list[str]
    counts: list[list[int]]
    n: int
    test: str = Field(description="chi-square, fisher, or empty when too little data")
    method: str = Field(
        description="How p was found: asymptotic (chi-square), exact (every table with these "
        "margins weighed) or simulated (random tables with these margins, fixed seed)"
    )
    draws: int = Field(description="Simulated: how many random tables (else 0)")
    p_standard_error: float | None = Field(
        description="Simulated: the standard error of p (else 0)"
    )
    statistic: float | None = Field(
        description="χ²; Fisher: the odds ratio (2×2) or the observed table's probability"
    )
    p_value: float | None
    dof: int
    min_expected: float | None


class AccessIn(Schema):
    email: str = Field(..., description="The research partner's e-mail address")
    note: str = Field("", max_length=200, description="Why they have access")


class AccessOut(Schema):
    id: int
    email: str
    note: str
    granted_at: datetime
