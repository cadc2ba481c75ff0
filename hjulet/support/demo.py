"""Demo content for the support directory, funding calls and advice requests, from
``data/demo.json`` (Swedish, written for Hjulet). Dates are relative to today, so the demo
always has open calls. Every write goes through the services."""

import datetime
import json
from pathlib import Path

from django.utils import timezone

from hjulet.accounts import services as account_services
from hjulet.accounts.models import Organisation, User
from hjulet.core.models import County, Municipality, Term, Vocabulary

from . import services
from .models import AdviceRequest, FundingCall, SupportStructure

DATA = Path(__file__).parent / "data" / "demo.json"


def _terms(slug: str, codes: list[str]) -> list[Term]:
    return list(
        Term.objects.in_vocabulary(slug).filter(code__in=codes).select_related("vocabulary")
    )


def _area(spec: dict) -> dict:
    return {
        "scope": spec["scope"],
        "counties": list(County.objects.filter(code__in=spec.get("counties", []))),
        "municipalities": list(
            Municipality.objects.filter(code__in=spec.get("municipalities", []))
        ),
        "audiences": spec["audiences"],
    }


def load(users: dict[str, User]) -> dict[str, int]:
    coordinator = users["koordinator@exempel.se"]
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for spec in data["new_organisations"]:
        if not Organisation.objects.filter(name=spec["name"]).exists():
            account_services.organisation_create(
                actor=coordinator,
                name=spec["name"],
                description=spec["description"],
                sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code=spec["sector"]),
                municipality=Municipality.objects.get(code=spec["municipality"]),
            )
    organisations = {o.name: o for o in Organisation.objects.all()}
    for spec in data["structures"]:
        organisation = organisations[spec["organisation"]]
        if SupportStructure.objects.filter(organisation=organisation).exists():
            continue
        services.structure_create(
            actor=coordinator,
            organisation=organisation,
            summary=spec["summary"],
            description=spec.get("description", ""),
            services=spec["services"],
            contact_name=spec.get("contact_name", ""),
            contact_email=spec["contact_email"],
            phone=spec.get("phone", ""),
            **_area(spec),
        )
    today = timezone.localdate()
    for spec in data["calls"]:
        if FundingCall.objects.filter(title=spec["title"]).exists():
            continue
        services.call_create(
            actor=coordinator,
            funder=organisations[spec["funder"]],
            title=spec["title"],
            purpose=spec["purpose"],
            challenges=_terms(Vocabulary.CHALLENGE, spec["challenges"]),
            sdgs=_terms(Vocabulary.SDG, spec["sdgs"]),
            amount_min=spec.get("amount_min"),
            amount_max=spec.get("amount_max"),
            co_financing=spec.get("co_financing", ""),
            opens_on=today + datetime.timedelta(days=spec["opens_in_days"]),
            deadline=today + datetime.timedelta(days=spec["deadline_in_days"]),
            link=spec.get("link", ""),
            **_area(spec),
        )
    for spec in data["requests"]:
        if AdviceRequest.objects.filter(title=spec["title"]).exists():
            continue
        services.request_create(
            actor=users[spec["asker"]],
            title=spec["title"],
            description=spec["description"],
            municipality=Municipality.objects.get(code=spec["municipality"]),
            needs=spec["needs"],
        )
    return {
        "structures": SupportStructure.objects.count(),
        "calls": FundingCall.objects.count(),
        "requests": AdviceRequest.objects.count(),
    }
