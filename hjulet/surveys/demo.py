"""Demo content: the member survey "Social innovation i norr" (after source text 002),
imported from an XLSForm built here, sent to 120 member organisations in Norrbotten and
Västerbotten, answered (deterministic random answers), coded, and a published report with
the two diagrams. Every write goes through the services."""

import io
import random
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook

from hjulet.accounts import services as account_services
from hjulet.accounts.models import Organisation, User
from hjulet.core.models import Municipality, Term, Vocabulary

from . import services
from .models import BlockKind, Code, Report, Survey

TITLE = "Social innovation i norr"
N_ORGANISATIONS = 120
SEED = 2026

SURVEY_ROWS = [
    ["type", "name", "label::Svenska (sv)", "label::English (en)", "hint::Svenska (sv)",
     "required", "relevant", "constraint", "constraint_message::Svenska (sv)", "appearance"],
    ["note", "intro", "Enkäten tar cirka tio minuter. Svara för organisationens räkning.",
     "The survey takes about ten minutes. Answer on behalf of your organisation.", "", "", "",
     "", "", ""],
    ["begin group", "organisationen", "Om organisationen", "About the organisation", "", "",
     "", "", "", ""],
    ["select_one omraden", "omrade", "Inom vilket område verkar organisationen främst?",
     "In which field does the organisation mainly work?", "", "yes", "", "", "", ""],
    ["integer", "anstallda", "Hur många anställda har organisationen?",
     "How many employees does the organisation have?", "Skriv 0 om ni inte har anställda.",
     "no", "", ". >= 0 and . < 10000", "Skriv ett antal mellan 0 och 9999.", ""],
    ["end group", "", "", "", "", "", "", "", "", ""],
    ["begin group", "innovation", "Nytänkande lösningar", "New solutions", "", "", "", "",
     "", ""],
    ["select_one janej", "nya_losningar",
     "Har organisationen de senaste tre åren utvecklat nytänkande lösningar på "
     "samhällsutmaningar?",
     "Has the organisation developed new solutions to societal challenges in the last three "
     "years?", "", "yes", "", "", "", ""],
    ["select_one janej", "tillsammans",
     "Har ni utvecklat lösningarna i samarbete med någon annan aktör?",
     "Did you develop the solutions together with another actor?", "", "yes",
     "${nya_losningar} = 'ja'", "", "", ""],
    ["select_multiple aktorer", "aktorer", "Vilka aktörer samarbetade ni med?",
     "Which actors did you work with?", "Välj alla som stämmer.", "no",
     "${tillsammans} = 'ja'", "", "", ""],
    ["text", "beskrivning", "Beskriv kort en lösning ni har utvecklat.",
     "Describe briefly a solution you have developed.", "", "no",
     "${nya_losningar} = 'ja'", "", "", "multiline"],
    ["select_one instammer", "forutsattningar",
     "Vi har goda förutsättningar att utveckla nya lösningar.",
     "We have good conditions for developing new solutions.", "", "yes", "", "", "",
     "likert"],
    ["end group", "", "", "", "", "", "", "", "", ""],
    ["text", "underlattar", "Vad underlättar för er att utveckla nya lösningar?",
     "What makes it easier for you to develop new solutions?", "", "no", "", "", "",
     "multiline"],
    ["text", "forsvarar", "Vad försvårar för er att utveckla nya lösningar?",
     "What makes it harder for you to develop new solutions?", "", "no", "", "", "",
     "multiline"],
]  # fmt: skip
CHOICE_ROWS = [
    ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
    ["omraden", "idrott", "Idrott och friluftsliv", "Sports and outdoor life"],
    ["omraden", "kultur", "Kultur", "Culture"],
    ["omraden", "social", "Social verksamhet", "Social work"],
    ["omraden", "utbildning", "Folkbildning och utbildning", "Adult and popular education"],
    ["omraden", "lokalsamhalle", "Lokal utveckling och service", "Local development"],
    ["janej", "ja", "Ja", "Yes"],
    ["janej", "nej", "Nej", "No"],
    ["janej", "vet_ej", "Vet inte", "Don't know"],
    ["aktorer", "kommun", "Kommun", "Municipality"],
    ["aktorer", "region", "Region", "Region"],
    ["aktorer", "naringsliv", "Näringsliv", "Business"],
    ["aktorer", "ideburen", "Annan idéburen organisation", "Another non-profit"],
    ["aktorer", "akademi", "Universitet eller högskola", "University"],
    ["instammer", "1", "Instämmer inte alls", "Strongly disagree"],
    ["instammer", "2", "Instämmer delvis inte", "Disagree"],
    ["instammer", "3", "Varken eller", "Neither"],
    ["instammer", "4", "Instämmer delvis", "Agree"],
    ["instammer", "5", "Instämmer helt", "Strongly agree"],
]
SETTINGS_ROWS = [
    ["form_title", "form_id", "version", "default_language"],
    [TITLE, "social_innovation_norr", "2026-1", "Svenska (sv)"],
]

