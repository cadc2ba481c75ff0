"""Deterministic national-scale data for every capability, for the benchmarks.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/generate.py \\
        [--scale 1] [--database-url postgres://postgres@127.0.0.1:5432/hjulet_bench] [--refill]

Fills a scratch database (default: a SQLite file in the temp folder; a PostgreSQL database
is created when missing) with Swedish content from fixed seeds. At ``--scale 1``:

- reference data (counties, municipalities, vocabularies: ``hjulet.core.reference_data``);
- 5,000 people (a coordinator, 50 researchers with profiles, the rest members) and about
  6,000 memberships of 10,000 organisations in all 290 municipalities;
- the knowledge bank: 1,000 methods, 100,000 initiatives (tags, methods, a lead and
  sometimes a partner organisation) and 50,000 adaptations; the search index rebuilt;
- impact: 2,000 initiatives with two indicators of four measurements each, 500 of them with
  a published impact report;
- the science shop: 2,000 questions over every status, with a formulation, a timeline
  event, assignments and knowledge summaries;
- one survey of 40 questions with 100,000 submitted responses (the questions and answers of
  ``survey_analysis.py``);
- arenas: 100 arenas, 200 challenges, 20,000 ideas (some challenges draw far more than
  others) with 40,000 supports and 10,000 comments, one event per challenge;
- support: 500 support structures, 300 funding calls and 1,000 advice requests.

Rows are written with ``bulk_create`` in batches (the services would take hours), then the
search index is rebuilt and the planner statistics refreshed (ANALYZE). A database whose
counts match is reused (``--refill`` forces a refill). ``--scale 0.1`` gives a tenth.
"""

import argparse
import contextlib
import datetime
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log, prepare_database
from search_engine import SEED, TextGenerator

FILL_SEED = SEED + 7
BATCH = 2000  # rows built before they are written
START = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=6 * 365)  # creation times spread over six years
TODAY = datetime.date(2026, 11, 23)  # fixed, so that runs on different days fill the same

# Counts at --scale 1.
FULL = {
    "users": 5_000,
    "organisations": 10_000,
    "methods": 1_000,
    "initiatives": 100_000,
    "adaptations": 50_000,
    "followed_up": 2_000,
    "impact_reports": 500,
    "questions": 2_000,
    "responses": 100_000,
    "arenas": 100,
    "challenges": 200,
    "ideas": 20_000,
    "structures": 500,
    "calls": 300,
    "advice_requests": 1_000,
}
RESEARCHERS = 50

STAGE_WEIGHTS = {"ide": 15, "test": 20, "etablerad": 40, "spridd": 10, "avslutad": 15}
SECTOR_WEIGHTS = {"ideburen": 60, "offentlig": 25, "privat": 10, "akademi": 5}
ORGANISATION_KINDS = [
    "förening",
    "ideell förening",
    "idrottsförening",
    "hembygdsförening",
    "stiftelse",
    "kooperativ",
    "kommun",
    "AB",
    "studieförbund",
    "nätverk",
]
FIRST_NAMES = (  # noqa: SIM905
    "Anna Eva Maria Karin Sara Lena Kerstin Emma Ingrid Malin Johanna Elin Linnea Amira "
    "Fatima Lars Mikael Johan Anders Erik Per Karl Peter Jan Thomas Daniel Fredrik Ahmed "
    "Ali Mohammed"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
    "Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindqvist Berg "
    "Axelsson Hassan Ali Sandberg Forsberg Sundberg Lindgren Holm Nyström Sjöberg Wallin "
    "Björk Ek Lundgren"
).split()
UNIVERSITIES = [
    "Umeå universitet",
    "Uppsala universitet",
    "Lunds universitet",
    "Göteborgs universitet",
    "Stockholms universitet",
    "Linköpings universitet",
    "Mittuniversitetet",
    "Malmö universitet",
]


def counts_for(scale: float) -> dict[str, int]:
    return {name: max(2, round(count * scale)) for name, count in FULL.items()}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _some(rng: random.Random, items: list, low: int, high: int) -> list:
    return rng.sample(items, min(len(items), rng.randint(low, high)))


# --- what is in the database ----------------------------------------------------------


