import datetime

import pytest

from hjulet.lib.progress import expected_value, share_of_the_way, status

BASE = datetime.date(2025, 1, 1)
TARGET = datetime.date(2027, 1, 1)  # 730 days later


def test_expected_value_is_a_straight_line_clamped_to_the_period():
    """100 → 200 over 730 days: after 365 days 100 + 100 × 365/730 = 150; before the baseline
    the baseline, after the target the target."""
    assert expected_value(100, BASE, 200, TARGET, datetime.date(2026, 1, 1)) == 150
    assert expected_value(100, BASE, 200, TARGET, datetime.date(2024, 6, 1)) == 100
    assert expected_value(100, BASE, 200, TARGET, datetime.date(2030, 1, 1)) == 200


@pytest.mark.parametrize(
    ("higher", "value", "expected"),
    [
        (True, 200, "reached"),
        (True, 250, "reached"),
        (True, 150, "on_track"),
        (True, 149.9, "behind"),
        (False, 50, "reached"),  # lower is better: baseline 100, target 50 → expected 75
        (False, 75, "on_track"),
        (False, 76, "behind"),
    ],
)
def test_status(higher, value, expected):
    target = 200 if higher else 50
    on = datetime.date(2026, 1, 1)
    result = status(
        higher_is_better=higher,
        baseline=100,
        baseline_date=BASE,
        target=target,
        target_date=TARGET,
        value=value,
        on=on,
    )
    assert result == expected


def test_share_of_the_way():
    assert share_of_the_way(100, 200, 150) == 0.5
    assert share_of_the_way(40, 20, 30) == 0.5
    assert share_of_the_way(5, 5, 7) is None
