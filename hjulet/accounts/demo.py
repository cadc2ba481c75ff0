"""Demo content: persona accounts and organisations from the source texts.

Organisation numbers here are made up (valid check digit, not the real organisations'
numbers). Every write goes through the services, so the audit log shows them too.
"""

from django.utils import timezone

from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.lib.orgnr import with_check_digit

from . import services
from .models import MembershipRole, Organisation, Role, User

DEMO_PASSWORD = "hjulet-demo-2026"

PERSONAS = [
    # email, name, platform role
    ("admin@exempel.se", "Alva Admin", Role.ADMIN),
    ("koordinator@exempel.se", "Kim Koordinator", Role.COORDINATOR),
    ("moderator@exempel.se", "Mo Moderator", Role.MODERATOR),
    ("forskare@exempel.se", "Frida Forskare", Role.RESEARCHER),
    ("medlem@exempel.se", "Maja Medlem", None),
    ("invanare@exempel.se", "Ida Invånare", None),
]

ORGANISATIONS = [
    # name, nine digits for a made-up number, sector, kommun, admin, members, description
    (
        "Social Innovation Skåne",
        "802470001",
        "ideburen",
        "1280",
        "koordinator@exempel.se",
        [],
        "Utvecklar stödstrukturer för samhällsförbättrande initiativ så att fler människor och "
        "organisationer kan delta i utvecklingen av ett mer hållbart Skåne. Erbjuder rådgivning, "
        "processtöd kring lokala överenskommelser och en forskarverkstad.",
    ),
    (
        "Samforma",
        "802470002",
        "ideburen",
        "2580",
        "koordinator@exempel.se",
        [],
        "Stödstruktur för den idéburna sektorn i Norrbotten och Västerbotten. Tar fram tematiska "
        "medlemsrapporter, till exempel om social innovation i norr.",
    ),
    (
        "Fritidsbanken Umeå",
        "802470003",
        "ideburen",
        "2480",
        "medlem@exempel.se",
        [],
        "Lånar ut sport- och fritidsutrustning gratis, som ett bibliotek. Ger fler barn och "
        "vuxna möjlighet att prova aktiviteter och minskar slit och släng.",
    ),
    (
        "Morjärvs lanthandel ekonomisk förening",
        "769600004",
        "ideburen",
        "2514",
        "medlem@exempel.se",
        [],
        "Byborna driver lanthandeln som ett kooperativ, så att service i glesbygd finns kvar: "
        "livsmedel, ombud för post och apotek, och en mötesplats.",
    ),
    (
        "Umeå kommun",
        "212000005",
        "offentlig",
        "2480",
        "koordinator@exempel.se",
        ["invanare@exempel.se"],
        "Kommunen samverkar med föreningslivet genom lokala överenskommelser.",
    ),
    (
        "Luleå tekniska universitet",
        "202100006",
        "akademi",
        "2580",
        "forskare@exempel.se",
        [],
        "Forskning om social innovation i civilsamhällets organisationer.",
    ),
    (
        "Hyresbostäder i Norrköping",
        "556000007",
        "offentlig",
        "0581",
        "koordinator@exempel.se",
        [],
        "Allmännyttigt bostadsbolag som arbetar med stadsdelsutveckling mot segregation.",
    ),
    (
        "Reach for Change",
        "802470008",
        "ideburen",
        "0180",
        "koordinator@exempel.se",
        [],
        "Stöttar sociala entreprenörer som skapar innovationer för barn och unga; medarrangör av "
        "innovationsverkstaden Sammanhacket.",
    ),
]


def _persona(email: str, name: str, role: str | None, admin: User | None) -> User:
    user = User.objects.by_email(email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, name=name, email_verified_at=timezone.now()
        )
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    if role and admin is not None and role != Role.ADMIN:
        services.role_grant(actor=admin, user=user, role=role)
    return user


def load() -> dict[str, User]:
    admin_email, admin_name, _role = PERSONAS[0]
    admin = _persona(admin_email, admin_name, Role.ADMIN, None)
    users = {admin_email: admin}
    for email, name, role in PERSONAS[1:]:
        users[email] = _persona(email, name, role, admin)
    for name, digits, sector, kommun, admin_email, members, description in ORGANISATIONS:
        if Organisation.objects.filter(name=name).exists():
            continue
        organisation = services.organisation_create(
            actor=users[admin_email],
            name=name,
            org_number=with_check_digit(digits),
            sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code=sector),
            municipality=Municipality.objects.get(code=kommun),
            description=description,
        )
        for member_email in members:
            invitation = services.invitation_create(
                actor=users[admin_email],
                organisation=organisation,
                email=member_email,
                role=MembershipRole.MEMBER,
            )
            services.invitation_accept(secret=invitation.link_secret, actor=users[member_email])
    return users
