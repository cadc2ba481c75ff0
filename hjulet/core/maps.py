"""Choropleth maps of Sweden: shade areas by a count, with a legend and a table alternative.

Templates include ``core/_map.html`` with ``areas`` (each with ``svg_path``, ``name``,
``shade``, ``map_label`` and optionally ``map_url``), ``legend``, ``view_box``, ``map_id``
and ``map_title``.
"""

import math
from collections.abc import Callable, Sequence
from typing import Any


def choropleth(
    areas: Sequence[Any],
    *,
    count_of: Callable[[Any], int],
    describe: Callable[[int], str],
    none_label: str,
    url_of: Callable[[Any], str] | None = None,
) -> list[tuple[int, str]]:
    """Give each area ``count``, ``shade`` 0–4, ``map_label`` and ``map_url``; return the
    legend as (shade, label) pairs."""
    highest = max((count_of(area) for area in areas), default=0)
    for area in areas:
        area.count = count_of(area)
        area.shade = 0 if area.count == 0 else max(1, math.ceil(4 * area.count / highest))
        area.map_label = describe(area.count)
        area.map_url = url_of(area) if url_of else ""
    legend = [(0, none_label)]
    for shade in range(1, 5):
        low, high = math.floor((shade - 1) * highest / 4) + 1, math.floor(shade * highest / 4)
        if low <= high:
            legend.append((shade, f"{low}–{high}" if low < high else str(low)))
    return legend
