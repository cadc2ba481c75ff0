"""Demo content for the science shop: researchers and questions in different stages, in
Swedish, written for Hjulet from the science-shop practice in the source texts (Social
Innovation Skåne's forskarverkstad). Every write goes through the services; afterwards the
timeline is spread over the past weeks so that the coordinators' overview has durations."""

import datetime

from django.utils import timezone

from hjulet.accounts import services as account_services
from hjulet.accounts.models import Organisation, Role, User
from hjulet.core.models import Term, Vocabulary

from . import services
from .models import Question, QuestionEvent

PASSWORD = "hjulet-demo-2026"

RESEARCHERS = [
    (
        "forskare@exempel.se",
        "",
        "Umeå universitet",
        "Sociologiska institutionen",
        "Barnfamiljers fritid och ekonomisk utsatthet, idrott och friluftsliv för barn och "
        "unga, deltagande i föreningslivet, barnfattigdom.",
        "Studie om fritidsvanor bland barn i Umeås ytterområden (2022).",
    ),
    (
        "landsbygd@exempel.se",
        "Lars Landsbygd",
        "Luleå tekniska universitet",
        "Institutionen för ekonomi, teknik och samhälle",
        "Kooperativ och social ekonomi på landsbygden, lokal service i glesbygd, byaföreningar, "
        "social innovation i civilsamhällets organisationer.",
        "Kunskapsöversikt om social innovation i civilsamhällets organisationer.",
    ),
    (
        "cirkular@exempel.se",
        "Cecilia Cirkulär",
        "Malmö universitet",
        "Mötesplats Social Innovation",
        "Cirkulär ekonomi, delningsekonomi, återbruk och utlåning av utrustning; hur delning "
        "påverkar konsumtion och nyköp; att mäta miljönytta med livscykelanalys.",
        "Utvärdering av verktygspooler och bytesrum i Skåne.",
    ),
]


def _researcher(admin: User, email: str, name: str) -> User:
    user = User.objects.by_email(email).first()
    if user is None:
        user = User.objects.create_user(
            email, PASSWORD, name=name, email_verified_at=timezone.now()
        )
    if not user.is_researcher:
        account_services.role_grant(actor=admin, user=user, role=Role.RESEARCHER)
        user = User.objects.get(pk=user.pk)
    return user


def _challenges(*codes: str) -> list[Term]:
    return list(
        Term.objects.in_vocabulary(Vocabulary.CHALLENGE)
        .filter(code__in=codes)
        .select_related("vocabulary")
    )


def _spread_over_time(question: Question, days_ago: int) -> None:
    """Demo only: place the question's steps evenly over the past ``days_ago`` days."""
    events = list(question.events.order_by("created_at", "id"))
    now = timezone.now()
    step = datetime.timedelta(days=days_ago) / max(len(events), 1)
    start = now - datetime.timedelta(days=days_ago)
    for index, event in enumerate(events):
        QuestionEvent.objects.filter(pk=event.pk).update(created_at=start + step * index)
    Question.objects.filter(pk=question.pk).update(
        created_at=start, status_changed_at=start + step * (len(events) - 1)
    )


