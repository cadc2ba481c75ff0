"""Deterministic Swedish-like text for the benchmarks' data: a small Swedish lexicon (some
4,000 word forms: inflected nouns, verbs and adjectives, compounds such as "fritidsbanken",
places) and ``TextGenerator``, which draws titles, bodies and queries from it."""

import itertools
import random

SEED = 20261123

# --- a small Swedish lexicon ------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


# Nouns by how they inflect: (singular, definite, plural, definite plural) built from a stem.
NOUNS_AR = _words(
    """
    förening bank dag stol bil hund båt stad:städer:städerna gård skog sjö väg bygd ö ort kväll
    morgon vecka:veckan:veckor:veckorna flicka:flickan:flickor:flickorna
    pojke:pojken:pojkar:pojkarna arbetsgivare:arbetsgivaren:arbetsgivare:arbetsgivarna
    tränare:tränaren:tränare:tränarna lärare:läraren:lärare:lärarna
    ledare:ledaren:ledare:ledarna deltagare:deltagaren:deltagare:deltagarna
    volontär:volontären:volontärer:volontärerna satsning lösning utbildning ansökning
    bidragsgivning tidning samling mötesplats nyanländ:nyanlände:nyanlända:nyanlända
    stiftelse:stiftelsen:stiftelser:stiftelserna ungdom hyresgäst
    granne:grannen:grannar:grannarna dröm hamn kyrka:kyrkan:kyrkor:kyrkorna
    affär:affären:affärer:affärerna handel:handeln:handlar:handlarna
    verkstad:verkstaden:verkstäder:verkstäderna kunskap kraft:kraften:krafter:krafterna
    insamling organisering finansiering planering övning träning:träningen:träningar:träningarna
    läxhjälp:läxhjälpen:läxhjälp:läxhjälpen
    """
)

NOUNS_ER = _words(
    """
    kommun region skola:skolan:skolor:skolorna idé:idén:idéer:idéerna metod myndighet aktivitet
    verksamhet möjlighet gemenskap:gemenskapen:gemenskaper:gemenskaperna organisation
    integration innovation samverkan:samverkan:samverkan:samverkan process part
    resurs:resursen:resurser:resurserna insats:insatsen:insatser:insatserna tjänst familj
    individ invånare:invånaren:invånare:invånarna person enhet kostnad plattform struktur
    miljö:miljön:miljöer:miljöerna generation modell form fond kampanj relation
    hälsa:hälsan:hälsor:hälsorna kvinna:kvinnan:kvinnor:kvinnorna
    människa:människan:människor:människorna cykel:cykeln:cyklar:cyklarna
    café:caféet:caféer:caféerna biljett tjej:tjejen:tjejer:tjejerna region
    fråga:frågan:frågor:frågorna timme:timmen:timmar:timmarna plan:planen:planer:planerna
    utmaning:utmaningen:utmaningar:utmaningarna kultur:kulturen:kulturer:kulturerna butik
    uppgift:uppgiften:uppgifter:uppgifterna rutin teknik bostad:bostaden:bostäder:bostäderna
    idrott:idrotten:idrotter:idrotterna näring:näringen:näringar:näringarna
    """
)

NOUNS_ETT = _words(
    """
    projekt:projektet:projekt:projekten samhälle:samhället:samhällen:samhällena
    barn:barnet:barn:barnen initiativ:initiativet:initiativ:initiativen
    arbete:arbetet:arbeten:arbetena område:området:områden:områdena stöd:stödet:stöd:stöden
    bidrag:bidraget:bidrag:bidragen möte:mötet:möten:mötena nätverk:nätverket:nätverk:nätverken
    språk:språket:språk:språken kontor:kontoret:kontor:kontoren hus:huset:hus:husen
    program:programmet:program:programmen företag:företaget:företag:företagen
    lag:laget:lag:lagen behov:behovet:behov:behoven resultat:resultatet:resultat:resultaten
    land:landet:länder:länderna år:året:år:åren ansvar:ansvaret:ansvar:ansvaren
    boende:boendet:boenden:boendena evenemang:evenemanget:evenemang:evenemangen
    kök:köket:kök:köken torg:torget:torg:torgen bibliotek:biblioteket:bibliotek:biblioteken
    system:systemet:system:systemen material:materialet:material:materialen
    förslag:förslaget:förslag:förslagen samarbete:samarbetet:samarbeten:samarbetena
    engagemang:engagemanget:engagemang:engagemangen kapital:kapitalet:kapital:kapitalen
    exempel:exemplet:exempel:exemplen intresse:intresset:intressen:intressena
    centrum:centrumet:centrum:centrumen ställe:stället:ställen:ställena träd:trädet:träd:träden
    utrymme:utrymmet:utrymmen:utrymmena sammanhang:sammanhanget:sammanhang:sammanhangen
    """
)

