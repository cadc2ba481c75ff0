"""Geometry of the horizontal bar charts (SVG) in results and reports: one bar per option,
its share in per cent, and a whisker for the Wilson 95 % interval."""

from dataclasses import dataclass
from typing import Any

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = WIDTH - LABEL_WIDTH - 60
ROW_HEIGHT = 34


@dataclass
class Bar:
    label: str
    percent: float
    y: float
    width: float
    low_x: float
    high_x: float
    text_y: float


def bar_chart(rows: list[Any]) -> dict[str, Any]:
    bars = []
    for i, row in enumerate(rows):
        share = row.share if row.share == row.share else 0.0
        low = row.low if row.low == row.low else 0.0
        high = row.high if row.high == row.high else 0.0
        bars.append(
            Bar(
                label=row.label if len(row.label) <= 34 else row.label[:33] + "…",
                percent=round(100 * share),
                y=i * ROW_HEIGHT + 8,
                width=round(BAR_AREA * share, 1),
                low_x=round(LABEL_WIDTH + BAR_AREA * low, 1),
                high_x=round(LABEL_WIDTH + BAR_AREA * high, 1),
                text_y=i * ROW_HEIGHT + 26,
            )
        )
    return {
        "bars": bars,
        "width": WIDTH,
        "height": len(rows) * ROW_HEIGHT + 16,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_area": BAR_AREA,
    }
