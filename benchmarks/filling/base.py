"""What every part of the fill shares: the counts at ``--scale 1``, the names and weights the
rows are drawn from, and ``FillerBase`` (the random sources, the reference data's ids and the
helpers that make and write rows)."""

import datetime
import random
import time

from common import log
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


class FillerBase:
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

    @staticmethod
    def slug(text: str) -> str:
        from django.utils.text import slugify

        return slugify(text)[:200]

    def member_of(self, organisation_id: int) -> int | None:
        people = self.members.get(organisation_id)
        return people[0] if people else None
