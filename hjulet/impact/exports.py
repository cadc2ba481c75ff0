"""XLSX exports of an SROI analysis (one sheet per table) and of the totals page. Text that a
spreadsheet would run as a formula is neutralised (``lib/tabular.neutralise``)."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

from hjulet.lib.tabular import sheet_title, xlsx_value

from . import selectors
from .models import SroiAnalysis
from .services import INDICATOR_FIELDS, TEST_CYCLE_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        sheet.append(list(header))
        for row in rows:
            sheet.append([xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def analysis_xlsx(analysis: SroiAnalysis) -> HttpResponse:
    result = selectors.sroi_result(analysis)
    rows = selectors.sroi_sensitivity(analysis)
    outcomes = list(analysis.outcomes.all())
    sheets = [
        (
            "Resultat",
            ["figure", "value"],
            [
                ("initiative", analysis.initiative.title),
                ("analysis", analysis.title),
                ("period", analysis.period),
                ("discount_rate_percent", float(analysis.discount_rate)),
                ("total_inputs", round(result.total_inputs, 2)),
                ("present_value", round(result.present_value, 2)),
                ("net_present_value", round(result.npv, 2)),
                ("sroi_ratio", None if result.ratio is None else round(result.ratio, 4)),
                ("net_ratio", None if result.net_ratio is None else round(result.net_ratio, 4)),
                (
                    "payback_months",
                    None if result.payback_months is None else round(result.payback_months, 1),
                ),
            ],
        ),
        (
            "Insatser",
            ["stakeholder", "description", "value"],
            [(i.stakeholder.name, i.description, float(i.value)) for i in analysis.inputs.all()],
        ),
        (
            "Utfall",
            [
                "stakeholder",
                "outcome",
                "quantity",
                "proxy_value",
                "proxy_source",
                "duration_years",
                "deadweight_percent",
                "displacement_percent",
                "attribution_percent",
                "drop_off_percent",
                "present_value",
            ],
            [
                (
                    o.stakeholder.name,
                    o.name,
                    float(o.quantity),
                    float(o.proxy_value),
                    o.proxy_source,
                    o.duration,
                    float(o.deadweight),
                    float(o.displacement),
                    float(o.attribution),
                    float(o.drop_off),
                    round(pv, 2),
                )
                for o, pv in zip(outcomes, result.present_value_by_outcome, strict=True)
            ],
        ),
        (
            "Per år",
            ["year", "value", "present_value"],
            [(y.year, round(y.value, 2), round(y.present_value, 2)) for y in result.years],
        ),
        (
            "Känslighet",
            [
                "outcome",
                "assumption",
                "current",
                "low",
                "ratio_low",
                "high",
                "ratio_high",
                "break_even",
            ],
            [
                (
                    r.outcome or "",
                    r.assumption,
                    r.current,
                    r.low,
                    r.ratio_low,
                    r.high,
                    r.ratio_high,
                    r.break_even,
                )
                for r in rows
            ],
        ),
    ]
    name = "sroi-" + slugify(analysis.initiative.title)[:60]
    return _response(_workbook(sheets), name)


def totals_xlsx(totals: dict) -> HttpResponse:
    header = [
        "group",
        "code",
        "name",
        "initiatives",
        "indicators",
        "reached",
        "on_track",
        "behind",
        "test_cycles",
        "sroi_present_value",
        "sroi_inputs",
        "sroi_ratio",
    ]

    def row(group: str, t: selectors.Totals) -> tuple:
        return (
            group,
            t.code,
            t.label,
            t.initiatives,
            t.indicators,
            t.reached,
            t.on_track,
            t.behind,
            t.test_cycles,
            round(t.present_value, 2),
            round(t.inputs, 2),
            None if t.ratio is None else round(t.ratio, 4),
        )

    rows = [row("all", totals["overall"])]
    rows += [row("challenge", t) for t in totals["by_challenge"]]
    rows += [row("county", t) for t in totals["by_county"]]
    return _response(_workbook([("Effekt", header, rows)]), "hjulet-effekt")


def follow_up_xlsx(initiative, theory, indicators, cycles) -> HttpResponse:
    """An initiative's theory of change, indicators, measurements and test cycles."""
    elements = list(theory.elements.all()) if theory else []
    sheets = [
        (
            "Förändringsteori",
            ["id", "step", "title", "description", "stakeholders", "leads_to"],
            [
                (
                    e.pk,
                    e.kind,
                    e.title,
                    e.description,
                    e.stakeholders,
                    "; ".join(t.title for t in e.leads_to.all()),
                )
                for e in elements
            ],
        ),
        (
            "Indikatorer",
            ["indicator", *INDICATOR_FIELDS[1:], "latest_value", "latest_date", "status"],
            [
                (
                    i.name,
                    i.unit,
                    i.direction,
                    float(i.baseline_value),
                    i.baseline_date,
                    float(i.target_value),
                    i.target_date,
                    i.data_source,
                    i.breakdown,
                    i.iris_id,
                    i.outcome.title if i.outcome else "",
                    float(i.latest.value) if i.latest else None,
                    i.latest.date if i.latest else None,
                    i.status or "",
                )
                for i in indicators
            ],
        ),
        (
            "Mätningar",
            ["indicator", "date", "value", "breakdown_value", "comment"],
            [
                (i.name, m.date, float(m.value), m.breakdown_value, m.comment)
                for i in indicators
                for m in i.measurement_list
            ],
        ),
        (
            "Testcykler",
            [*TEST_CYCLE_FIELDS, "indicators"],
            [
                (
                    *(getattr(c, name) for name in TEST_CYCLE_FIELDS),
                    "; ".join(i.name for i in c.indicators.all()),
                )
                for c in cycles
            ],
        ),
    ]
    return _response(_workbook(sheets), "effekt-" + slugify(initiative.title)[:60])