VERBS = _words(
    """
    arbeta arbetar arbetade arbetat driva driver drev drivit skapa skapar skapade skapat stödja
    stödjer stödde stött utveckla utvecklar utvecklade utvecklat träffas träffades samla samlar
    samlade samlat låna lånar lånade lånat erbjuda erbjuder erbjöd erbjudit bjuda bjuder bjöd
    ordna ordnar ordnade ordnat starta startar startade startat hjälpa hjälper hjälpte hjälpt
    lära lär lärde lärt öva övar övade övat mötas möts möttes bygga bygger byggde byggt dela
    delar delade delat söka söker sökte sökt finansiera finansierar finansierade samverka
    samverkar samverkade engagera engagerar engagerade odla odlar odlade odlat laga lagar lagade
    lagat cykla cyklar cyklade prata pratar pratade läsa läser läste läst skriva skriver skrev
    skrivit visa visar visade visat leda leder ledde lett växa växer växte vuxit minska minskar
    minskade öka ökar ökade ökat bo bor bodde bott flytta flyttar flyttade inkludera inkluderar
    inkluderade förändra förändrar förändrade förbättra förbättrar förbättrade
    """
)

ADJECTIVES = _words(
    """
    social sociala socialt lokal lokala lokalt ideell ideella ideellt ny nya nytt gammal gamla
    gammalt stor stora stort liten lilla litet små ung unga ungt äldre hållbar hållbara hållbart
    gratis öppen öppna öppet gemensam gemensamma gemensamt digital digitala digitalt kommunal
    kommunala kommunalt regional regionala regionalt nationell nationella nationellt viktig
    viktiga viktigt enkel enkla enkelt trygg trygga tryggt aktiv aktiva aktivt långsiktig
    långsiktiga långsiktigt ekonomisk ekonomiska ekonomiskt kulturell kulturella kulturellt
    svensk svenska svenskt grön gröna grönt innovativ innovativa innovativt lokalproducerad
    lokalproducerade
    """
)

FUNCTION_WORDS = _words(
    """
    och i att för med som på är en ett av till det den de vi man har kan om inte så från men
    också där vid efter under mellan genom hos mot utan alla sin sina varje flera många mer fler
    nu redan
    """
)

COMPOUND_FIRST = _words(
    """
    fritids språk kultur ungdoms idrotts stads mat cykel by lands skol arbets bostads miljö
    hälso barn familje kvinno social närings förenings kommun region natur integrations kunskaps
    läx mötes återbruks lånecentral grannskaps
    """
)

COMPOUND_SECOND = _words(
    """
    bank:banken:banker:bankerna café:caféet:caféer:caféerna gård:gården:gårdar:gårdarna
    verkstad:verkstaden:verkstäder:verkstäderna projekt:projektet:projekt:projekten
    förening:föreningen:föreningar:föreningarna plats:platsen:platser:platserna
    handel:handeln:handlar:handlarna hus:huset:hus:husen grupp:gruppen:grupper:grupperna
    arbete:arbetet:arbeten:arbetena stöd:stödet:stöd:stöden kök:köket:kök:köken
    nätverk:nätverket:nätverk:nätverken lots:lotsen:lotsar:lotsarna råd:rådet:råd:råden
    fond:fonden:fonder:fonderna satsning:satsningen:satsningar:satsningarna
    program:programmet:program:programmen
    """
)