def present() -> dict[str, int]:
    """The counts a complete fill leaves, as a fill of that scale would give them."""
    from django.db import connection

    from hjulet.accounts.models import Organisation, User
    from hjulet.arenas.models import Arena, Challenge, Idea
    from hjulet.impact.models import ImpactReport
    from hjulet.knowledge.models import Adaptation, Initiative, Method
    from hjulet.scienceshop.models import Question
    from hjulet.support.models import AdviceRequest, FundingCall, SupportStructure
    from hjulet.surveys.models import Response

    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*) FROM core_search_document GROUP BY kind")
        indexed = dict(cursor.fetchall())
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "methods": Method.objects.count(),
        "initiatives": Initiative.objects.count(),
        "adaptations": Adaptation.objects.count(),
        "impact_reports": ImpactReport.objects.count(),
        "questions": Question.objects.count(),
        "responses": Response.objects.count(),
        "arenas": Arena.objects.count(),
        "challenges": Challenge.objects.count(),
        "ideas": Idea.objects.count(),
        "structures": SupportStructure.objects.count(),
        "calls": FundingCall.objects.count(),
        "advice_requests": AdviceRequest.objects.count(),
        "indexed methods": indexed.get("method", 0),
        "indexed initiatives": indexed.get("initiative", 0),
    }


def wanted(scale: float) -> dict[str, int]:
    counts = counts_for(scale)
    expected = {
        name: counts[name]
        for name in (
            "users",
            "organisations",
            "methods",
            "initiatives",
            "adaptations",
            "impact_reports",
            "questions",
            "responses",
            "arenas",
            "challenges",
            "ideas",
            "structures",
            "calls",
            "advice_requests",
        )
    }
    expected["indexed methods"] = counts["methods"]
    expected["indexed initiatives"] = counts["initiatives"]
    return expected


