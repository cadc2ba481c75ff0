"""Social return on investment (SROI) the way Social Value UK's guide computes it. No Django.

For each outcome:

    gross value per year  = quantity × financial proxy
    impact (year 1)       = gross × (1 − deadweight) × (1 − displacement) × (1 − attribution)
    value in year t       = impact × (1 − drop-off)^(t − 1)     for t = 1 … duration
    present value         = Σ value_t / (1 + discount rate)^t

Inputs are what the stakeholders put in, counted at the start (not discounted). Then

    NPV          = present value − inputs
    SROI ratio   = present value / inputs          ("3.2 : 1")
    net ratio    = NPV / inputs
    payback      = inputs / (impact in year 1 / 12)  months (undiscounted, as the guide does);
                   none while the ratio is below 1:1, since the value does not cover the inputs

Percentages are given as 0–100. The sensitivity analysis varies one assumption at a time and
finds the value of that assumption at which the ratio is exactly 1:1 (analytically where the
present value is linear in it, by bisection otherwise).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

DEFAULT_DISCOUNT_RATE = 3.5  # per cent; the Swedish and UK public-sector convention
MAX_DURATION = 50
PERCENT_FIELDS = ("deadweight", "displacement", "attribution", "drop_off")


class SroiInputError(ValueError):
    """Input that makes no sense; ``errors`` maps a field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class Input:
    stakeholder: str
    value: float
    description: str = ""


@dataclass(frozen=True)
class Outcome:
    name: str
    stakeholder: str
    quantity: float
    proxy_value: float
    duration: int
    deadweight: float = 0.0
    displacement: float = 0.0
    attribution: float = 0.0
    drop_off: float = 0.0
    proxy_source: str = ""

    @property
    def gross_per_year(self) -> float:
        return self.quantity * self.proxy_value

    @property
    def impact(self) -> float:
        """The value in year one after deadweight, displacement and attribution."""
        return (
            self.gross_per_year
            * (1 - self.deadweight / 100)
            * (1 - self.displacement / 100)
            * (1 - self.attribution / 100)
        )

    def value_in_year(self, year: int) -> float:
        if year < 1 or year > self.duration:
            return 0.0
        return self.impact * (1 - self.drop_off / 100) ** (year - 1)


@dataclass(frozen=True)
class YearValue:
    year: int
    value: float  # undiscounted
    present_value: float


@dataclass(frozen=True)
class Result:
    total_inputs: float
    inputs_by_stakeholder: dict[str, float]
    years: list[YearValue]
    present_value: float
    present_value_by_outcome: list[float]
    npv: float
    ratio: float | None  # None when there are no inputs
    net_ratio: float | None
    payback_months: float | None  # None when year one creates no value or the ratio is < 1

    @property
    def covers_inputs(self) -> bool | None:
        """Whether the present value covers the inputs (ratio ≥ 1:1); None without inputs."""
        return None if self.ratio is None else self.ratio >= 1


@dataclass(frozen=True)
class Sensitivity:
    """One assumption varied: the ratio at a lower and a higher value, and at which value of
    the assumption the ratio is exactly 1:1 (None when no value in its range gets there)."""

    outcome: str | None  # None for the discount rate and the inputs
    assumption: str
    current: float
    low: float
    ratio_low: float | None
    high: float
    ratio_high: float | None
    break_even: float | None


def validate(inputs: Sequence[Input], outcomes: Sequence[Outcome], discount_rate: float) -> None:
    """Raise SroiInputError naming every problem (``outcomes.2.deadweight`` …)."""
    errors: dict[str, str] = {}
    if not 0 <= discount_rate <= 100:
        errors["discount_rate"] = "must be between 0 and 100 per cent"
    for index, item in enumerate(inputs):
        if item.value < 0:
            errors[f"inputs.{index}.value"] = "must not be negative"
    for index, outcome in enumerate(outcomes):
        prefix = f"outcomes.{index}."
        if outcome.quantity < 0:
            errors[prefix + "quantity"] = "must not be negative"
        if outcome.proxy_value < 0:
            errors[prefix + "proxy_value"] = "must not be negative"
        if outcome.duration < 1 or outcome.duration > MAX_DURATION:
            errors[prefix + "duration"] = f"must be 1 to {MAX_DURATION} years"
        for name in PERCENT_FIELDS:
            if not 0 <= getattr(outcome, name) <= 100:
                errors[prefix + name] = "must be between 0 and 100 per cent"
    if errors:
        raise SroiInputError(errors)


