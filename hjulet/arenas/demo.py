"""Demo content: an arena in Umeå, a challenge about newly arrived young people with ideas,
comments, support and a hackathon. Swedish, written for Hjulet; dates relative to today.
Every write goes through the services. Safe to run again."""

import datetime

from django.utils import timezone

from hjulet.accounts import services as account_services
from hjulet.accounts.models import Organisation, User
from hjulet.core.models import Municipality, Term, Vocabulary

from . import services
from .models import AgreementKind, AgreementStatus, Arena, ArenaRole, EventKind, PersonRole

ARENA_NAME = "Unga i Umeå – tillsammans"
HOUSING = "Västerbo Fastigheter AB"

IDEAS = [
    (
        "invanare@exempel.se",
        "Fotboll och läxhjälp samma kväll",
        "Många vill spela fotboll men behöver också hjälp med svenskan och läxorna. Vi "
        "kan göra en kväll i veckan där första timmen är läxhjälp med volontärer och "
        "resten är fotboll i hallen. Det kan testas under en termin i Ersboda.",
    ),
    (
        "medlem@exempel.se",
        "Fritidsbanken som första kontakt",
        "Låna utrustning gratis och få en fadder som följer med första gången till en "
        "förening. Fritidsbanken finns redan – det som saknas är någon som går med.",
    ),
    (
        "forskare@exempel.se",
        "Unga som guider i sitt bostadsområde",
        "Unga som har bott här några år visar nyanlända runt: var biblioteket ligger, "
        "hur man tar bussen, vilka föreningar som finns. Guiderna får en liten ersättning "
        "från bostadsbolaget.",
    ),
]


def _terms(slug: str, codes: list[str]) -> list[Term]:
    return list(
        Term.objects.in_vocabulary(slug).filter(code__in=codes).select_related("vocabulary")
    )


def load(users: dict[str, User]) -> dict[str, int]:
    if Arena.objects.filter(name=ARENA_NAME).exists():
        return {"arenas": 0, "ideas": 0}
    coordinator = users["koordinator@exempel.se"]
    umea = Municipality.objects.get(code="2480")
    housing = Organisation.objects.filter(name=HOUSING).first()
    if housing is None:
        housing = account_services.organisation_create(
            actor=coordinator,
            name=HOUSING,
            description="Privat fastighetsbolag med hyreslägenheter i Ersboda och Ålidhem.",
            sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code="privat"),
            municipality=umea,
        )
    kommun = Organisation.objects.get(name="Umeå kommun")
    fritidsbanken = Organisation.objects.get(name="Fritidsbanken Umeå")
    arena = services.arena_create(
        actor=coordinator,
        name=ARENA_NAME,
        purpose=(
            "Kommunen, föreningslivet och ett bostadsbolag möts med unga själva för att "
            "pröva nya sätt att göra fritiden och vardagen lättare för unga som nyss kommit "
            "till Umeå. Vi testar i liten skala, lär oss av det som inte fungerar och "
            "gör mer av det som gör det."
        ),
        municipality=umea,
        organisations=[
            (kommun, ArenaRole.LEAD),
            (fritidsbanken, ArenaRole.PARTNER),
            (housing, ArenaRole.PARTNER),
        ],
        people=[
            (coordinator, PersonRole.COORDINATOR),
            (users["invanare@exempel.se"], PersonRole.RESIDENT),
        ],
    )
    today = timezone.localdate()
    services.agreement_create(
        actor=coordinator,
        arena=arena,
        parties=[kommun, fritidsbanken],
        title="IOP om fritid för nyanlända unga",
        kind=AgreementKind.IOP,
        purpose="Fritidsbanken ordnar utlåning och faddrar; kommunen står för lokal och "
        "samordning. Parterna följer upp tillsammans varje halvår.",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=1, day=1) + datetime.timedelta(days=730),
        status=AgreementStatus.ACTIVE,
    )
    challenge = services.challenge_create(
        actor=coordinator,
        arena=arena,
        title="Hur får nyanlända unga en meningsfull fritid?",
        problem=(
            "Unga som nyss kommit till Umeå deltar sällan i föreningslivet. De vet inte "
            "vad som finns, utrustning kostar och det är svårt att gå dit ensam första "
            "gången. Samtidigt vill föreningarna ha fler medlemmar."
        ),
        affected=(
            "Unga 13–20 år som kommit till Sverige de senaste tre åren, ofta utan "
            "föräldrar här, och som bor i Ersboda och Ålidhem."
        ),
        municipality=umea,
        challenges=_terms(Vocabulary.CHALLENGE, ["segregation", "ohalsa"]),
        sdgs=_terms(Vocabulary.SDG, ["3", "10"]),
        ideas_from=today - datetime.timedelta(days=14),
        develop_from=today + datetime.timedelta(days=30),
        test_from=today + datetime.timedelta(days=75),
        evaluate_from=today + datetime.timedelta(days=165),
        ends_on=today + datetime.timedelta(days=200),
    )
    ideas = []
    for email, title, body in IDEAS:
        ideas.append(
            services.idea_create(actor=users[email], challenge=challenge, title=title, body=body)
        )
    for email in ("medlem@exempel.se", "forskare@exempel.se", "moderator@exempel.se"):
        services.support_add(actor=users[email], idea=ideas[0])
    services.support_add(actor=users["invanare@exempel.se"], idea=ideas[1])
    first = services.comment_create(
        actor=users["medlem@exempel.se"],
        idea=ideas[0],
        body="Vi kan låna ut fotbollsskor och benskydd från Fritidsbanken till alla som kommer.",
        organisation=fritidsbanken,
    )
    services.comment_create(
        actor=users["invanare@exempel.se"],
        idea=ideas[0],
        parent=first,
        body="Toppen! Då slipper ingen stå utanför för att skorna saknas.",
    )
    services.comment_create(
        actor=coordinator,
        idea=ideas[0],
        parent=first,
        body="Vi lånar gärna ut gården i Ersboda till träningarna på tisdagskvällar.",
        organisation=housing,
    )
    services.comment_create(
        actor=users["forskare@exempel.se"],
        idea=ideas[2],
        body="Spännande. Vi följer gärna upp hur guiderna själva påverkas.",
    )
    event = services.event_create(
        actor=coordinator,
        challenge=challenge,
        kind=EventKind.HACKATHON,
        title="Sammanhack Umeå: fritid för alla",
        starts_at=timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
        + datetime.timedelta(days=21),
        place="Ersboda folkets hus, Umeå",
        capacity=30,
    )
    services.event_register(actor=users["invanare@exempel.se"], event=event)
    return {"arenas": 1, "ideas": len(ideas)}