FACTORS = {
    # (code, factor): sentences a member might write
    ("ekonomi", "facilitating"): [
        "Långsiktig finansiering utan krångliga ansökningar.",
        "Att delutbetalningar kan göras löpande så att vi klarar likviditeten.",
    ],
    ("ekonomi", "hindering"): [
        "Korta projektpengar och tunga redovisningar.",
        "Vi saknar pengar för att testa nytt innan något är bevisat.",
    ],
    ("kunskap", "hindering"): [
        "Andra sektorer känner inte till vad idéburna organisationer bidrar med.",
        "Vi har svårt att beskriva vad vi gör och vilken nytta det gör.",
    ],
    ("ledarskap och engagemang", "facilitating"): [
        "Engagerade ledare och eldsjälar som vågar pröva nytt.",
        "Tillgång till ledare, kompetens och nätverk.",
    ],
    ("ledarskap och engagemang", "hindering"): [
        "Vi orkar inte öppna oss för nytänkande när allt fokus går till driften.",
    ],
    ("samverkan", "facilitating"): [
        "Samarbetspartner och finansiärer som är öppna, flexibla och lyhörda.",
        "Ett gott samarbete med kommunen.",
    ],
    ("samverkan", "hindering"): [
        "Finansiärer som inte är flexibla eller lyhörda.",
        "Stuprör mellan förvaltningar gör samverkan svår.",
    ],
}
SOLUTIONS = [
    "Digitala träffar för äldre under pandemin.",
    "En fritidsbank där barn lånar utrustning gratis.",
    "Kooperativ lanthandel som också är servicepunkt.",
    "Hälsoguider som når nyanlända med information.",
    "Samtalsgrupper om manlighet för unga killar.",
]
NAMES = [
    "Idrottsföreningen", "Kulturföreningen", "Byaföreningen", "Studiecirkeln",
    "Kooperativet", "Hembygdsföreningen", "Föreningen Gemenskap", "Ungdomsrådet",
    "Pensionärsföreningen", "Teaterföreningen", "Naturskyddsgruppen", "Fritidsgården",
]  # fmt: skip


def xlsform_bytes() -> bytes:
    """The demo questionnaire as an XLSForm (also used by the tests)."""
    workbook = Workbook()
    for index, (name, rows) in enumerate(
        [("survey", SURVEY_ROWS), ("choices", CHOICE_ROWS), ("settings", SETTINGS_ROWS)]
    ):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _organisations(coordinator: User) -> tuple[Organisation, list[Organisation]]:
    sectors = {t.code: t for t in Term.objects.in_vocabulary(Vocabulary.SECTOR)}
    places = list(Municipality.objects.filter(county_id__in=["24", "25"]).order_by("code"))
    owner = Organisation.objects.filter(name="Samforma").first() or (
        account_services.organisation_create(
            actor=coordinator,
            name="Samforma",
            description="Stödstruktur för idéburna organisationer i Norrbotten och Västerbotten.",
            sector=sectors["ideburen"],
            municipality=Municipality.objects.get(code="2580"),
            email="info@samforma.exempel.se",
        )
    )
    rng = random.Random(SEED)
    members = []
    for number in range(1, N_ORGANISATIONS + 1):
        place = places[(number * 7) % len(places)]
        name = f"{NAMES[number % len(NAMES)]} i {place.name} {number}"
        existing = Organisation.objects.filter(name=name).first()
        members.append(
            existing
            or account_services.organisation_create(
                actor=coordinator,
                name=name,
                sector=sectors["ideburen" if rng.random() < 0.85 else "offentlig"],
                municipality=place,
                email=f"info{number}@medlem.exempel.se",
            )
        )
    return owner, members


def _answers(rng: random.Random, county: str) -> dict:
    new = rng.choices(["ja", "nej", "vet_ej"], [0.62 if county == "24" else 0.55, 0.33, 0.07])[0]
    raw: dict = {
        "omrade": rng.choice(["idrott", "kultur", "social", "utbildning", "lokalsamhalle"]),
        "anstallda": str(max(0, int(rng.expovariate(1 / 6)))),
        "nya_losningar": new,
        "forutsattningar": str(rng.choices([1, 2, 3, 4, 5], [1, 2, 3, 4, 2])[0]),
    }
    if new == "ja":
        together = rng.choices(["ja", "nej", "vet_ej"], [0.7, 0.25, 0.05])[0]
        raw["tillsammans"] = together
        raw["beskrivning"] = rng.choice(SOLUTIONS) if rng.random() < 0.6 else ""
        if together == "ja":
            raw["aktorer"] = rng.sample(
                ["kommun", "region", "naringsliv", "ideburen", "akademi"], rng.randint(1, 3)
            )
    return raw