# More everyday nouns, inflected by rule: en-words with -ar and -er plurals, ett-words.
MORE_AR = _words(
    """
    arm stig sång lek regel:regeln:regler:reglerna fisk säng hatt kock bok:boken:böcker:böckerna
    mat:maten:maträtter:maträtterna vän:vännen:vänner:vännerna fot:foten:fötter:fötterna
    hand:handen:händer:händerna tand:tanden:tänder:tänderna nyckel:nyckeln:nycklar:nycklarna
    fågel:fågeln:fåglar:fåglarna sommar:sommaren:somrar:somrarna
    vinter:vintern:vintrar:vintrarna höst vår:våren:vårar:vårarna buss tåg:tåget:tåg:tågen
    flygplats häst ko:kon:kor:korna katt lampa:lampan:lampor:lamporna
    ficka:fickan:fickor:fickorna gata:gatan:gator:gatorna kyrkogård dörr:dörren:dörrar:dörrarna
    mössa:mössan:mössor:mössorna jacka:jackan:jackor:jackorna väska:väskan:väskor:väskorna sked
    gaffel:gaffeln:gafflar:gafflarna kniv tallrik kopp bulle:bullen:bullar:bullarna
    skidor:skidan:skidor:skidorna skridsko:skridskon:skridskor:skridskorna boll hjälm
    flotte:flotten:flottar:flottarna skiva:skivan:skivor:skivorna låda:lådan:lådor:lådorna
    hylla:hyllan:hyllor:hyllorna soffa:soffan:soffor:sofforna dag:dagen:dagar:dagarna
    klocka:klockan:klockor:klockorna natt:natten:nätter:nätterna kaka:kakan:kakor:kakorna
    pengar:pengen:pengar:pengarna lön skatt:skatten:skatter:skatterna
    avgift:avgiften:avgifter:avgifterna åker strand:stranden:stränder:stränderna älv
    bro:bron:broar:broarna backe:backen:backar:backarna dal ängel:ängeln:änglar:änglarna kyrkby
    fjäll:fjället:fjäll:fjällen älg varg björn
    """
)

MORE_ER = _words(
    """
    ambition analys attityd begäran:begäran:begäranden:begärandena debatt demokrati diskussion
    ekonomi energi erfarenhet:erfarenheten:erfarenheter:erfarenheterna faktor
    forskning:forskningen:forskningar:forskningarna framtid:framtiden:framtider:framtiderna
    grund händelse:händelsen:händelser:händelserna identitet kommunikation kompetens konferens
    konst:konsten:konster:konsterna kontakt kris:krisen:kriser:kriserna kvalitet lektion marknad
    medlem:medlemmen:medlemmar:medlemmarna minoritet musik:musiken:musiker:musikerna
    natur:naturen:naturer:naturerna politik:politiken:politiker:politikerna produkt
    rättighet:rättigheten:rättigheter:rättigheterna rörelse:rörelsen:rörelser:rörelserna
    situation skillnad solidaritet strategi teater:teatern:teatrar:teatrarna tradition
    trygghet:tryggheten:tryggheter:trygghetena ungdomsgrupp
    utställning:utställningen:utställningar:utställningarna
    välfärd:välfärden:välfärder:välfärderna säkerhet:säkerheten:säkerheter:säkerheterna dialog
    funktion konsekvens princip budget:budgeten:budgetar:budgetarna ekologi pension migration
    nation tid:tiden:tider:tiderna
    """
)

MORE_ETT = _words(
    """
    avtal:avtalet:avtal:avtalen brev:brevet:brev:breven djur:djuret:djur:djuren
    fönster:fönstret:fönster:fönstren golv:golvet:golv:golven hjärta:hjärtat:hjärtan:hjärtana
    kort:kortet:kort:korten ljus:ljuset:ljus:ljusen mål:målet:mål:målen namn:namnet:namn:namnen
    problem:problemet:problem:problemen rum:rummet:rum:rummen schema:schemat:scheman:schemana
    ord:ordet:ord:orden val:valet:val:valen vatten:vattnet:vatten:vattnen
    jobb:jobbet:jobb:jobben kvarter:kvarteret:kvarter:kvarteren museum:museet:museer:museerna
    parti:partiet:partier:partierna yrke:yrket:yrken:yrkena värde:värdet:värden:värdena
    villkor:villkoret:villkor:villkoren hinder:hindret:hinder:hindren
    underlag:underlaget:underlag:underlagen uppdrag:uppdraget:uppdrag:uppdragen
    ämne:ämnet:ämnen:ämnena
    """
)

MORE_VERBS = _words(
    """
    ansöka ansöker ansökte ansökt besöka besöker besökte besökt berätta berättar berättade
    bestämma bestämmer bestämde bestämt betala betalar betalade betyda betyder betydde fira
    firar firade fortsätta fortsätter fortsatte fungera fungerar fungerade förklara förklarar
    förklarade glömma glömmer glömde hitta hittar hittade hyra hyr hyrde klara klarar klarade
    lyssna lyssnar lyssnade planera planerar planerade reparera reparerar reparerade sjunga
    sjunger sjöng spela spelar spelade städa städar städade tänka tänker tänkte undervisa
    undervisar undervisade välkomna välkomnar välkomnade återvinna återvinner återvann samordna
    samordnar samordnade
    """
)

