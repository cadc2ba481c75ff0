"""Loading the reference data Hjulet ships: geography (SCB codes, names, boundaries) and the
starting vocabularies. Safe to run again: geography is brought up to date; vocabulary terms
are only added, never overwritten, since coordinators may have edited them."""

import csv
import json
from pathlib import Path

from django.db import transaction

from . import changes
from .boundaries import svg_paths
from .models import County, Municipality, Term, Vocabulary

DATA_DIR = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_geography(*, with_boundaries: bool = True) -> tuple[int, int]:
    county_paths = dict(svg_paths("lan")) if with_boundaries else {}
    municipality_paths = dict(svg_paths("kommun")) if with_boundaries else {}
    for row in _rows("counties.csv"):
        code = row["county_code"]
        County.objects.update_or_create(
            code=code,
            defaults={
                "name": row["county_name"],
                "short_name": row["county_name_short"],
                "svg_path": county_paths.get(code, ""),
            },
        )
    for row in _rows("municipalities.csv"):
        code = row["municipality_code"]
        Municipality.objects.update_or_create(
            code=code,
            defaults={
                "name": row["municipality_name_short"],
                "county_id": row["county_code"],
                "svg_path": municipality_paths.get(code, ""),
            },
        )
    return County.objects.count(), Municipality.objects.count()


@transaction.atomic
def load_vocabularies() -> int:
    created = 0
    with open(DATA_DIR / "vocabularies.json", encoding="utf-8") as handle:
        specs = json.load(handle)
    for position, spec in enumerate(specs, start=1):
        vocabulary, _new = Vocabulary.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name_sv": spec["name_sv"],
                "name_en": spec["name_en"],
                "position": position,
            },
        )
        for term_position, (code, label_sv, label_en) in enumerate(spec["terms"], start=1):
            if vocabulary.terms.filter(code=code).exists():
                continue
            term = Term.objects.create(
                vocabulary=vocabulary,
                code=code,
                label_sv=label_sv,
                label_en=label_en,
                position=term_position,
            )
            changes.record_created(None, term, ("code", "label_sv", "label_en"), action="term.load")
            created += 1
    return created