def load(users: dict[str, User]) -> dict[str, int]:
    coordinator = users["koordinator@exempel.se"]
    existing = Survey.objects.filter(title=TITLE).first()
    if existing is not None:
        return {"responses": existing.responses.count(), "reports": existing.reports.count()}
    owner, members = _organisations(coordinator)
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=owner, data=xlsform_bytes()
    )
    survey = services.survey_update(
        actor=coordinator,
        survey=survey,
        description="Samformas medlemsenkät om social innovation i den idéburna sektorn i norr.",
        deadline=timezone.now() + timedelta(days=30),
    )
    survey = services.survey_open(actor=coordinator, survey=survey)
    invitations = services.invitations_send(
        actor=coordinator, survey=survey, organisations=members, send_email=False
    )
    rng = random.Random(SEED)
    factor_items = list(FACTORS.items())
    texts: dict[int, dict[str, tuple]] = {}
    for invitation in invitations:
        county = invitation.organisation.municipality.county_id
        raw = _answers(rng, county)
        picked = {}
        for field, factor in (("underlattar", "facilitating"), ("forsvarar", "hindering")):
            if rng.random() < 0.7:
                options = [item for item in factor_items if item[0][1] == factor]
                (code, _factor), sentences = rng.choice(options)
                raw[field] = rng.choice(sentences)
                picked[field] = (code, factor)
        response, errors = services.response_save(token=invitation.token, raw=raw, submit=True)
        assert not errors, errors
        texts[response.pk] = picked
    codes = {
        label: services.code_create(actor=coordinator, survey=survey, label=label)
        for label in ("ekonomi", "kunskap", "ledarskap och engagemang", "samverkan")
    }
    questions = {q.name: q for q in survey.questions.all()}
    for response in survey.responses.all():
        for field, (code, factor) in texts.get(response.pk, {}).items():
            services.coding_set(
                actor=coordinator,
                response=response,
                question=questions[field],
                codes=[codes[code]],
                factor=factor,
            )
    report = _report(coordinator, survey, questions)
    return {"responses": len(invitations), "reports": 1 if report else 0}


def _report(coordinator: User, survey: Survey, questions: dict) -> Report:
    report = services.report_create(
        actor=coordinator,
        survey=survey,
        title="Social innovation i norr – kunskaper och erfarenheter från idéburna "
        "organisationer i Norrbotten och Västerbotten",
        introduction="Samforma tar fram tematiska medlemsrapporter för att inspirera, ge "
        "kunskapspåfyllnad och stötta den idéburna sektorn i norr. Rapporten bygger på en "
        "enkät bland Samformas medlemsorganisationer.",
    )
    blocks = [
        (BlockKind.TEXT, "Social innovation", "Nytänkande sätt att förbättra människors "
         "livsvillkor och möta aktuella samhällsutmaningar.", None),
        (BlockKind.CHART, "Andel organisationer som utvecklat nytänkande lösningar",
         "Andelen bland alla organisationer som svarade på frågan.", "nya_losningar"),
        (BlockKind.CHART, "Andel organisationer som utvecklat nytänkande lösningar i "
         "samarbete med någon annan aktör", "Andelen bland de organisationer som utvecklat "
         "nytänkande lösningar (frågan ställdes bara till dem).", "tillsammans"),
        (BlockKind.CHART, "Samarbetspartner", "Flera svar kunde väljas.", "aktorer"),
        (BlockKind.CODES, "Underlättande faktorer", "Fritextsvaren kodade av Samforma.",
         "underlattar"),
        (BlockKind.CODES, "Försvårande faktorer", "Fritextsvaren kodade av Samforma.",
         "forsvarar"),
        (BlockKind.TEXT, "Samverkan", "Samverkan är centralt i social innovation för att "
         "överbrygga stuprör i organisationer och samhälle.", None),
    ]  # fmt: skip
    for kind, heading, text, name in blocks:
        services.report_block_add(
            actor=coordinator,
            report=report,
            kind=kind,
            heading=heading,
            text=text,
            question=questions.get(name) if name else None,
        )
    return services.report_set_published(actor=coordinator, report=report, published=True)


__all__ = ["Code", "load", "xlsform_bytes"]
