"""Counts as horizontal bars, drawn with the surveys' bar geometry
(``hjulet.surveys.charts.bar_chart``); each bar also carries its count for the label."""

from dataclasses import dataclass
from typing import Any

from hjulet.surveys.charts import bar_chart


@dataclass
class _Row:
    label: str
    share: float
    low: float
    high: float


def count_chart(rows: list[tuple[str, int]]) -> dict[str, Any] | None:
    """``rows``: (label, count). ``None`` when there is nothing to draw."""
    most = max((count for _label, count in rows), default=0)
    if not most:
        return None
    chart = bar_chart(
        [_Row(label, count / most, count / most, count / most) for label, count in rows]
    )
    for bar, (_label, count) in zip(chart["bars"], rows, strict=True):
        bar.count = count
    return chart
