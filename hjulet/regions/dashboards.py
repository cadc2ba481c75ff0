"""A hub's dashboard as the page shows it: the figures (``selectors.dashboard``) with their
charts; every chart has a table beside it."""

from typing import Any

from django.utils.translation import gettext as _

from . import selectors
from .charts import count_chart
from .models import Hub


def page(hub: Hub) -> dict[str, Any]:
    figures = selectors.dashboard(hub)
    per_year = figures.per_year
    return {
        "figures": figures,
        "initiative_chart": count_chart([(str(year), n) for year, n, _a in per_year]),
        "adaptation_chart": count_chart([(str(year), a) for year, _n, a in per_year]),
        "stage_chart": count_chart(
            [(label, n) for _code, label, n in figures.questions_per_stage if n]
        ),
        "chart_titles": {
            "initiatives": _("Initiatives in the area per year"),
            "adaptations": _("Adaptations in the area per year"),
            "stages": _("Science-shop questions per stage"),
        },
    }
