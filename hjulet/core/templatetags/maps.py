"""The shaded areas of a choropleth map (``core/_map.html``, ``core.maps``)."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def map_areas(areas: Iterable[Any]) -> SafeString:
    """Each area with a boundary as a shaded ``<path>`` with its name and count as a tooltip,
    linked when it has a ``map_url``. Written here rather than in a template loop: a map of
    the 290 municipalities took the template engine some 5 ms, a page with two maps a
    tenth of its time (docs/benchmarks.md, issue 21)."""
    parts = []
    for area in areas:
        if not area.svg_path:
            continue
        path = (
            f'<path d="{escape(area.svg_path)}" class="shade-{int(area.shade)}">'
            f"<title>{escape(area.name)}: {escape(area.map_label)}</title></path>"
        )
        url = getattr(area, "map_url", "")
        parts.append(f'<a href="{escape(url)}">{path}</a>' if url else path)
    return mark_safe("\n  ".join(parts))  # every value is escaped above