def load(users: dict[str, User]) -> dict[str, int]:
    admin = users["admin@exempel.se"]
    coordinator = users["koordinator@exempel.se"]
    member = users["medlem@exempel.se"]
    researchers = {}
    for email, name, university, department, expertise, earlier in RESEARCHERS:
        user = _researcher(admin, email, name) if email not in users else users[email]
        researchers[email] = user
        services.researcher_profile_save(
            actor=user,
            university=university,
            department=department,
            expertise=expertise,
            earlier_work=earlier,
        )
    frida = researchers["forskare@exempel.se"]
    lars = researchers["landsbygd@exempel.se"]
    fritidsbanken = Organisation.objects.get(name="Fritidsbanken Umeå")
    morjarv = Organisation.objects.get(name="Morjärvs lanthandel ekonomisk förening")
    created = 0

    def ask(organisation: Organisation, title: str, challenges: tuple[str, ...], **text):
        nonlocal created
        if Question.objects.filter(title=title).exists():
            return None
        created += 1
        return services.question_submit(
            actor=member,
            organisation=organisation,
            title=title,
            challenges=_challenges(*challenges),
            non_commercial=text.pop("non_commercial", True),
            results_may_be_public=True,
            lacks_means=True,
            **text,
        )

    def decide(question: Question, decision: str, reason: str) -> None:
        """The coordinator's decision, with the reason the organisation reads."""
        services.question_decide(
            actor=coordinator, question=question, decision=decision, reason=reason
        )

    # 1. The whole path: asked, articulated, accepted, matched, met, published, followed up.
    q = ask(
        fritidsbanken,
        "Vilka barnfamiljer når Fritidsbanken inte?",
        ("ohalsa", "segregation"),
        background="Vi lånar ut skridskor, tält och bollar gratis. De flesta som kommer bor nära "
        "centrum, och vi tror att familjer i ytterområdena inte känner till oss.",
        wanted_knowledge="Vilka familjer lånar inte hos oss, och vad hindrar dem?",
        intended_use="Vi vill ändra var och hur vi berättar om Fritidsbanken och kanske öppna "
        "en filial.",
    )
    if q is not None:
        services.formulation_add(
            actor=coordinator,
            question=q,
            text="Vad hindrar barnfamiljer i Umeås ytterområden från att låna fritidsutrustning "
            "gratis, och vilka vägar att nå dem har prövats på andra håll?",
            comment="Vi lade till vad som redan prövats, så att svaret går att använda direkt.",
        )
        decide(
            q,
            "accepted",
            "Frågan är icke-kommersiell, resultaten kan bli offentliga och föreningen "
            "saknar resurser för en egen studie.",
        )
        services.assignment_create(
            actor=coordinator, question=q, kind="researcher", researcher=frida
        )
        services.meeting_create(
            actor=frida,
            question=q,
            starts_at=timezone.now() - datetime.timedelta(days=20),
            place="Fritidsbanken, Umeå",
            participants="Maja Medlem, Frida Forskare, Kim Koordinator",
            notes="Vi gick igenom utlåningsstatistiken per postnummer.",
            next_steps="Frida sammanfattar forskningen om barns fritid och ekonomisk utsatthet.",
        )
        services.outcome_record(
            actor=frida,
            question=q,
            kind="summary",
            title="Att nå barnfamiljer som inte hittar till gratis fritid",
            summary="Forskningen pekar på tre hinder: att man inte känner till verksamheten, "
            "avståndet och en osäkerhet om vad det kostar. Det som fungerat på andra orter är "
            "att finnas där familjerna redan är – skolor, öppna förskolor och språkcaféer – och "
            "att säga tydligt att allt är gratis.",
            challenges=_challenges("ohalsa", "segregation"),
        )
        services.follow_up_record(
            actor=member,
            question=q,
            was_used="yes",
            how="Vi har börjat ställa ut utrustning på två skolor i ytterområdena varje fredag.",
        )
        _spread_over_time(q, 70)

    # 2. In progress: a student project with a supervisor, and an upcoming meeting.
    q = ask(
        morjarv,
        "Hur kan en kooperativ lanthandel bära sig när byn krymper?",
        ("service-i-glesbygd",),
        background="Byborna äger butiken tillsammans sedan 2012. Kundunderlaget minskar, men "
        "butiken är också byns post, apotek och mötesplats.",
        wanted_knowledge="Vilka intäkter och samarbeten har andra kooperativa lanthandlar "
        "använt för att överleva?",
        intended_use="Underlag till föreningsstämman och till samtal med kommunen.",
    )
    if q is not None:
        decide(q, "accepted", "Frågan passar väl för en uppsats med handledare.")
        services.assignment_create(
            actor=coordinator,
            question=q,
            kind="student",
            students="Ella Ek och Omar Haddad",
            thesis_level="master",
            supervisor=lars,
        )
        services.meeting_create(
            actor=lars,
            question=q,
            starts_at=timezone.now() + datetime.timedelta(days=9),
            place="Lanthandeln i Morjärv",
            participants="Maja Medlem, Lars Landsbygd, Ella Ek, Omar Haddad",
            next_steps="Studenterna intervjuar styrelsen.",
        )
        _spread_over_time(q, 35)

    # 3. Accepted and open to researchers, with one interest.
    q = ask(
        fritidsbanken,
        "Minskar gratis utlåning av fritidsutrustning nyköpen?",
        ("miljo-och-klimat",),
        background="Vi säger att Fritidsbanken minskar slit och släng, men vi vet inte om det "
        "stämmer.",
        wanted_knowledge="Köper de som lånar hos oss mindre ny utrustning, och hur kan vi mäta "
        "det?",
        intended_use="I ansökningar och när vi berättar om vår miljönytta.",
    )
    if q is not None:
        decide(q, "accepted", "Det finns forskning om delningsekonomi att bygga på.")
        services.interest_express(
            actor=researchers["cirkular@exempel.se"],
            question=q,
            message="Vi har en metod för att skatta undvikna nyköp som kan passa.",
        )
        _spread_over_time(q, 12)

    # 4. In dialogue: the wording is being worked out.
    q = ask(
        morjarv,
        "Kan butiken bli en mötesplats för äldre som bor ensamma?",
        ("ensamhet", "service-i-glesbygd"),
        background="Flera äldre i byn handlar bara för att få prata med någon.",
        wanted_knowledge="Hur gör man en butik till en mötesplats?",
        intended_use="Vi vill pröva kaffe och tidningar i butiken en dag i veckan.",
    )
    if q is not None:
        services.formulation_add(
            actor=coordinator,
            question=q,
            text="Vad vet man om mötesplatser i vardagliga lokaler, som butiker, för att minska "
            "ofrivillig ensamhet bland äldre på landsbygden?",
            comment="Frågan blir lättare att besvara om den gäller ofrivillig ensamhet.",
        )
        services.formulation_add(
            actor=member,
            question=q,
            text="Vad vet man om mötesplatser i butiker för att minska ofrivillig ensamhet "
            "bland äldre på landsbygden, och vad kostar det?",
            comment="Kostnaden avgör om styrelsen säger ja.",
        )
        _spread_over_time(q, 6)

    # 5. Referred elsewhere, with the reason the organisation reads.
    q = ask(
        fritidsbanken,
        "Hur mycket är våra ideella timmar värda i kronor?",
        ("arbetsloshet",),
        background="Kommunen vill veta vad föreningen bidrar med.",
        wanted_knowledge="Hur räknar man om ideella timmar till kronor?",
        intended_use="I dialogen om en lokal överenskommelse med kommunen.",
    )
    if q is not None:
        decide(
            q,
            "referred",
            "Det finns färdiga metoder för detta. Vi hänvisar till stödstrukturen för "
            "idéburen sektor, som kan hjälpa er att räkna.",
        )
        _spread_over_time(q, 20)

    # 6. Just submitted.
    ask(
        morjarv,
        "Vad krävs för en lokal överenskommelse med kommunen?",
        ("service-i-glesbygd",),
        background="Vi vill samverka med kommunen om service i byn men vet inte hur man börjar.",
        wanted_knowledge="Hur har andra byaföreningar gått till väga för att få en lokal "
        "överenskommelse med sin kommun?",
        intended_use="Som underlag för ett första möte med kommunen.",
    )
    return {"questions": created, "researchers": len(researchers)}
