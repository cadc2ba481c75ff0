import math

import pytest

from hjulet.lib.sroi import (
    DEFAULT_DISCOUNT_RATE,
    Input,
    Outcome,
    SroiInputError,
    bisect,
    calculate,
    sensitivity,
)


def simple() -> tuple[list[Input], list[Outcome]]:
    """Input 1 000 kr. Outcome: 4 people × 500 kr = 2 000 kr gross, deadweight 50 %, lasts
    2 years with 50 % drop-off. No discounting in the tests that use rate 0."""
    return (
        [Input(stakeholder="Kommunen", value=1000)],
        [
            Outcome(
                name="Fler i arbete",
                stakeholder="Deltagare",
                quantity=4,
                proxy_value=500,
                duration=2,
                deadweight=50,
                drop_off=50,
            )
        ],
    )


def test_simple_case_without_discounting():
    """gross = 4 × 500 = 2 000; impact = 2 000 × (1 − 0.5) = 1 000 in year 1;
    year 2 = 1 000 × (1 − 0.5) = 500; PV (rate 0) = 1 500; NPV = 1 500 − 1 000 = 500;
    ratio = 1 500 / 1 000 = 1.5; net ratio = 500 / 1 000 = 0.5;
    payback = 1 000 / (1 000 / 12) = 12 months."""
    inputs, outcomes = simple()
    result = calculate(inputs, outcomes, discount_rate=0)
    assert [y.value for y in result.years] == [1000, 500]
    assert result.present_value == pytest.approx(1500)
    assert result.npv == pytest.approx(500)
    assert result.ratio == pytest.approx(1.5)
    assert result.net_ratio == pytest.approx(0.5)
    assert result.payback_months == pytest.approx(12)


def test_two_outcomes_two_stakeholders_discounted_at_three_and_a_half_percent():
    """Inputs: Kommunen 15 000 + Föreningen 10 000 = 25 000.
    Outcome A: 10 × 2 000 = 20 000 gross; × (1 − 0.20 deadweight) × (1 − 0.25 attribution)
      = 12 000 in year 1; drop-off 10 %: 10 800 in year 2, 9 720 in year 3.
      PV = 12 000 / 1.035 + 10 800 / 1.035² + 9 720 / 1.035³
         = 11 594.20 + 10 081.92 + 8 766.88 = 30 443.00
    Outcome B: 3 × 5 000 = 15 000 × (1 − 0.10 displacement) = 13 500, one year:
      PV = 13 500 / 1.035 = 13 043.48
    PV = 43 486.48; NPV = 18 486.48; ratio = 43 486.48 / 25 000 = 1.7395;
    net ratio = 0.7395; payback = 25 000 / ((12 000 + 13 500) / 12) = 11.76 months."""
    inputs = [
        Input(stakeholder="Kommunen", value=15000),
        Input(stakeholder="Föreningen", value=10000),
    ]
    outcomes = [
        Outcome("A", "Barn", 10, 2000, 3, deadweight=20, attribution=25, drop_off=10),
        Outcome("B", "Föräldrar", 3, 5000, 1, displacement=10),
    ]
    result = calculate(inputs, outcomes)
    assert result.inputs_by_stakeholder == {"Kommunen": 15000, "Föreningen": 10000}
    assert result.total_inputs == 25000
    assert [round(y.value, 2) for y in result.years] == [25500, 10800, 9720]
    assert [round(y.present_value, 2) for y in result.years] == [
        round(11594.20 + 13043.48, 2),
        10081.92,
        8766.88,
    ]
    assert result.present_value_by_outcome == pytest.approx([30443.00, 13043.48], abs=0.01)
    assert result.present_value == pytest.approx(43486.48, abs=0.01)
    assert result.npv == pytest.approx(18486.48, abs=0.01)
    assert result.ratio == pytest.approx(1.73946, abs=1e-5)
    assert result.net_ratio == pytest.approx(0.73946, abs=1e-5)
    assert result.payback_months == pytest.approx(11.7647, abs=1e-4)


def test_default_discount_rate_is_three_and_a_half_percent():
    """One year, impact 1 035 → PV = 1 035 / 1.035 = 1 000."""
    assert DEFAULT_DISCOUNT_RATE == 3.5
    result = calculate([Input("K", 500)], [Outcome("X", "Y", 1, 1035, 1)])
    assert result.present_value == pytest.approx(1000)
    assert result.ratio == pytest.approx(2)


def test_no_inputs_gives_no_ratio_and_no_value_gives_no_payback():
    result = calculate([], [Outcome("X", "Y", 0, 100, 1)])
    assert result.ratio is None and result.net_ratio is None
    assert result.payback_months is None


def _row(rows, assumption):
    return next(r for r in rows if r.assumption == assumption)


