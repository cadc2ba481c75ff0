"""Layout for the inline SVG figures: the theory of change as four columns of boxes with
arrows, and an indicator's progress as a line chart. Templates draw what these return; every
figure also has a text list or data table beside it."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format, number_format

from .models import ELEMENT_ORDER, ChangeElement, Indicator

BOX_WIDTH, BOX_HEIGHT, COLUMN_GAP, ROW_GAP, TOP = 200, 64, 60, 16, 40


@dataclass
class Box:
    element: ChangeElement
    x: int
    y: int
    lines: list[str]


@dataclass
class Arrow:
    x1: int
    y1: int
    x2: int
    y2: int


def _wrap(text: str, width: int = 26, lines: int = 3) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out


def theory_diagram(elements: list[ChangeElement]) -> dict:
    columns: dict[str, list[ChangeElement]] = {kind: [] for kind in ELEMENT_ORDER}
    for element in elements:
        columns[element.kind].append(element)
    boxes: dict[int, Box] = {}
    for column, kind in enumerate(ELEMENT_ORDER):
        for row, element in enumerate(columns[kind]):
            x = column * (BOX_WIDTH + COLUMN_GAP)
            y = TOP + row * (BOX_HEIGHT + ROW_GAP)
            boxes[element.pk] = Box(element, x, y, _wrap(element.title))
    arrows = []
    for box in boxes.values():
        for target in box.element.leads_to.all():
            if target.pk in boxes:
                end = boxes[target.pk]
                arrows.append(
                    Arrow(
                        box.x + BOX_WIDTH,
                        box.y + BOX_HEIGHT // 2,
                        end.x - 4,
                        end.y + BOX_HEIGHT // 2,
                    )
                )
    rows = max((len(c) for c in columns.values()), default=0)
    return {
        "boxes": list(boxes.values()),
        "arrows": arrows,
        "width": len(ELEMENT_ORDER) * BOX_WIDTH + (len(ELEMENT_ORDER) - 1) * COLUMN_GAP,
        "height": TOP + max(rows, 1) * (BOX_HEIGHT + ROW_GAP),
        "box_width": BOX_WIDTH,
        "box_height": BOX_HEIGHT,
        "column_x": [c * (BOX_WIDTH + COLUMN_GAP) for c in range(len(ELEMENT_ORDER))],
    }


CHART_WIDTH, CHART_HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD = 560, 240, 64, 32, 16


@dataclass
class Point:
    x: float
    y: float
    label: str


def progress_chart(indicator: Indicator) -> dict:
    """Measurements of the whole group as points on a line, and the planned path from the
    baseline to the target as a dashed line."""
    whole = [m for m in indicator.measurement_list if not m.breakdown_value]
    dates = [indicator.baseline_date, indicator.target_date, *(m.date for m in whole)]
    values = [
        float(indicator.baseline_value),
        float(indicator.target_value),
        *(float(m.value) for m in whole),
    ]
    first, last = min(dates), max(dates)
    low, high = min(values), max(values)
    if high == low:
        high = low + 1
    span = max((last - first).days, 1)
    inner_w = CHART_WIDTH - PAD_LEFT - PAD
    inner_h = CHART_HEIGHT - PAD_BOTTOM - PAD

    def x(date: datetime.date) -> float:
        return round(PAD_LEFT + inner_w * (date - first).days / span, 1)

    def y(value: float) -> float:
        return round(PAD + inner_h * (1 - (value - low) / (high - low)), 1)

    points = [Point(x(m.date), y(float(m.value)), f"{m.date}: {m.value}") for m in whole]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plan": (
            x(indicator.baseline_date),
            y(float(indicator.baseline_value)),
            x(indicator.target_date),
            y(float(indicator.target_value)),
        ),
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "axis": {
            "left": PAD_LEFT,
            "bottom": CHART_HEIGHT - PAD_BOTTOM,
            "right": CHART_WIDTH - PAD,
            "top": PAD,
        },
        "y_labels": [(y(v), _number(v)) for v in (low, high)],
        "x_labels": [
            (x(first), date_format(first, "SHORT_DATE_FORMAT"), "start"),
            (x(last), date_format(last, "SHORT_DATE_FORMAT"), "end"),
        ],
    }


def _number(value: float) -> str:
    """A figure in the reader's language: "12 500" and "3,25" in Swedish."""
    places = 0 if value == int(value) else 2
    return number_format(value, places, use_l10n=True, force_grouping=True)
