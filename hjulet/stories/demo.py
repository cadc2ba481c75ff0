"""Demo content: stories from practice and an accompanying research report, written for
Hjulet after the housing companies' innovation lab in four cities (the method "Innovationslabb
i bostadsområdet" and its initiatives in Norrköping and Sundsvall). Names and texts are made
up. Every write goes through the services. Safe to run again."""

from hjulet.accounts.models import Organisation, User
from hjulet.core.models import Municipality
from hjulet.knowledge.models import Initiative, Method

from . import services
from .models import InitiativeSuggestion, ResearchReport, Story

METHOD = "Innovationslabb i bostadsområdet"
NORRKOPING = "Innovationslabb mot segregation i Norrköping"
SUNDSVALL = "Vardagshjältar i Nacksta"
HOUSING = "Älvhem Bostäder AB"

STORIES = [
    # author, told for (organisation or None), title, text, linked initiatives, reviewed
    (
        "koordinator@exempel.se",
        HOUSING,
        "Köksbordet som blev en läxhjälp",
        "När vi frågade hyresgästerna vilka som gör skillnad i Nacksta kom samma namn upp "
        "gång på gång: en pappa som har hjälpt grannbarnen med matten vid sitt köksbord i "
        "flera år. Ingen hade bett honom, och ingen hade tackat honom heller.\n\n"
        "I dag är han en av tolv vardagshjältar. Han har fått en lokal i bottenvåningen, lite "
        "pengar till papper och fika och tre grannar som hjälper till. Det viktigaste, säger "
        "han, är att någon från bolaget kommer förbi och frågar hur det går.",
        [SUNDSVALL],
        True,
    ),
    (
        "invanare@exempel.se",
        None,
        "Grannträffen på gården",
        "Jag har bott i samma trappuppgång i nio år och kände två av grannarna till namnet. "
        "Förra sommaren ställde bostadsbolaget ut bord på gården och bjöd på grillkorv en "
        "torsdag i månaden. Första gången kom vi kanske femton. I augusti var vi över sextio.\n\n"
        "Nu har vi en egen grupp som ordnar träffarna, och bolaget står för grillen. Det låter "
        "litet, men jag hälsar på folk i tvättstugan nu. Det gjorde jag inte förut.",
        [NORRKOPING],
        True,
    ),
    (
        "invanare@exempel.se",
        None,
        "Sommarjobbet som gav mer än lön",
        "Min son fick sommarjobb hos bostadsbolaget, med att måla staket och prata med de "
        "äldre i området om vad de saknar. Han kom hem varje dag och berättade om någon ny han "
        "hade träffat.",
        [NORRKOPING],
        False,  # waits in the review queue
    ),
]

REPORT = {
    "title": "Små steg som ger stor nytta – följeforskning om ett innovationslabb i fyra städer",
    "authors": "Maria Följeforskare",
    "year": 2020,
    "institution": "Malmö universitet",
    "url": "https://exempel.se/foljeforskning-innovationslabb",
    "findings": (
        "Under två år följde forskaren bostadsbolagens arbete mot segregation i fyra städer "
        "genom intervjuer, samtal och workshoppar.\n\n"
        "Det nya låg sällan i själva metoderna. Det nya var att beprövade arbetssätt testades "
        "för första gången på en ort, eller tillsammans med aktörer som inte brukade arbeta "
        "ihop, och anpassades efter platsen.\n\n"
        "Det som bar arbetet var boende som redan engagerade sig för sina grannar – "
        "vardagshjältarna – och personal som fick tid att lyssna på dem. Många små försök gav "
        "tillsammans mer än ett fåtal stora.\n\n"
        "Spridning kräver en plan: den som tar efter behöver både beskrivningen av metoden "
        "och berättelserna om hur den anpassades."
    ),
}

SUGGESTION = {
    "title": "Cykelkök i källaren",
    "summary": (
        "Grannar lagar cyklar tillsammans varje lördag, med verktyg som bostadsbolaget lånar ut."
    ),
    "description": (
        "Vi är några grannar som började laga cyklar på gården och nu har fått använda ett "
        "förråd i källaren. Barnen lär sig laga sina egna cyklar och vi som är nya i området "
        "lär känna folk."
    ),
    "organisation_name": "Några grannar på Nacksta",
    "municipality": "2281",
}


def load(users: dict[str, User]) -> dict[str, int]:
    method = Method.objects.filter(title=METHOD).first()
    initiatives = {i.title: i for i in Initiative.objects.filter(title__in=[NORRKOPING, SUNDSVALL])}
    if method is None or len(initiatives) < 2 or Story.objects.exists():
        return {"stories": 0, "reports": 0}
    moderator = users["moderator@exempel.se"]
    coordinator = users["koordinator@exempel.se"]
    made = 0
    for email, organisation, title, text, linked, reviewed in STORIES:
        story = services.story_create(
            actor=users[email],
            title=title,
            text=text,
            organisation=Organisation.objects.filter(name=organisation).first()
            if organisation
            else None,
            initiatives=[initiatives[name] for name in linked],
            methods=[method],
        )
        if reviewed and not story.is_published:
            services.story_review(actor=moderator, story=story, decision="publish")
        made += 1
    reports = 0
    if not ResearchReport.objects.filter(title=REPORT["title"]).exists():
        services.report_create(actor=coordinator, subject=method, **REPORT)
        reports = 1
    if not InitiativeSuggestion.objects.filter(title=SUGGESTION["title"]).exists():
        services.suggestion_create(
            actor=users["invanare@exempel.se"],
            **{**SUGGESTION, "municipality": Municipality.objects.get(code="2281")},
        )
    return {"stories": made, "reports": reports}