def test_sensitivity_break_even_values_match_hand_calculation():
    """Simple case (rate 0): PV 1 500 against inputs 1 000, so the outcome can lose a third.
    proxy: 500 × 1 000/1 500 = 333.33; quantity: 4 × 2/3 = 2.667;
    deadweight: (1 − d') = 0.5 × 2/3 → d' = 66.67 %; attribution/displacement (now 0):
    1 − 2/3 → 33.33 %; drop-off: 1 000 + 1 000 (1 − d) = 1 000 → d = 100 %;
    duration: 1 year already gives PV 1 000 = inputs → 1 year;
    discount rate: 1 000 x + 500 x² = 1 000 with x = 1/(1 + r) → x = √3 − 1 = 0.73205
    → r = 1/x − 1 = 36.60 %; inputs: 1 500."""
    inputs, outcomes = simple()
    rows = sensitivity(inputs, outcomes, discount_rate=0)
    assert _row(rows, "proxy_value").break_even == pytest.approx(333.333, abs=1e-3)
    assert _row(rows, "quantity").break_even == pytest.approx(2.6667, abs=1e-4)
    assert _row(rows, "deadweight").break_even == pytest.approx(66.667, abs=1e-3)
    assert _row(rows, "attribution").break_even == pytest.approx(33.333, abs=1e-3)
    assert _row(rows, "drop_off").break_even == pytest.approx(100, abs=1e-6)
    assert _row(rows, "duration").break_even == 1
    rate = _row(rows, "discount_rate").break_even
    assert rate == pytest.approx((1 / (math.sqrt(3) - 1) - 1) * 100, abs=1e-6)
    assert _row(rows, "inputs").break_even == pytest.approx(1500)


def test_sensitivity_varies_each_assumption_and_recomputes_the_ratio():
    """Deadweight 50 % ± 10 points: at 40 %: impact 1 200 + 600 = 1 800 → 1.8;
    at 60 %: 800 + 400 = 1 200 → 1.2. Proxy ± 25 %: 1.5 × 0.75 = 1.125, 1.5 × 1.25 = 1.875.
    Duration 2 ± 1: 1 year → 1.0; 3 years → 1 000 + 500 + 250 = 1 750 → 1.75."""
    inputs, outcomes = simple()
    rows = sensitivity(inputs, outcomes, discount_rate=0)
    deadweight = _row(rows, "deadweight")
    assert (deadweight.low, deadweight.high) == (40, 60)
    assert deadweight.ratio_low == pytest.approx(1.8)
    assert deadweight.ratio_high == pytest.approx(1.2)
    proxy = _row(rows, "proxy_value")
    assert proxy.ratio_low == pytest.approx(1.125)
    assert proxy.ratio_high == pytest.approx(1.875)
    duration = _row(rows, "duration")
    assert duration.ratio_low == pytest.approx(1.0)
    assert duration.ratio_high == pytest.approx(1.75)
    assert {r.assumption for r in rows} == {
        "quantity",
        "proxy_value",
        "deadweight",
        "displacement",
        "attribution",
        "drop_off",
        "duration",
        "discount_rate",
        "inputs",
    }


def test_break_even_that_cannot_be_reached_is_none():
    """Inputs 100, PV 1 500: even attribution 100 % of this single outcome leaves PV 0 < 100,
    so the break-even attribution exists (93.33 %); but with a second outcome worth 200 on its
    own, outcome one can fall to zero without the ratio reaching 1:1 → None."""
    outcomes = [
        Outcome("A", "X", 4, 500, 2, deadweight=50, drop_off=50),
        Outcome("B", "X", 1, 200, 1),
    ]
    rows = sensitivity([Input("K", 100)], outcomes, discount_rate=0)
    a_attribution = next(r for r in rows if r.outcome == "A" and r.assumption == "attribution")
    assert a_attribution.break_even is None
    rows = sensitivity([Input("K", 100)], outcomes[:1], discount_rate=0)
    # (1 − a') × 1 500 = 100 → a' = 1 − 1/15 = 93.33 %
    assert _row(rows, "attribution").break_even == pytest.approx(93.333, abs=1e-3)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadweight": 101}, "outcomes.0.deadweight"),
        ({"attribution": -1}, "outcomes.0.attribution"),
        ({"displacement": 150}, "outcomes.0.displacement"),
        ({"drop_off": -0.5}, "outcomes.0.drop_off"),
        ({"quantity": -3}, "outcomes.0.quantity"),
        ({"proxy_value": -1}, "outcomes.0.proxy_value"),
        ({"duration": 0}, "outcomes.0.duration"),
    ],
)
def test_bad_input_is_refused_naming_the_field(change, field):
    base = {"name": "X", "stakeholder": "Y", "quantity": 1, "proxy_value": 1, "duration": 1}
    with pytest.raises(SroiInputError) as error:
        calculate([Input("K", 1)], [Outcome(**{**base, **change})])
    assert list(error.value.errors) == [field]


def test_bad_discount_rate_and_negative_input_are_refused():
    with pytest.raises(SroiInputError) as error:
        calculate([Input("K", -5)], [], discount_rate=120)
    assert set(error.value.errors) == {"discount_rate", "inputs.0.value"}


def test_bisect_finds_a_root_and_says_when_there_is_none():
    assert bisect(lambda x: x * x - 2, 0, 2) == pytest.approx(math.sqrt(2), abs=1e-8)
    assert bisect(lambda x: x + 1, 0, 2) is None


def test_no_payback_time_while_the_value_does_not_cover_the_inputs():
    """Input 2 000; year one 1 000 and year two 500 (the simple case): PV 1 500 < 2 000, ratio
    0.75. Year one's value alone would 'pay back' in 24 months, but the whole analysis never
    covers the inputs, so no payback time is given."""
    _inputs, outcomes = simple()
    result = calculate([Input("Kommunen", 2000)], outcomes, discount_rate=0)
    assert result.ratio == pytest.approx(0.75)
    assert result.payback_months is None
    assert result.covers_inputs is False
    at_one = calculate([Input("Kommunen", 1500)], outcomes, discount_rate=0)
    assert at_one.covers_inputs is True
    assert at_one.payback_months == pytest.approx(18)
    assert calculate([], outcomes).covers_inputs is None
