"""One object in every open collection, made through the services as people would."""

from dataclasses import dataclass
from typing import Any

from hjulet.impact import services as impact_services
from hjulet.knowledge import services as knowledge_services
from hjulet.knowledge.tests.factories import make_initiative, make_method
from hjulet.scienceshop import services as scienceshop_services
from hjulet.scienceshop.models import Status
from hjulet.scienceshop.tests.factories import in_status, submit
from hjulet.support.tests.factories import make_call, make_structure


@dataclass
class OpenData:
    initiative: Any
    draft_initiative: Any
    method: Any
    adaptation: Any
    structure: Any
    call: Any
    summary: Any
    report: Any


def make_open_data(org_admin, organisation, coordinator) -> OpenData:
    initiative = make_initiative(org_admin, title="Fritidsbanken Ersboda")
    draft = make_initiative(org_admin, title="Språkvänner i Holmsund")
    method = make_method(org_admin)
    adaptation = knowledge_services.adaptation_create(
        actor=org_admin,
        initiative=initiative,
        source_method=method,
        what_changed="Samtalen hålls på biblioteket i stället för i kyrkan.",
    )
    structure = make_structure("Coompanion Västerbotten", municipalities=["2480"])
    call = make_call(org_admin, organisation, title="Lokala idéer 2027")
    question = in_status(submit(org_admin, organisation), Status.IN_PROGRESS)
    summary = scienceshop_services.outcome_record(
        actor=coordinator,
        question=question,
        kind="summary",
        title="Personlig inbjudan når ensamma äldre",
        summary="Ett samtal eller ett besök fungerar bättre än affischer.",
    )
    impact_services.report_update(
        actor=org_admin, initiative=initiative, what="Fler barn har utrustning att låna."
    )
    report = impact_services.report_publish(actor=org_admin, initiative=initiative)
    # A report written but never published: it must appear nowhere.
    impact_services.report_update(
        actor=org_admin, initiative=draft, what="Utkast som ingen annan ska se."
    )
    return OpenData(initiative, draft, method, adaptation, structure, call, summary, report)
