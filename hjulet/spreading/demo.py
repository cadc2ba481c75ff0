"""Demo content: the housing companies' innovation lab spreads a method to new towns. A plan
with steps, places that adapted it (one stopped, one still a draft with a conversation).
Swedish, written for Hjulet; years relative to today. Every write goes through the services.
Safe to run again."""

import datetime

from django.utils import timezone

from hjulet.accounts import services as account_services
from hjulet.accounts.models import Organisation, User
from hjulet.core.models import County, Municipality, Term, Vocabulary
from hjulet.knowledge import services as knowledge
from hjulet.knowledge.models import Method

from . import services
from .models import SpreadPlan

LAB = "Bostadsbolagens innovationslabb"
METHOD = "Sommarjobb i det egna bostadsområdet"
PLAN = "Sommarjobb i tio nya bostadsområden"

# (owner, municipality code, what was changed, why, what it achieved, why it stopped)
PLACES = [
    (
        "koordinator@exempel.se",
        "0581",
        "Jobben delades i två perioder om tre veckor, så att fler unga fick plats, och "
        "hyresgästföreningen höll i introduktionen.",
        "Det var fler sökande än platser första året.",
        "42 unga hade sitt första jobb. Skadegörelsen i trapphusen minskade under sommaren.",
        "",
    ),
    (
        "medlem@exempel.se",
        "1280",
        "Arbetslagen leddes av äldre ungdomar som själva haft jobbet året innan.",
        "De unga lyssnade mer på någon som varit i samma sits.",
        "Fem av handledarna fick fast anställning hos bostadsbolaget.",
        "",
    ),
    (
        "forskare@exempel.se",
        "1480",
        "Arbetet flyttades från gårdarna till bostadsbolagets nya odlingslotter.",
        "Bolaget ville att fler hyresgäster skulle börja odla.",
        "",
        "",
    ),
    (
        "admin@exempel.se",
        "1490",
        "Kommunens arbetsmarknadsenhet anställde i stället för bostadsbolaget.",
        "Bostadsbolaget saknade någon som kunde vara arbetsledare.",
        "",
        "När kommunen drog in sommarjobbspengarna fanns ingen som kunde ta över "
        "lönekostnaden. Lärdom: skriv in finansieringen i bolagets egen budget från början.",
    ),
]

STEPS = [
    ("Samla erfarenheterna från de fyra städerna i en handbok", 0, True),
    ("Presentera metoden på allmännyttans regionala träffar", 60, True),
    ("Erbjuda fadderstöd från en stad som redan gjort det", 180, False),
    ("Följa upp alla nya orter efter första sommaren", 400, False),
]


def _lab(coordinator: User) -> Organisation:
    lab = Organisation.objects.filter(name=LAB).first()
    return lab or account_services.organisation_create(
        actor=coordinator,
        name=LAB,
        description=(
            "Fyra allmännyttiga bostadsbolag som tillsammans prövar och sprider sätt att "
            "motverka segregation där människor bor."
        ),
        sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code="offentlig"),
        municipality=Municipality.objects.get(code="0581"),
    )


def _method(coordinator: User, lab: Organisation) -> Method:
    method = Method.objects.filter(title=METHOD).first()
    return method or knowledge.method_create(
        actor=coordinator,
        title=METHOD,
        summary="Bostadsbolaget anställer unga som bor i området för sommarens skötsel.",
        what=(
            "Unga från bostadsområdet får sitt första sommarjobb hos bostadsbolaget: de "
            "sköter gårdar, målar, planterar och hjälper till vid aktiviteter."
        ),
        how=(
            "Bolaget avsätter pengar i budgeten, en arbetsledare tar emot lag om fem till "
            "åtta unga och hyresgästföreningen hjälper till att nå dem som sällan söker."
        ),
        why=(
            "Ett första jobb ger referenser, kontakter och pengar. Grannarna ser de unga "
            "ta hand om området, och de unga får ett annat förhållande till sina kvarter."
        ),
        requirements="En arbetsledare, en budget för löner och samarbete med kommunen.",
        organisations=[lab],
    )


def load(users: dict[str, User]) -> dict[str, int]:
    if SpreadPlan.objects.filter(title=PLAN).exists():
        return {"plans": 0, "places": 0}
    coordinator = users["koordinator@exempel.se"]
    lab = _lab(coordinator)
    method = _method(coordinator, lab)
    year = timezone.localdate().year
    plan = services.plan_create(
        actor=coordinator,
        method=method,
        title=PLAN,
        goal=(
            "Efter försöken i fyra städer ska fler bostadsbolag kunna erbjuda unga sommarjobb "
            "där de bor. Målet är tio nya orter, med stöd från en stad som redan gjort det."
        ),
        target_places=10,
        target_year=year + 2,
        audiences="Allmännyttiga bostadsbolag\nKommunernas arbetsmarknadsenheter\n"
        "Hyresgästföreningar",
        counties=list(County.objects.filter(code__in=["05", "12", "14", "19"])),
    )
    today = timezone.localdate()
    for title, days, done in STEPS:
        step = services.step_create(
            actor=coordinator,
            plan=plan,
            title=title,
            due_date=today + datetime.timedelta(days=days),
            owner_organisation=lab,
        )
        if done:
            services.step_set_done(actor=coordinator, step=step, done=True)
    for email, code, changed, why, achieved, stopped in PLACES:
        owner = users[email]
        draft = services.draft_create(
            actor=owner, source_method=method, municipality=Municipality.objects.get(code=code)
        )
        services.draft_update(
            actor=owner,
            draft=draft,
            what_to_change=changed,
            why=why,
            achieved=achieved,
            target_group="Unga 16–19 år som bor i området",
            financing="Bostadsbolagets budget för skötsel, med bidrag från kommunen.",
        )
        services.draft_publish(actor=owner, draft=draft)
        if stopped:
            services.draft_stop(actor=owner, draft=draft, reason=stopped)
    # A resident in Västerås has just started, and asks the lab.
    resident = users["invanare@exempel.se"]
    draft = services.draft_create(
        actor=resident, source_method=method, municipality=Municipality.objects.get(code="1980")
    )
    services.message_post(
        actor=resident,
        draft=draft,
        body=(
            "Hej! Jag sitter i hyresgästföreningen i Bäckby och vill föreslå sommarjobb för "
            "bostadsbolaget här. Hur fick ni bolaget att avsätta pengar första året?"
        ),
    )
    services.message_post(
        actor=coordinator,
        draft=draft,
        body=(
            "Hej! I Norrköping började det med en liten pott ur skötselbudgeten och tio "
            "platser. Visa siffrorna om skadegörelse från sommaren – de övertygade styrelsen. "
            "Vi kan koppla ihop dig med arbetsledaren där."
        ),
    )
    return {"plans": 1, "places": len(PLACES) + 1}
