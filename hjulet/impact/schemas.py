import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from hjulet.core.schemas import VERSION_DESCRIPTION


class ElementOut(Schema):
    id: int
    kind: str = Field(description="activity, output, short_term or long_term")
    title: str
    description: str
    stakeholders: list[str] = Field(alias="stakeholder_list")
    leads_to: list[int] = Field(description="Ids of the later steps this leads to")
    version: int

    @staticmethod
    def resolve_leads_to(obj) -> list[int]:
        return [e.pk for e in obj.leads_to.all()]


class TheoryOut(Schema):
    summary: str
    elements: list[ElementOut]
    version: int


class TheoryIn(Schema):
    summary: str
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class ElementIn(Schema):
    kind: str
    title: str
    description: str = ""
    stakeholders: str = Field("", description="Comma-separated")
    comes_from: list[int] = Field(default_factory=list, description="Ids of earlier steps")


class ElementPatch(Schema):
    kind: str | None = None
    title: str | None = None
    description: str | None = None
    stakeholders: str | None = Field(None, description="Comma-separated")
    comes_from: list[int] | None = Field(None, description="Ids of earlier steps")
    leads_to: list[int] | None = Field(None, description="Ids of later steps")
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class MeasurementOut(Schema):
    id: int
    value: Decimal
    date: datetime.date
    comment: str
    breakdown_value: str


class MeasurementIn(Schema):
    value: Decimal
    date: datetime.date
    comment: str = ""
    breakdown_value: str = ""


class IndicatorBase(Schema):
    name: str
    unit: str
    direction: str = Field("higher", description="higher or lower (is better)")
    baseline_value: Decimal
    baseline_date: datetime.date
    target_value: Decimal
    target_date: datetime.date
    data_source: str
    breakdown: str = ""
    iris_id: str = Field("", description="Optional IRIS+ metric id")


class IndicatorIn(IndicatorBase):
    outcome: int | None = Field(None, description="Id of the outcome step it measures")


class IndicatorOut(IndicatorBase):
    id: int
    outcome: int | None = Field(None, alias="outcome_id")
    status: str | None = Field(description="reached, on_track, behind or null (no data)")
    measurements: list[MeasurementOut] = Field(alias="measurement_list")


class TestCycleBase(Schema):
    __test__ = False

    title: str
    hypothesis: str
    tried: str
    with_whom: str
    started_on: datetime.date
    ended_on: datetime.date | None = None
    result: str = ""
    learned: str = ""
    decision: str = Field("", description="continue, adjust, stop or empty")


class TestCycleIn(TestCycleBase):
    indicators: list[int] = Field(default_factory=list)


class TestCycleOut(TestCycleBase):
    id: int
    indicators: list[int]

    @staticmethod
    def resolve_indicators(obj) -> list[int]:
        return [i.pk for i in obj.indicators.all()]


class AnalysisIn(Schema):
    title: str
    period: str = ""
    discount_rate: Decimal = Decimal("3.5")
    description: str = ""


class InputIn(Schema):
    stakeholder: str
    description: str
    value: Decimal


class InputOut(InputIn):
    id: int

    @staticmethod
    def resolve_stakeholder(obj) -> str:
        return obj.stakeholder.name


class OutcomeIn(Schema):
    stakeholder: str
    name: str
    quantity: Decimal
    duration: int = Field(description="Years")
    proxy_value: Decimal = Field(description="Kronor per unit and year")
    proxy_source: str
    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)
    indicator: int | None = None


class OutcomePatch(Schema):
    stakeholder: str | None = None
    name: str | None = None
    quantity: Decimal | None = None
    duration: int | None = None
    proxy_value: Decimal | None = None
    proxy_source: str | None = None
    deadweight: Decimal | None = None
    displacement: Decimal | None = None
    attribution: Decimal | None = None
    drop_off: Decimal | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class OutcomeOut(OutcomeIn):
    id: int
    version: int
    indicator: int | None = Field(None, alias="indicator_id")

    @staticmethod
    def resolve_stakeholder(obj) -> str:
        return obj.stakeholder.name


class YearOut(Schema):
    year: int
    value: float
    present_value: float


class ResultOut(Schema):
    total_inputs: float
    present_value: float
    npv: float
    ratio: float | None
    net_ratio: float | None
    payback_months: float | None
    years: list[YearOut]


class SensitivityOut(Schema):
    outcome: str | None
    assumption: str
    current: float
    low: float
    ratio_low: float | None
    high: float
    ratio_high: float | None
    break_even: float | None = Field(description="Value at which the ratio is 1:1")


class AnalysisOut(AnalysisIn):
    id: int
    inputs: list[InputOut]
    outcomes: list[OutcomeOut]
    result: ResultOut
    sensitivity: list[SensitivityOut]


class AnalysisRef(Schema):
    id: int
    title: str
    period: str


class ImpactReportIn(Schema):
    what: str = ""
    who: str = ""
    how_much: str = ""
    contribution: str = ""
    risk: str = ""
    sroi: int | None = Field(None, description="Id of the SROI analysis shown")
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class ReportOut(Schema):
    what: str
    who: str
    how_much: str
    contribution: str
    risk: str
    sroi: int | None = Field(None, alias="sroi_id")
    is_published: bool
    published_at: datetime.datetime | None
    version: int


class PublishIn(Schema):
    publish: bool = True


class ImpactOut(Schema):
    initiative: int
    theory: TheoryOut | None
    indicators: list[IndicatorOut]
    test_cycles: list[TestCycleOut]
    sroi_analyses: list[AnalysisRef]
    report: ReportOut | None


class TotalsOut(Schema):
    code: str
    name: str = Field(alias="label")
    initiatives: int
    indicators: int
    reached: int
    on_track: int
    behind: int
    test_cycles: int
    present_value: float
    inputs: float
    ratio: float | None


class AllTotalsOut(Schema):
    overall: TotalsOut
    by_challenge: list[TotalsOut]
    by_county: list[TotalsOut]
