"""The impact follow-up pages, one module per part: overview and totals, theory of change,
indicators, test cycles, SROI and the report. Every view is importable from here (urls.py)."""

from .cycles import test_cycle_form, test_cycles
from .indicators import indicator_create, indicator_detail, indicator_update, measurement_delete
from .overview import follow_up_export, overview, totals, totals_export
from .reports import DIMENSIONS, report, report_edit, report_publish
from .sroi import (
    ASSUMPTIONS,
    analysis_create,
    analysis_detail,
    analysis_export,
    analysis_row_delete,
    outcome_update,
)
from .theory import STEP_LABELS, element_delete, element_update, theory_edit

__all__ = [
    "ASSUMPTIONS",
    "DIMENSIONS",
    "STEP_LABELS",
    "analysis_create",
    "analysis_detail",
    "analysis_export",
    "analysis_row_delete",
    "element_delete",
    "element_update",
    "follow_up_export",
    "indicator_create",
    "indicator_detail",
    "indicator_update",
    "measurement_delete",
    "outcome_update",
    "overview",
    "report",
    "report_edit",
    "report_publish",
    "test_cycle_form",
    "test_cycles",
    "theory_edit",
    "totals",
    "totals_export",
]
