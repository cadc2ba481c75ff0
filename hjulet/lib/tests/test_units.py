from decimal import Decimal

import pytest

from hjulet.lib.units import is_count, is_percent, problem


@pytest.mark.parametrize("unit", ["%", "procent", "Andel (%)", "percent"])
def test_percent_units(unit):
    assert is_percent(unit) and not is_count(unit)


@pytest.mark.parametrize("unit", ["barn", "Personer", "st", "antal lån", "hushåll", "children"])
def test_count_units(unit):
    assert is_count(unit) and not is_percent(unit)


@pytest.mark.parametrize("unit", ["kr", "procentenheter", "grader", "index"])
def test_other_units_allow_anything(unit):
    assert problem(Decimal(-5), unit) is None and problem(Decimal(250), unit) is None


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal(-5), "barn", "negative_count"),
        (Decimal("-0.01"), "personer", "negative_count"),
        (Decimal(0), "barn", None),
        (Decimal(12000), "barn", None),
        (Decimal("100.01"), "%", "percent_range"),
        (Decimal(-1), "procent", "percent_range"),
        (Decimal(100), "%", None),
        (Decimal(0), "%", None),
        (Decimal(-5), "kr", None),
        (Decimal(250), "procentenheter", None),
    ],
)
def test_problem(value, unit, expected):
    assert problem(value, unit) == expected
