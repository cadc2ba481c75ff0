import datetime

from django.utils import timezone

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import Arena, ArenaRole, Challenge, Event, EventKind
from hjulet.core.models import Municipality, Term, Vocabulary

UMEA = "2480"


def sector(code: str) -> Term:
    return Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code=code)


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.in_vocabulary(vocabulary).select_related("vocabulary").get(code=code)


def make_arena(*, lead_admin=None, name: str = "Umeåarenan") -> Arena:
    """A municipality leads, an association and a housing company take part."""
    kommun = OrganisationFactory(name=f"{name} kommun", sector=sector("offentlig"))
    forening = OrganisationFactory(name=f"{name} förening")
    bostad = OrganisationFactory(name=f"{name} bostäder", sector=sector("privat"))
    lead_admin = lead_admin or UserFactory(email=f"{kommun.slug}@exempel.se")
    MembershipFactory(user=lead_admin, organisation=kommun, role=MembershipRole.ADMIN)
    arena = services.arena_create(
        actor=lead_admin,
        name=name,
        purpose="Tillsammans för unga i Umeå.",
        municipality=Municipality.objects.get(code=UMEA),
        organisations=[
            (kommun, ArenaRole.LEAD),
            (forening, ArenaRole.PARTNER),
            (bostad, ArenaRole.PARTNER),
        ],
    )
    arena.lead_admin = lead_admin
    arena.lead = kommun
    arena.partner = forening
    return arena


def make_challenge(actor, *, arena=None, organisation=None, **fields) -> Challenge:
    today = timezone.localdate()
    defaults = {
        "title": "Nyanlända unga och fritiden",
        "problem": "Många nyanlända unga har ingen fritidsaktivitet.",
        "affected": "Unga 13–19 år som kommit till Umeå de senaste åren.",
        "municipality": Municipality.objects.get(code=UMEA),
        "ideas_from": today - datetime.timedelta(days=1),
        "develop_from": today + datetime.timedelta(days=30),
        "test_from": today + datetime.timedelta(days=60),
        "evaluate_from": today + datetime.timedelta(days=120),
        "ends_on": today + datetime.timedelta(days=180),
        "challenges": [term(Vocabulary.CHALLENGE, "segregation")],
        "sdgs": [term(Vocabulary.SDG, "10")],
    }
    return services.challenge_create(
        actor=actor, arena=arena, organisation=organisation, **{**defaults, **fields}
    )


def make_event(actor, challenge, **fields) -> Event:
    """A hackathon of ``challenge`` in ten days, made through the service by ``actor``."""
    defaults = {
        "kind": EventKind.HACKATHON,
        "title": "Sammanhack",
        "starts_at": timezone.now() + datetime.timedelta(days=10),
        "place": "Umeå Folkets hus",
        "capacity": 20,
    }
    return services.event_create(actor=actor, challenge=challenge, **{**defaults, **fields})


def agreement_form(arena, **changes) -> dict:
    """The agreement form of ``arena``'s lead and partner as a person fills it in (a document
    to add), with ``changes`` over it."""
    return {
        "title": "Lokal överenskommelse",
        "kind": "local",
        "purpose": "Samverkan om fritid.",
        "starts_on": "2026-01-01",
        "status": "active",
        "parties": [arena.lead.pk, arena.partner.pk],
        **changes,
    }