def _empty() -> None:
    """Empty every table but the reference data and Django's own (a scratch database)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    keep = {"core_county", "core_municipality", "core_vocabulary", "core_term"}
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label.startswith("hjulet") or model.__module__.startswith("hjulet"):
            tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    tables = sorted(t for t in tables & existing if t not in keep)
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


# --- filling ----------------------------------------------------------------------------


class Filler:
    def __init__(self, scale: float) -> None:
        from hjulet.core.models import Municipality, Term, Vocabulary

        self.n = counts_for(scale)
        self.rng = random.Random(FILL_SEED)
        self.text = TextGenerator(FILL_SEED)
        self.started = time.perf_counter()
        municipalities = list(Municipality.objects.order_by("code"))
        self.municipality_codes = [m.code for m in municipalities]
        self.municipality_names = {m.code: m.name for m in municipalities}
        self.county_of = {m.code: m.county_id for m in municipalities}
        self.counties = sorted(set(self.county_of.values()))
        self.terms = {
            slug: list(
                Term.objects.in_vocabulary(slug).order_by("position").values_list("code", "pk")
            )
            for slug in (
                Vocabulary.CHALLENGE,
                Vocabulary.TARGET_GROUP,
                Vocabulary.SDG,
                Vocabulary.STAGE,
                Vocabulary.SECTOR,
            )
        }
        self.tag_ids = {
            "challenges": [pk for _code, pk in self.terms[Vocabulary.CHALLENGE]],
            "target_groups": [pk for _code, pk in self.terms[Vocabulary.TARGET_GROUP]],
            "sdgs": [pk for _code, pk in self.terms[Vocabulary.SDG]],
        }
        self.sector_code = {pk: code for code, pk in self.terms[Vocabulary.SECTOR]}

    # helpers

    def created(self, index: int, total: int) -> datetime.datetime:
        # Later rows are newer, as in a real database; no two share a time.
        return START + SPAN * (index / total) + datetime.timedelta(seconds=self.rng.random())

    def weighted(self, weights: dict[str, int], vocabulary: str) -> tuple[list, list]:
        pairs = [(pk, weights.get(code, 10)) for code, pk in self.terms[vocabulary]]
        return [pk for pk, _w in pairs], [w for _pk, w in pairs]

    def tags(self, model, owner: str, owner_id: int, rows: dict, fields=None) -> None:
        for field in fields or self.tag_ids:
            through = getattr(model, field).through
            for term_id in _some(self.rng, self.tag_ids[field], 1, 3):
                rows[through].append(through(**{f"{owner}_id": owner_id, "term_id": term_id}))

    def sentence(self, low: int, high: int, topics: list[str] | None = None) -> str:
        topics = topics or self.text.content_words(3)
        return self.text.text(self.rng.randint(low, high), topics) + "."

    @staticmethod
    def save(rows: dict) -> None:
        from django.db import transaction

        with transaction.atomic():
            for model, objects in rows.items():
                model.objects.bulk_create(objects, batch_size=1000)
        rows.clear()

    def progress(self, what: str) -> None:
        log(
            f"  {what} ({time.perf_counter() - self.started:.0f} s, "
            f"{time.process_time():.0f} s CPU)"
        )

    # capabilities, in the order their references need

    def people(self) -> None:
        from hjulet.accounts.models import Membership, Organisation, Role, RoleGrant, User
        from hjulet.core.models import Vocabulary
        from hjulet.scienceshop.models import ResearcherProfile

        n, rng = self.n, self.rng
        rows: dict = defaultdict(list)
        for pk in range(1, n["users"] + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = "samordnare@exempel.se" if pk == 1 else f"person{pk}@exempel.se"
            rows[User].append(
                User(
                    pk=pk,
                    email=email,
                    email_canonical=email,  # already canonical: ASCII, lower case
                    name=f"{first} {last}",
                    password="!",  # no password: nobody signs in to a scratch database
                    email_verified_at=self.created(pk, n["users"]),
                    date_joined=self.created(pk, n["users"]),
                )
            )
        rows[RoleGrant].append(RoleGrant(user_id=1, role=Role.COORDINATOR))
        self.researchers = list(range(2, min(n["users"], RESEARCHERS + 1) + 1))
        for pk in self.researchers:
            rows[RoleGrant].append(RoleGrant(user_id=pk, role=Role.RESEARCHER))
            topics = self.text.content_words(3)
            rows[ResearcherProfile].append(
                ResearcherProfile(
                    user_id=pk,
                    university=rng.choice(UNIVERSITIES),
                    department="Institutionen för " + " ".join(self.text.content_words(1)),
                    expertise=self.sentence(10, 30, topics),
                )
            )
        self.save(rows)

        sector_ids, sector_weights = self.weighted(SECTOR_WEIGHTS, Vocabulary.SECTOR)
        self.organisation_county = {}
        for pk in range(1, n["organisations"] + 1):
            municipality = rng.choice(self.municipality_codes)
            words = self.text.content_words(rng.randint(1, 2))
            kind = rng.choice(ORGANISATION_KINDS)
            name = f"{_capitalised(' '.join(words))} {kind} {self.municipality_names[municipality]}"
            self.organisation_county[pk] = self.county_of[municipality]
            rows[Organisation].append(
                Organisation(
                    pk=pk,
                    name=name[:200],
                    slug=f"{self.slug(name)}-{pk}",
                    sector_id=rng.choices(sector_ids, weights=sector_weights)[0],
                    municipality_id=municipality,
                    email=f"info@org{pk}.exempel.se" if rng.random() < 0.6 else "",
                    description=self.sentence(10, 30, words),
                    created_at=self.created(pk, n["organisations"]),
                )
            )
        self.organisation_sector = {o.pk: o.sector_id for o in rows[Organisation]}
        # Members: every person but the coordinator belongs to one organisation, some to two.
        self.members: dict[int, list[int]] = defaultdict(list)
        for user_id in range(2, n["users"] + 1):
            joins = 1 + (rng.random() < 0.2)
            for organisation_id in {rng.randint(1, n["organisations"]) for _ in range(joins)}:
                self.members[organisation_id].append(user_id)
                rows[Membership].append(
                    Membership(
                        user_id=user_id,
                        organisation_id=organisation_id,
                        role="admin" if len(self.members[organisation_id]) == 1 else "member",
                    )
                )
        self.save(rows)
        self.progress(f"{n['users']:,} people, {n['organisations']:,} organisations")

    @staticmethod
    def slug(text: str) -> str:
        from django.utils.text import slugify

        return slugify(text)[:200]

    def member_of(self, organisation_id: int) -> int | None:
        people = self.members.get(organisation_id)
        return people[0] if people else None

    def knowledge(self) -> None:
        from hjulet.core.models import Vocabulary
        from hjulet.knowledge.models import (
            Adaptation,
            Initiative,
            Method,
            PartnerRole,
            Partnership,
            PartnershipStatus,
        )

        n, rng, text = self.n, self.rng, self.text
        rows: dict = defaultdict(list)
        for pk in range(1, n["methods"] + 1):
            topics = text.content_words(3)
            title = text.text(rng.randint(2, 6), topics)
            rows[Method].append(
                Method(
                    pk=pk,
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    summary=(text.text(rng.randint(12, 30), topics) + ".")[:400],
                    what=text.body(rng.randint(60, 120), topics),
                    how=text.body(rng.randint(40, 90), topics),
                    why=text.body(rng.randint(20, 50), topics),
                    requirements=text.text(rng.randint(8, 25), topics) + ".",
                    evidence=text.body(rng.randint(20, 40), topics) if rng.random() < 0.3 else "",
                    is_reviewed=rng.random() < 0.5,
                    is_featured=rng.random() < 0.02,
                    created_at=self.created(pk, n["methods"]),
                )
            )
            self.tags(Method, "method", pk, rows)
            for organisation_id in _some(rng, range(1, n["organisations"] + 1), 0, 2):
                rows[Method.organisations.through].append(
                    Method.organisations.through(method_id=pk, organisation_id=organisation_id)
                )
        self.save(rows)
        method_ids = list(range(1, n["methods"] + 1))
        # Some methods are used far more than others.
        method_weights = [1.0 / (rank + 10) for rank in range(len(method_ids))]

        stage_ids, stage_weights = self.weighted(STAGE_WEIGHTS, Vocabulary.STAGE)
        last_stage = self.terms[Vocabulary.STAGE][-1][1]
        count = n["initiatives"]
        self.initiative_municipality: dict[int, str] = {}
        for pk in range(1, count + 1):
            topics = text.content_words(3)
            title = text.text(rng.randint(5, 11), topics)
            codes = self.municipality_codes
            municipality = codes[pk - 1] if pk <= len(codes) else rng.choice(codes)
            self.initiative_municipality[pk] = municipality
            stage_id = rng.choices(stage_ids, weights=stage_weights)[0]
            at = self.created(pk, count)
            start = (at - datetime.timedelta(days=rng.randint(0, 400))).date()
            has_start = rng.random() < 0.8
            ended = has_start and stage_id == last_stage
            rows[Initiative].append(
                Initiative(
                    pk=pk,
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    summary=(text.text(rng.randint(15, 35), topics) + ".")[:400],
                    description=text.body(rng.randint(120, 180), topics),
                    results=text.body(rng.randint(15, 40), topics) if rng.random() < 0.4 else "",
                    evidence=text.body(rng.randint(10, 30), topics) if rng.random() < 0.15 else "",
                    municipality_id=municipality,
                    stage_id=stage_id,
                    start_date=start if has_start else None,
                    end_date=start + datetime.timedelta(days=rng.randint(30, 700))
                    if ended
                    else None,
                    participants_reached=rng.randint(5, 5000) if rng.random() < 0.5 else None,
                    is_reviewed=rng.random() < 0.3,
                    is_featured=rng.random() < 0.01,
                    created_at=at,
                )
            )
            self.tags(Initiative, "initiative", pk, rows)
            for method_id in sorted(
                set(rng.choices(method_ids, weights=method_weights, k=rng.randint(0, 2)))
            ):
                rows[Initiative.methods.through].append(
                    Initiative.methods.through(initiative_id=pk, method_id=method_id)
                )
            lead = rng.randint(1, n["organisations"])
            rows[Partnership].append(
                Partnership(
                    initiative_id=pk,
                    organisation_id=lead,
                    role=PartnerRole.LEAD,
                    status=PartnershipStatus.ACCEPTED,
                )
            )
            if rng.random() < 0.3:
                partner = rng.randint(1, n["organisations"])
                if partner != lead:
                    rows[Partnership].append(
                        Partnership(
                            initiative_id=pk,
                            organisation_id=partner,
                            role=PartnerRole.PARTNER,
                            status=PartnershipStatus.ACCEPTED,
                        )
                    )
            if pk % BATCH == 0 or pk == count:
                self.save(rows)
            if pk % 20_000 == 0 or pk == count:
                self.progress(f"{pk:,} initiatives")

        seen: set[tuple[int, str, int]] = set()
        made = 0
        while made < n["adaptations"]:
            initiative = rng.randint(1, count)
            if rng.random() < 0.6:
                source = ("method", rng.choices(method_ids, weights=method_weights)[0])
            else:
                source = ("initiative", rng.randint(1, count))
                if source[1] == initiative:
                    continue
            if (initiative, *source) in seen:
                continue
            seen.add((initiative, *source))
            made += 1
            topics = text.content_words(3)
            rows[Adaptation].append(
                Adaptation(
                    initiative_id=initiative,
                    source_method_id=source[1] if source[0] == "method" else None,
                    source_initiative_id=source[1] if source[0] == "initiative" else None,
                    what_changed=self.sentence(10, 40, topics),
                    why=self.sentence(5, 20, topics) if rng.random() < 0.6 else "",
                    created_at=self.created(made, n["adaptations"]),
                )
            )
            if made % BATCH == 0:
                self.save(rows)
        self.save(rows)
        self.progress(f"{n['methods']:,} methods, {n['adaptations']:,} adaptations")

    def impact(self) -> None:
        from decimal import Decimal

        from hjulet.impact.models import ImpactReport, Indicator, Measurement

        n, rng = self.n, self.rng
        rows: dict = defaultdict(list)
        followed = sorted(rng.sample(range(1, n["initiatives"] + 1), n["followed_up"]))
        step = max(1, len(followed) // n["impact_reports"])
        reported = set(followed[::step][: n["impact_reports"]])
        indicator_id = 0
        for initiative in followed:
            for name in ("Antal deltagare", "Andel som fått arbete"):
                indicator_id += 1
                baseline = Decimal(rng.randint(0, 50))
                start = TODAY - datetime.timedelta(days=rng.randint(400, 1500))
                rows[Indicator].append(
                    Indicator(
                        pk=indicator_id,
                        initiative_id=initiative,
                        name=name,
                        baseline_value=baseline,
                        baseline_date=start,
                        target_value=baseline + rng.randint(10, 200),
                        target_date=start + datetime.timedelta(days=rng.randint(365, 1100)),
                        data_source="Närvarolistor och uppföljningssamtal",
                    )
                )
                for step in range(1, 5):
                    rows[Measurement].append(
                        Measurement(
                            indicator_id=indicator_id,
                            value=baseline + rng.randint(0, 60) * step,
                            date=start + datetime.timedelta(days=90 * step),
                        )
                    )
            if initiative in reported:
                topics = self.text.content_words(3)
                rows[ImpactReport].append(
                    ImpactReport(
                        initiative_id=initiative,
                        what=self.sentence(15, 40, topics),
                        who=self.sentence(10, 30, topics),
                        how_much=self.sentence(10, 30, topics),
                        risk=self.sentence(8, 20, topics),
                        is_published=True,
                        published_at=START + SPAN * rng.random(),
                    )
                )
            if len(rows[Measurement]) >= BATCH * 4:
                self.save(rows)
        self.save(rows)
        self.progress(f"{indicator_id:,} indicators, {n['impact_reports']:,} impact reports")

    def science_shop(self) -> None:
        from hjulet.scienceshop.models import (
            Assignment,
            AssignmentKind,
            EventKind,
            Outcome,
            OutcomeKind,
            Question,
            QuestionEvent,
            QuestionFormulation,
        )
        from hjulet.scienceshop.workflow import Status

        n, rng, text = self.n, self.rng, self.text
        weights = {
            Status.SUBMITTED: 10,
            Status.IN_DIALOGUE: 10,
            Status.ACCEPTED: 8,
            Status.REFERRED: 5,
            Status.ADVISED: 5,
            Status.DECLINED: 5,
            Status.MATCHED: 10,
            Status.IN_PROGRESS: 15,
            Status.PUBLISHED: 20,
            Status.RESEARCH_PROJECT: 5,
            Status.CLOSED: 7,
        }
        assigned = {Status.MATCHED, Status.IN_PROGRESS, Status.PUBLISHED, Status.RESEARCH_PROJECT}
        rows: dict = defaultdict(list)
        researchers = self.researchers or [1]
        for pk in range(1, n["questions"] + 1):
            organisation = rng.randint(1, n["organisations"])
            asker = self.member_of(organisation)
            topics = text.content_words(3)
            title = text.text(rng.randint(5, 11), topics)
            status = rng.choices(list(weights), weights=list(weights.values()))[0]
            at = self.created(pk, n["questions"])
            wanted_knowledge = text.body(rng.randint(20, 50), topics)
            rows[Question].append(
                Question(
                    pk=pk,
                    organisation_id=organisation,
                    submitted_by_id=asker,
                    title=title[:200] + "?",
                    background=text.body(rng.randint(40, 90), topics),
                    wanted_knowledge=wanted_knowledge,
                    intended_use=text.body(rng.randint(20, 50), topics),
                    non_commercial=True,
                    results_may_be_public=True,
                    lacks_means=rng.random() < 0.95,
                    status=status,
                    status_changed_at=at + datetime.timedelta(days=rng.randint(0, 120)),
                    created_at=at,
                )
            )
            self.tags(Question, "question", pk, rows, fields=["challenges"])
            rows[QuestionFormulation].append(
                QuestionFormulation(
                    question_id=pk, number=1, text=wanted_knowledge, author_id=asker, created_at=at
                )
            )
            rows[QuestionEvent].append(
                QuestionEvent(
                    question_id=pk,
                    kind=EventKind.STATUS,
                    actor_id=asker,
                    to_status=Status.SUBMITTED,
                    created_at=at,
                )
            )
            if status in assigned:
                rows[Assignment].append(
                    Assignment(
                        question_id=pk,
                        kind=AssignmentKind.RESEARCHER,
                        researcher_id=rng.choice(researchers),
                        created_by_id=1,
                        created_at=at + datetime.timedelta(days=30),
                    )
                )
            if status == Status.PUBLISHED:
                rows[Outcome].append(
                    Outcome(
                        question_id=pk,
                        kind=OutcomeKind.SUMMARY,
                        title=title[:200],
                        summary=text.body(rng.randint(80, 160), topics),
                        created_by_id=1,
                        published_at=at + datetime.timedelta(days=rng.randint(120, 400)),
                    )
                )
            if pk % BATCH == 0:
                self.save(rows)
        self.save(rows)
        # Knowledge summaries are tagged with their question's challenges.
        through = Outcome.challenges.through
        outcomes = dict(Outcome.objects.values_list("question_id", "pk"))
        question_tags = Question.challenges.through.objects.filter(question_id__in=list(outcomes))
        rows[through] = [
            through(outcome_id=outcomes[q], term_id=t)
            for q, t in question_tags.values_list("question_id", "term_id")
        ]
        self.save(rows)
        self.progress(f"{n['questions']:,} science-shop questions")

    def survey(self) -> None:
        import survey_analysis

        from hjulet.surveys.models import Choice, Question, Response, Survey

        n = self.n
        rows: dict = defaultdict(list)
        survey = Survey.objects.create(
            pk=1,
            organisation_id=1,
            title="Medlemsenkät 2026: civilsamhällets villkor",
            slug="medlemsenkat-2026",
            description="Hur har din organisation det? Svaren blir en rapport till alla.",
            status="open",
            created_by_id=1,
        )
        specs = survey_analysis.specs()
        for position, (name, kind, options) in enumerate(specs, start=1):
            label = {
                "select_one": "Vilket alternativ stämmer bäst för er verksamhet?",
                "likert": "Hur väl stämmer påståendet för er organisation?",
                "select_multiple": "Vilka av följande har ni arbetat med det senaste året?",
                "integer": "Hur många aktiva medlemmar har ni?",
                "decimal": "Hur stor andel av budgeten kommer från bidrag (procent)?",
                "text": "Vad skulle göra störst skillnad för er verksamhet?",
            }[kind]
            question = Question(
                pk=position, survey=survey, position=position, name=name, type=kind,
                label_sv=f"{position}. {label}",
            )  # fmt: skip
            rows[Question].append(question)
            for index, option in enumerate(options, start=1):
                rows[Choice].append(
                    Choice(
                        question_id=position,
                        position=index,
                        name=option,
                        label_sv=f"Alternativ {option}",
                    )
                )
        self.save(rows)
        answers, counties, sectors = survey_analysis.generate(n["responses"], specs)
        organisations = list(range(1, n["organisations"] + 1))
        for pk, (answer, county, sector) in enumerate(
            zip(answers, counties, sectors, strict=True), start=1
        ):
            at = START + SPAN * (pk / n["responses"])
            rows[Response].append(
                Response(
                    pk=pk,
                    survey=survey,
                    organisation_id=organisations[pk % len(organisations)],
                    county_code=county,
                    sector_code=sector,
                    answers=answer,
                    started_at=at,
                    submitted_at=at + datetime.timedelta(minutes=12),
                )
            )
            if pk % (BATCH * 5) == 0:
                self.save(rows)
        self.save(rows)
        self.progress(f"a survey of {len(specs)} questions, {n['responses']:,} responses")

    def arenas(self) -> None:
        from hjulet.arenas.models import (
            Arena,
            ArenaOrganisation,
            ArenaRole,
            Challenge,
            Comment,
            Event,
            EventKind,
            Idea,
            Support,
        )

        n, rng, text = self.n, self.rng, self.text
        rows: dict = defaultdict(list)
        for pk in range(1, n["arenas"] + 1):
            municipality = rng.choice(self.municipality_codes)
            name = f"Samverkansarena {self.municipality_names[municipality]} {pk}"
            rows[Arena].append(
                Arena(
                    pk=pk,
                    name=name,
                    slug=f"{self.slug(name)}",
                    purpose=self.sentence(20, 50),
                    municipality_id=municipality,
                    created_by_id=1,
                    created_at=self.created(pk, n["arenas"]),
                )
            )
            for index, organisation in enumerate(
                _some(rng, range(1, n["organisations"] + 1), 2, 5)
            ):
                rows[ArenaOrganisation].append(
                    ArenaOrganisation(
                        arena_id=pk,
                        organisation_id=organisation,
                        role=ArenaRole.LEAD if index == 0 else ArenaRole.PARTNER,
                    )
                )
        for pk in range(1, n["challenges"] + 1):
            topics = text.content_words(3)
            title = text.text(rng.randint(4, 9), topics)
            ideas_from = TODAY - datetime.timedelta(days=rng.randint(-30, 700))
            rows[Challenge].append(
                Challenge(
                    pk=pk,
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    arena_id=rng.randint(1, n["arenas"]),
                    problem=text.body(rng.randint(40, 90), topics),
                    affected=self.sentence(10, 25, topics),
                    municipality_id=rng.choice(self.municipality_codes),
                    ideas_from=ideas_from,
                    develop_from=ideas_from + datetime.timedelta(days=60),
                    test_from=ideas_from + datetime.timedelta(days=150),
                    evaluate_from=ideas_from + datetime.timedelta(days=300),
                    ends_on=ideas_from + datetime.timedelta(days=400),
                    is_open=rng.random() < 0.7,
                    created_by_id=1,
                    created_at=self.created(pk, n["challenges"]),
                )
            )
            self.tags(Challenge, "challenge", pk, rows, fields=["challenges", "sdgs"])
            rows[Event].append(
                Event(
                    challenge_id=pk,
                    kind=rng.choice([EventKind.WORKSHOP, EventKind.HACKATHON]),
                    title=f"Workshop: {title[:180]}",
                    starts_at=datetime.datetime.combine(
                        ideas_from + datetime.timedelta(days=20),
                        datetime.time(17, 30),
                        tzinfo=datetime.UTC,
                    ),
                    place="Medborgarhuset",
                    capacity=rng.choice([20, 40, 80]),
                )
            )
        self.save(rows)
        # Some challenges draw far more ideas than others.
        challenge_ids = list(range(1, n["challenges"] + 1))
        weights = [1.0 / (rank + 3) for rank in range(len(challenge_ids))]
        users = n["users"]
        for pk in range(1, n["ideas"] + 1):
            topics = text.content_words(3)
            author = rng.randint(2, users)
            rows[Idea].append(
                Idea(
                    pk=pk,
                    challenge_id=rng.choices(challenge_ids, weights=weights)[0],
                    author_id=author,
                    title=text.text(rng.randint(4, 10), topics)[:200],
                    body=text.body(rng.randint(30, 90), topics),
                    created_at=self.created(pk, n["ideas"]),
                )
            )
            for user in {rng.randint(1, users) for _ in range(rng.choice([0, 1, 2, 2, 5]))}:
                rows[Support].append(Support(idea_id=pk, user_id=user))
            if rng.random() < 0.5:
                rows[Comment].append(
                    Comment(idea_id=pk, author_id=rng.randint(2, users), body=self.sentence(8, 30))
                )
            if pk % BATCH == 0:
                self.save(rows)
        self.save(rows)
        self.progress(
            f"{n['arenas']:,} arenas, {n['challenges']:,} challenges, {n['ideas']:,} ideas"
        )

    def support(self) -> None:
        from hjulet.support.models import (
            AdviceRequest,
            FundingCall,
            Scope,
            Service,
            SupportStructure,
        )

        n, rng, text = self.n, self.rng, self.text
        rows: dict = defaultdict(list)
        scopes = [Scope.NATIONAL] + [Scope.COUNTY] * 2 + [Scope.MUNICIPALITY] * 2

        def area(model, owner: str, pk: int, scope: str) -> None:
            if scope == Scope.COUNTY:
                for county in _some(rng, self.counties, 1, 2):
                    through = model.counties.through
                    rows[through].append(through(**{f"{owner}_id": pk, "county_id": county}))
            elif scope == Scope.MUNICIPALITY:
                for code in _some(rng, self.municipality_codes, 1, 3):
                    through = model.municipalities.through
                    rows[through].append(through(**{f"{owner}_id": pk, "municipality_id": code}))

        # The first organisations are the support structures (one entry each).
        for pk in range(1, n["structures"] + 1):
            scope = rng.choice(scopes)
            offers = {f"offers_{s}": rng.random() < 0.4 for s in Service.values}
            offers[f"offers_{rng.choice(Service.values)}"] = True
            rows[SupportStructure].append(
                SupportStructure(
                    pk=pk,
                    organisation_id=pk,
                    scope=scope,
                    summary=self.sentence(10, 30)[:400],
                    description=text.body(rng.randint(30, 80), text.content_words(3)),
                    for_ideburen=rng.random() < 0.8,
                    for_public=rng.random() < 0.4,
                    for_private=rng.random() < 0.2,
                    for_residents=rng.random() < 0.3,
                    contact_email=f"stod{pk}@exempel.se",
                    created_at=self.created(pk, n["structures"]),
                    **offers,
                )
            )
            area(SupportStructure, "supportstructure", pk, scope)
        for pk in range(1, n["calls"] + 1):
            scope = rng.choice(scopes)
            title = "Utlysning: " + text.text(rng.randint(3, 7), text.content_words(3))
            opens = TODAY - datetime.timedelta(days=rng.randint(-60, 500))
            low = rng.choice([None, 10_000, 50_000, 100_000])
            rows[FundingCall].append(
                FundingCall(
                    pk=pk,
                    funder_id=rng.randint(1, n["organisations"]),
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    scope=scope,
                    eligibility=self.sentence(15, 40),
                    amount_min=low,
                    amount_max=(low or 20_000) * rng.choice([2, 5, 10]),
                    opens_on=opens,
                    deadline=opens + datetime.timedelta(days=rng.randint(20, 120)),
                    for_ideburen=True,
                    for_public=rng.random() < 0.3,
                    created_at=self.created(pk, n["calls"]),
                )
            )
            self.tags(FundingCall, "fundingcall", pk, rows, fields=["challenges"])
            area(FundingCall, "fundingcall", pk, scope)
        for pk in range(1, n["advice_requests"] + 1):
            status = rng.choice(["new", "in_progress", "closed", "closed"])
            at = self.created(pk, n["advice_requests"])
            rows[AdviceRequest].append(
                AdviceRequest(
                    pk=pk,
                    asker_id=rng.randint(2, n["users"]),
                    title=text.text(rng.randint(3, 8), text.content_words(3))[:200],
                    description=text.body(rng.randint(30, 70), text.content_words(3)),
                    municipality_id=rng.choice(self.municipality_codes),
                    needs=_some(rng, Service.values, 1, 3),
                    status=status,
                    to_coordinators=rng.random() < 0.2,
                    closed_at=at + datetime.timedelta(days=rng.randint(1, 60))
                    if status == "closed"
                    else None,
                    outcome="advice_given" if status == "closed" else "",
                    created_at=at,
                )
            )
            through = AdviceRequest.routed_to.through
            for structure in _some(rng, range(1, n["structures"] + 1), 0, 2):
                rows[through].append(through(advicerequest_id=pk, supportstructure_id=structure))
        self.save(rows)
        self.progress(
            f"{n['structures']:,} support structures, {n['calls']:,} calls, "
            f"{n['advice_requests']:,} advice requests"
        )


def _reset_sequences() -> None:
    """Rows were written with their ids: the sequences must continue after them."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models() if m.__module__.startswith("hjulet")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@contextlib.contextmanager
