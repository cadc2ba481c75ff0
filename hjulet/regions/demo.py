"""Demo content: two regional hubs side by side, Skåne and Norrbotten–Västerbotten, each with
a hub coordinator (password as the other personas'). Written through the services."""

from django.utils import timezone

from hjulet.accounts.demo import DEMO_PASSWORD
from hjulet.accounts.models import User
from hjulet.core.models import County

from . import services
from .models import Hub, HubRole

HUBS = [
    # slug, name, counties, brand colour, tint colour, description, coordinator (email, name)
    (
        "skane",
        "Skånenoden för social innovation",
        ["12"],
        "#8a1538",
        "#fbeef1",
        "Den skånska noden samlar stödet till samhällsförbättrande initiativ i regionen: "
        "rådgivning till idéburna organisationer, forskarverkstad tillsammans med lärosätena "
        "och mötesplatser där kommuner, föreningar och företag prövar nya lösningar ihop.",
        ("nod.skane@exempel.se", "Sanna Skånenod"),
    ),
    (
        "norr",
        "Norrnoden – Norrbotten och Västerbotten",
        ["25", "24"],
        "#1f4e79",
        "#e6f0f8",
        "Ett nätverk av idéburna organisationer, kommunala innovationsmiljöer och Coompanion "
        "i de två nordligaste länen. Här syns vad som redan prövats i glesbygd och stad, och "
        "vem som kan hjälpa till med nästa steg.",
        ("nod.norr@exempel.se", "Nils Norrnod"),
    ),
]


def _coordinator(email: str, name: str) -> User:
    user = User.objects.by_email(email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, name=name, email_verified_at=timezone.now()
        )
    return user


def load(users: dict[str, User]) -> dict[str, int]:
    """Add the hubs (once) and their coordinators to ``users``; return what was added."""
    national = users["koordinator@exempel.se"]
    added = 0
    for slug, name, counties, brand, tint, description, (email, person) in HUBS:
        coordinator = _coordinator(email, person)
        users[email] = coordinator
        if Hub.objects.filter(slug=slug).exists():
            continue
        hub = services.hub_create(
            actor=national,
            name=name,
            slug=slug,
            description=description,
            brand_colour=brand,
            tint_colour=tint,
            counties=County.objects.filter(code__in=counties),
        )
        services.hub_person_add(actor=national, hub=hub, user=coordinator, role=HubRole.COORDINATOR)
        added += 1
    return {"hubs": added}