def _present_values(outcomes: Sequence[Outcome], discount_rate: float) -> list[float]:
    rate = discount_rate / 100
    return [
        sum(o.value_in_year(t) / (1 + rate) ** t for t in range(1, o.duration + 1))
        for o in outcomes
    ]


def calculate(
    inputs: Sequence[Input],
    outcomes: Sequence[Outcome],
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> Result:
    validate(inputs, outcomes, discount_rate)
    rate = discount_rate / 100
    by_stakeholder: dict[str, float] = {}
    for item in inputs:
        by_stakeholder[item.stakeholder] = by_stakeholder.get(item.stakeholder, 0.0) + item.value
    total_inputs = sum(by_stakeholder.values())
    horizon = max((o.duration for o in outcomes), default=0)
    years = []
    for t in range(1, horizon + 1):
        value = sum(o.value_in_year(t) for o in outcomes)
        years.append(YearValue(year=t, value=value, present_value=value / (1 + rate) ** t))
    by_outcome = _present_values(outcomes, discount_rate)
    present_value = sum(by_outcome)
    npv = present_value - total_inputs
    first_year = sum(o.impact for o in outcomes)
    return Result(
        total_inputs=total_inputs,
        inputs_by_stakeholder=by_stakeholder,
        years=years,
        present_value=present_value,
        present_value_by_outcome=by_outcome,
        npv=npv,
        ratio=present_value / total_inputs if total_inputs else None,
        net_ratio=npv / total_inputs if total_inputs else None,
        payback_months=_payback_months(total_inputs, first_year, present_value),
    )


def _payback_months(total_inputs: float, first_year: float, present_value: float) -> float | None:
    """Months until year one's value pays back the inputs; None when year one creates no
    value or when the whole present value does not cover the inputs (ratio below 1:1): a
    payback time would then promise what the analysis does not show."""
    if first_year <= 0 or present_value < total_inputs:
        return None
    return total_inputs / (first_year / 12)


def _ratio(outcomes: Sequence[Outcome], discount_rate: float, total_inputs: float) -> float | None:
    if not total_inputs:
        return None
    return sum(_present_values(outcomes, discount_rate)) / total_inputs


def bisect(
    function: Callable[[float], float], low: float, high: float, *, tolerance: float = 1e-9
) -> float | None:
    """A root of a monotonic ``function`` on [low, high], or None if it has none there."""
    f_low, f_high = function(low), function(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        return None
    for _ in range(200):
        middle = (low + high) / 2
        f_middle = function(middle)
        if (f_middle > 0) == (f_low > 0):
            low, f_low = middle, f_middle
        else:
            high = middle
        if high - low < tolerance:
            break
    return (low + high) / 2


def _clamp_percent(value: float) -> float:
    return min(100.0, max(0.0, value))


def sensitivity(
    inputs: Sequence[Input],
    outcomes: Sequence[Outcome],
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    *,
    percent_step: float = 10.0,
    relative_step: float = 25.0,
) -> list[Sensitivity]:
    """Each assumption of each outcome varied on its own (percentages by ± ``percent_step``
    points, quantity and proxy by ± ``relative_step`` %, duration by ± 1 year), then the
    discount rate (0 % and twice the rate) and the inputs (± ``relative_step`` %)."""
    validate(inputs, outcomes, discount_rate)
    total = sum(item.value for item in inputs)
    present = _present_values(outcomes, discount_rate)
    rows: list[Sensitivity] = []

    def with_outcome(index: int, **change: float) -> list[Outcome]:
        changed = list(outcomes)
        changed[index] = replace(outcomes[index], **change)
        return changed

    def varied(
        index: int, name: str, low: float, high: float, break_even: float | None
    ) -> Sensitivity:
        """The row of outcome ``index``'s assumption ``name``: the ratio at ``low`` and at
        ``high``, the others as they are."""
        outcome = outcomes[index]
        return Sensitivity(
            outcome=outcome.name,
            assumption=name,
            current=float(getattr(outcome, name)),
            low=float(low),
            ratio_low=_ratio(with_outcome(index, **{name: low}), discount_rate, total),
            high=float(high),
            ratio_high=_ratio(with_outcome(index, **{name: high}), discount_rate, total),
            break_even=break_even,
        )

    for index, outcome in enumerate(outcomes):
        others = sum(present) - present[index]
        own = present[index]
        # The outcome must contribute this much for the ratio to be 1:1.
        needed = total - others
        scale = needed / own if own > 0 else None

        for name in ("quantity", "proxy_value"):
            current = getattr(outcome, name)
            break_even = current * scale if scale is not None and scale >= 0 else None
            low = current * (1 - relative_step / 100)
            high = current * (1 + relative_step / 100)
            rows.append(varied(index, name, low, high, break_even))

        for name in ("deadweight", "displacement", "attribution"):
            current = getattr(outcome, name)
            break_even = None
            if scale is not None and current < 100:
                # present value ∝ (1 − p): solve (1 − p') = (1 − p) × scale
                candidate = 100 - (100 - current) * scale
                if 0 <= candidate <= 100:
                    break_even = candidate
            low = _clamp_percent(current - percent_step)
            high = _clamp_percent(current + percent_step)
            rows.append(varied(index, name, low, high, break_even))

        def gap_for_drop_off(value: float, index: int = index) -> float:
            changed = with_outcome(index, drop_off=value)
            return sum(_present_values(changed, discount_rate)) - total

        current = outcome.drop_off
        low, high = _clamp_percent(current - percent_step), _clamp_percent(current + percent_step)
        break_even = bisect(gap_for_drop_off, 0.0, 100.0) if total else None
        rows.append(varied(index, "drop_off", low, high, break_even))

        # Whole years: the shortest duration at which the ratio is at least 1:1.
        break_even_years = None
        if total:
            for years in range(1, MAX_DURATION + 1):
                ratio = _ratio(with_outcome(index, duration=years), discount_rate, total)
                if ratio is not None and ratio >= 1:
                    break_even_years = float(years)
                    break
        low_years = max(1, outcome.duration - 1)
        high_years = min(MAX_DURATION, outcome.duration + 1)
        rows.append(varied(index, "duration", low_years, high_years, break_even_years))

    def gap_for_rate(rate: float) -> float:
        return sum(_present_values(outcomes, rate)) - total

    rows.append(
        Sensitivity(
            outcome=None,
            assumption="discount_rate",
            current=discount_rate,
            low=0.0,
            ratio_low=_ratio(outcomes, 0.0, total),
            high=min(100.0, discount_rate * 2),
            ratio_high=_ratio(outcomes, min(100.0, discount_rate * 2), total),
            break_even=bisect(gap_for_rate, 0.0, 100.0) if total else None,
        )
    )
    present_value = sum(present)
    rows.append(
        Sensitivity(
            outcome=None,
            assumption="inputs",
            current=total,
            low=total * (1 - relative_step / 100),
            ratio_low=present_value / (total * (1 - relative_step / 100)) if total else None,
            high=total * (1 + relative_step / 100),
            ratio_high=present_value / (total * (1 + relative_step / 100)) if total else None,
            # the inputs at which the ratio is 1:1 are the present value itself
            break_even=present_value,
        )
    )
    return rows
