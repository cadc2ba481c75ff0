"""Where an indicator stands against its target. No Django.

The expected path is a straight line from the baseline (value, date) to the target (value,
date). A measurement is

- **reached** when it is at or beyond the target in the good direction;
- **on track** when it is at or beyond the expected value on its date in the good direction
  (after the target date the expected value is the target itself);
- **behind** otherwise.
"""

import datetime
from typing import Literal

Status = Literal["reached", "on_track", "behind"]


def expected_value(
    baseline: float,
    baseline_date: datetime.date,
    target: float,
    target_date: datetime.date,
    on: datetime.date,
) -> float:
    span = (target_date - baseline_date).days
    if span <= 0:
        return target
    share = min(1.0, max(0.0, (on - baseline_date).days / span))
    return baseline + (target - baseline) * share


def status(
    *,
    higher_is_better: bool,
    baseline: float,
    baseline_date: datetime.date,
    target: float,
    target_date: datetime.date,
    value: float,
    on: datetime.date,
) -> Status:
    sign = 1 if higher_is_better else -1
    if sign * (value - target) >= 0:
        return "reached"
    expected = expected_value(baseline, baseline_date, target, target_date, on)
    return "on_track" if sign * (value - expected) >= 0 else "behind"


def share_of_the_way(baseline: float, target: float, value: float) -> float | None:
    """How far from baseline to target the value has come (0 = baseline, 1 = target)."""
    if target == baseline:
        return None
    return (value - baseline) / (target - baseline)
