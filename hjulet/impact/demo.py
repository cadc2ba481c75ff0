"""Demo content for impact follow-up, from ``data/demo.json`` (Swedish, written for Hjulet):
a theory of change, indicators with measurements, test cycles, an SROI analysis and a
published impact report for two initiatives of the knowledge bank demo. Every write goes
through the services, as the demo member (who belongs to both lead organisations)."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from hjulet.accounts.models import User
from hjulet.knowledge.models import Initiative

from . import services
from .models import TheoryOfChange

DATA = Path(__file__).parent / "data" / "demo.json"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _load_one(spec: dict, initiative: Initiative, actor: User) -> None:
    services.theory_update(actor=actor, initiative=initiative, summary=spec["theory"])
    elements = {}
    for element in spec["elements"]:
        elements[element["key"]] = services.element_create(
            actor=actor,
            initiative=initiative,
            kind=element["kind"],
            title=element["title"],
            description=element.get("description", ""),
            stakeholders=element.get("stakeholders", ""),
            comes_from=[elements[k] for k in element.get("comes_from", [])],
        )
    indicators = {}
    for item in spec["indicators"]:
        indicator = services.indicator_create(
            actor=actor,
            initiative=initiative,
            outcome=elements.get(item.get("outcome")),
            name=item["name"],
            unit=item["unit"],
            direction=item["direction"],
            baseline_value=Decimal(item["baseline_value"]),
            baseline_date=_date(item["baseline_date"]),
            target_value=Decimal(item["target_value"]),
            target_date=_date(item["target_date"]),
            data_source=item["data_source"],
            breakdown=item.get("breakdown", ""),
            iris_id=item.get("iris_id", ""),
        )
        indicators[item["key"]] = indicator
        for measurement in item["measurements"]:
            services.measurement_create(
                actor=actor,
                indicator=indicator,
                value=Decimal(measurement["value"]),
                date=_date(measurement["date"]),
                comment=measurement.get("comment", ""),
                breakdown_value=measurement.get("breakdown_value", ""),
            )
    for cycle in spec["test_cycles"]:
        services.test_cycle_create(
            actor=actor,
            initiative=initiative,
            indicators=[indicators[k] for k in cycle["indicators"]],
            **{
                **{k: v for k, v in cycle.items() if k != "indicators"},
                "started_on": _date(cycle["started_on"]),
                "ended_on": _date(cycle.get("ended_on")),
            },
        )
    sroi = spec["sroi"]
    analysis = services.analysis_create(
        actor=actor,
        initiative=initiative,
        title=sroi["title"],
        period=sroi["period"],
        discount_rate=Decimal(sroi["discount_rate"]),
        description=sroi["description"],
    )
    for item in sroi["inputs"]:
        services.input_create(
            actor=actor,
            analysis=analysis,
            stakeholder=item["stakeholder"],
            description=item["description"],
            value=Decimal(item["value"]),
        )
    for item in sroi["outcomes"]:
        services.outcome_create(
            actor=actor,
            analysis=analysis,
            stakeholder=item["stakeholder"],
            name=item["name"],
            indicator=indicators.get(item.get("indicator")),
            quantity=Decimal(item["quantity"]),
            proxy_value=Decimal(item["proxy_value"]),
            proxy_source=item["proxy_source"],
            duration=item["duration"],
            **{
                name: Decimal(item[name])
                for name in ("deadweight", "displacement", "attribution", "drop_off")
            },
        )
    report = spec["report"]
    services.report_update(
        actor=actor,
        initiative=initiative,
        sroi=analysis,
        **{k: report[k] for k in ("what", "who", "how_much", "contribution", "risk")},
    )
    if report.get("publish"):
        services.report_publish(actor=actor, initiative=initiative)


def load(users: dict[str, User]) -> dict[str, int]:
    """Safe to run again: an initiative that already has a theory of change is left alone."""
    actor = users["medlem@exempel.se"]
    data = json.loads(DATA.read_text(encoding="utf-8"))
    loaded = 0
    for spec in data["initiatives"]:
        initiative = Initiative.objects.filter(title=spec["initiative"]).first()
        if initiative is None or TheoryOfChange.objects.filter(initiative=initiative).exists():
            continue
        _load_one(spec, initiative, actor)
        loaded += 1
    return {"initiatives": loaded}