def _without_gin_indexes():
    """On PostgreSQL, drop the search tables' GIN indexes while the index is rebuilt and
    create them again afterwards (as their migration defined them): one index build is far
    faster than 100,000 inserts into it. SQLite has nothing of the kind."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
            "('core_search_document', 'core_search_term') AND indexdef LIKE '%%USING gin%%'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


def fill(scale: float = 1.0, refill: bool = False) -> dict[str, int]:
    """Fill the current database at ``scale`` unless it already holds that fill; return
    the counts."""
    from django.db import connection

    from hjulet.core.reference_data import load_geography, load_vocabularies
    from hjulet.knowledge import indexing

    expected = wanted(scale)
    if not refill and present() == expected:
        log(f"Reusing the data already in the database (scale {scale:g}).")
        return expected
    log(f"Filling the database at scale {scale:g} …")
    started = time.perf_counter()
    _empty()
    load_geography(with_boundaries=True)
    load_vocabularies()
    filler = Filler(scale)
    filler.people()
    filler.knowledge()
    filler.impact()
    filler.science_shop()
    filler.survey()
    filler.arenas()
    filler.support()
    _reset_sequences()
    written = time.perf_counter()
    log(f"  rows written in {written - started:.0f} s; rebuilding the search index …")
    with _without_gin_indexes():
        indexed = indexing.rebuild_all()
        # The science shop's researcher profiles (kind "researcher", not public).
        from hjulet.scienceshop.indexing import RESEARCHER_KIND, rebuild_researcher_index

        indexed[RESEARCHER_KIND] = rebuild_researcher_index()
    log(f"  {json.dumps(indexed)} indexed in {time.perf_counter() - written:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    log(f"Filled in {time.perf_counter() - started:.0f} s.")
    counts = present()
    if counts != expected:
        raise RuntimeError(f"The fill left {counts}, not {expected}.")
    return counts


def default_sqlite_url() -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / 'hjulet-bench.sqlite3'}"


def setup(database_url: str) -> None:
    """Point Django at ``database_url`` (creating a PostgreSQL database when missing), set
    it up as in production (DEBUG off) and bring the schema up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    prepare_database(database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: DEBUG would log every query, which costs more than some queries.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--database-url",
        default=default_sqlite_url(),
        help="a scratch database: everything but the reference data is replaced",
    )
    parser.add_argument("--refill", action="store_true", help="refill even if already filled")
    arguments = parser.parse_args()
    setup(arguments.database_url)
    for name, count in fill(arguments.scale, arguments.refill).items():
        print(f"{name:<22} {count:>9,}")


if __name__ == "__main__":
    main()
