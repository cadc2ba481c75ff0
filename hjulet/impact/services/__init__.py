"""Every write to theories of change, indicators, measurements, test cycles, SROI analyses and
impact reports. Who may write is who may edit the initiative (the lead organisation's
administrators, the named editors and coordinators; a partner's members only if named
editors); publishing or withdrawing the report speaks for the lead, so only its
administrators and coordinators do that. Each function checks that first, validates, runs
in a transaction and records an audit entry.

One module per aggregate: ``theory``, ``indicators`` (and measurements), ``cycles``, ``sroi``
and ``reports``; updates and creates go through ``core.changes``. Every name is importable
from here."""

from ._common import refresh_figures, require_editor, require_publisher
from .cycles import TEST_CYCLE_FIELDS, test_cycle_create, test_cycle_update
from .indicators import (
    INDICATOR_FIELDS,
    MEASUREMENT_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_update,
    measurement_create,
    measurement_delete,
)
from .reports import REPORT_FIELDS, report_publish, report_update
from .sroi import (
    ANALYSIS_FIELDS,
    INPUT_FIELDS,
    OUTCOME_FIELDS,
    OUTCOME_VALUE_FIELDS,
    analysis_create,
    analysis_update,
    input_create,
    input_delete,
    outcome_create,
    outcome_delete,
    outcome_update,
)
from .theory import ELEMENT_FIELDS, element_create, element_delete, element_update, theory_update

__all__ = [
    "ANALYSIS_FIELDS",
    "ELEMENT_FIELDS",
    "INDICATOR_FIELDS",
    "INPUT_FIELDS",
    "MEASUREMENT_FIELDS",
    "OUTCOME_FIELDS",
    "OUTCOME_VALUE_FIELDS",
    "REPORT_FIELDS",
    "TEST_CYCLE_FIELDS",
    "analysis_create",
    "analysis_update",
    "element_create",
    "element_delete",
    "element_update",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "input_create",
    "input_delete",
    "measurement_create",
    "measurement_delete",
    "outcome_create",
    "outcome_delete",
    "outcome_update",
    "refresh_figures",
    "report_publish",
    "report_update",
    "require_editor",
    "require_publisher",
    "test_cycle_create",
    "test_cycle_update",
    "theory_update",
]
