"""Demo content for the knowledge bank, from ``data/demo.json`` (Swedish, written for Hjulet
from the examples in the source texts). Every write goes through the services."""

import datetime
import json
from pathlib import Path

from hjulet.accounts import services as account_services
from hjulet.accounts.models import Organisation, User
from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.lib.orgnr import with_check_digit

from . import services
from .models import Initiative, Method, PartnerRole

DATA = Path(__file__).parent / "data" / "demo.json"


def _terms(slug: str, codes: list[str]) -> list[Term]:
    return list(
        Term.objects.in_vocabulary(slug).filter(code__in=codes).select_related("vocabulary")
    )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _organisations(specs: list[dict], owner: User) -> dict[str, Organisation]:
    for number, spec in enumerate(specs, start=1):
        if not Organisation.objects.filter(name=spec["name"]).exists():
            account_services.organisation_create(
                actor=owner,
                name=spec["name"],
                description=spec.get("description", ""),
                org_number=with_check_digit(f"80249{number:04d}"),
                sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code=spec["sector"]),
                municipality=Municipality.objects.get(code=spec["municipality"]),
            )
    return {o.name: o for o in Organisation.objects.all()}


def _partnership_request(
    users: dict[str, User],
    organisations: dict[str, Organisation],
    initiatives: dict[str, Initiative],
) -> None:
    """A request waiting for an answer, for the demo's member persona (administrator of the
    village shop) to accept or decline on the shop's page. The researcher persona, who
    administers the university that leads the initiative, asks."""
    initiative = initiatives.get("forskarverkstad-norr")
    shop = organisations.get("Morjärvs lanthandel ekonomisk förening")
    if initiative is None or shop is None or initiative.partnerships.filter(organisation=shop):
        return
    services.partnership_set(
        actor=users["forskare@exempel.se"],
        initiative=initiative,
        organisation=shop,
        role=PartnerRole.PARTNER,
    )


def load(users: dict[str, User]) -> dict[str, int]:
    coordinator = users["koordinator@exempel.se"]
    data = json.loads(DATA.read_text(encoding="utf-8"))
    organisations = _organisations(data.get("organisations", []), coordinator)
    keys: dict[str, Method | Initiative] = {}
    for spec in data["methods"]:
        existing = Method.objects.filter(title=spec["title"]).first()
        keys[spec["key"]] = existing or services.method_create(
            actor=coordinator,
            title=spec["title"],
            summary=spec["summary"],
            what=spec["what"],
            how=spec.get("how", ""),
            why=spec.get("why", ""),
            requirements=spec.get("requirements", ""),
            evidence=spec.get("evidence", ""),
            challenges=_terms(Vocabulary.CHALLENGE, spec.get("challenges", [])),
            target_groups=_terms(Vocabulary.TARGET_GROUP, spec.get("target_groups", [])),
            sdgs=_terms(Vocabulary.SDG, spec.get("sdgs", [])),
            organisations=[organisations[n] for n in spec.get("organisations", [])],
        )
    initiative_keys: dict[str, Initiative] = {}
    for spec in data["initiatives"]:
        existing = Initiative.objects.filter(title=spec["title"]).first()
        if existing:
            initiative_keys[spec["key"]] = existing
            continue
        partners = spec["partners"]
        lead = next(organisations[p["organisation"]] for p in partners if p["role"] == "lead")
        initiative_keys[spec["key"]] = services.initiative_create(
            actor=coordinator,
            lead=lead,
            partners=[
                (organisations[p["organisation"]], p["role"])
                for p in partners
                if p["role"] != "lead"
            ],
            methods=[keys[k] for k in spec.get("methods", [])],
            challenges=_terms(Vocabulary.CHALLENGE, spec.get("challenges", [])),
            target_groups=_terms(Vocabulary.TARGET_GROUP, spec.get("target_groups", [])),
            sdgs=_terms(Vocabulary.SDG, spec.get("sdgs", [])),
            title=spec["title"],
            summary=spec["summary"],
            description=spec.get("description", ""),
            municipality=Municipality.objects.get(code=spec["municipality"]),
            address=spec.get("address", ""),
            stage=Term.objects.in_vocabulary(Vocabulary.STAGE).get(code=spec["stage"]),
            start_date=_date(spec.get("start_date")),
            end_date=_date(spec.get("end_date")),
            participants_reached=spec.get("participants_reached"),
            results=spec.get("results", ""),
            evidence=spec.get("evidence", ""),
            contact_name=spec.get("contact_name", ""),
            contact_email=spec.get("contact_email", ""),
            links="\n".join(spec.get("links", [])),
        )
    _partnership_request(users, organisations, initiative_keys)
    adaptations = 0
    for spec in data["adaptations"]:
        initiative = initiative_keys[spec["initiative"]]
        method = keys.get(spec["source_method"]) if spec.get("source_method") else None
        source = (
            initiative_keys[spec["source_initiative"]] if spec.get("source_initiative") else None
        )
        if initiative.adaptations_made.filter(
            source_method=method, source_initiative=source
        ).exists():
            continue
        services.adaptation_create(
            actor=coordinator,
            initiative=initiative,
            source_method=method,
            source_initiative=source,
            what_changed=spec["what_changed"],
            why=spec.get("why", ""),
        )
        adaptations += 1
    return {"methods": len(keys), "initiatives": len(initiative_keys), "adaptations": adaptations}
