from ninja import Schema


class HubOut(Schema):
    slug: str
    name: str
    description: str
    brand_colour: str
    tint_colour: str
    host: str | None
    counties: list[str]
    municipalities: list[str]
    logo_url: str | None
    url: str


class HubYearOut(Schema):
    year: int
    initiatives: int
    adaptations: int


class HubStageOut(Schema):
    stage: str
    label: str
    questions: int


class SurveyRateOut(Schema):
    survey: str
    organisation: str
    invited: int
    answered: int
    responses: int
    response_rate_percent: int | None


class DashboardOut(Schema):
    hub: str
    per_year: list[HubYearOut]
    open_advice_requests: int
    unassigned_advice_requests: int
    median_wait_days: float | None
    median_days_to_adviser: float | None
    questions_per_stage: list[HubStageOut]
    surveys: list[SurveyRateOut]