MORE_ADJECTIVES = _words(
    """
    ansvarsfull ansvarsfulla billig billiga billigt dyr dyra dyrt demokratisk demokratiska
    fattig fattiga fri fria fritt glad glada glatt jämlik jämlika jämlikt kreativ kreativa
    kreativt lugn lugna lugnt modern moderna modernt möjlig möjliga möjligt offentlig offentliga
    offentligt praktisk praktiska praktiskt rik rika rikt ren rena rent rolig roliga roligt sjuk
    sjuka sjukt stark starka starkt svår svåra svårt tillgänglig tillgängliga tillgängligt
    vanlig vanliga vanligt varm varma varmt
    """
)

PLACES = _words(
    """
    Umeå Gävle Luleå Malmö Göteborg Stockholm Uppsala Västerås Örebro Linköping Jönköping
    Norrköping Lund Sundsvall Östersund Kiruna Kalix Växjö Karlstad Borås Visby Falun Skellefteå
    Härnösand Eskilstuna Halmstad Trollhättan Kristianstad
    """
)


def _noun_forms(entry: str, plural: str) -> list[str]:
    parts = entry.split(":")
    if len(parts) == 4:
        return parts
    stem = parts[0]
    if stem.endswith("e") and plural == "ar":
        return [stem, stem + "n", stem[:-1] + "ar", stem[:-1] + "arna"]
    return [stem, stem + "en", stem + plural, stem + plural + "na"]


def lexicon() -> tuple[list[str], list[str]]:
    """(content words, function words): some 4,000 distinct Swedish word forms."""
    words: list[str] = []
    for entry in NOUNS_AR:
        words += _noun_forms(entry, "ar")
    for entry in NOUNS_ER:
        words += _noun_forms(entry, "er")
    for entry in NOUNS_ETT + MORE_ETT:
        words += _noun_forms(entry, "")
    for entry in MORE_AR:
        words += _noun_forms(entry, "ar")
    for entry in MORE_ER:
        words += _noun_forms(entry, "er")
    seconds = [entry.split(":") for entry in COMPOUND_SECOND]
    for first in COMPOUND_FIRST:
        for forms in seconds:
            words += [first + form for form in forms]
    words += VERBS + MORE_VERBS + ADJECTIVES + MORE_ADJECTIVES + PLACES
    return list(dict.fromkeys(words)), FUNCTION_WORDS


class TextGenerator:
    """Deterministic Swedish-like text.

    Content words follow a Zipf–Mandelbrot law, p(rank) ∝ 1 / (rank + 100): function words
    (drawn separately) take the top ranks of real Swedish, so even the commonest content word
    is only some 0.3 % of content words. Simple words take the common ranks and compounds the
    rarer ones. Each document has three topic words of its own that make up about a quarter
    of its content words, as real texts repeat what they are about."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        words, self.function_words = lexicon()
        compounds = {first + form for first in COMPOUND_FIRST for entry in COMPOUND_SECOND
                     for form in entry.split(":")}  # fmt: skip
        simple = [word for word in words if word not in compounds]
        rare = [word for word in words if word in compounds]
        order = random.Random(SEED)
        order.shuffle(simple)
        order.shuffle(rare)
        self.words = simple + rare
        self.cumulative = list(
            itertools.accumulate(1.0 / (rank + 100) for rank in range(1, len(self.words) + 1))
        )

    def content_words(self, count: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=count)

    def text(self, count: int, topics: list[str]) -> str:
        picked = []
        for word in self.content_words(count):
            if self.random.random() < 0.45:
                picked.append(self.random.choice(self.function_words))
            picked.append(self.random.choice(topics) if self.random.random() < 0.25 else word)
        text = " ".join(picked[:count])
        return text[:1].upper() + text[1:]

    def body(self, words: int, topics: list[str]) -> str:
        sentences, left = [], words
        while left > 0:
            length = min(left, self.random.randint(6, 18))
            sentences.append(self.text(length, topics) + ".")
            left -= length
        return " ".join(sentences)

    def document(self) -> tuple[str, str]:
        topics = self.content_words(3)
        title = self.text(self.random.randint(5, 11), topics)
        return title, self.body(self.random.randint(120, 180), topics)

    def query(self) -> str:
        count = self.random.choices([1, 2, 3], weights=[4, 4, 2])[0]
        return " ".join(self.content_words(count))
