import csv
from pathlib import Path

import pytest

from hjulet.core.models import AuditEntry, County, Municipality, Term, Vocabulary
from hjulet.core.reference_data import load_geography, load_vocabularies

SHARED = Path(__file__).resolve().parents[3] / "hjulet" / "core" / "data"

pytestmark = pytest.mark.django_db


def test_all_counties_and_municipalities_with_scb_codes():
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert County.objects.get(code="25").name == "Norrbottens län"
    kalix = Municipality.objects.get(code="2514")
    assert kalix.name == "Kalix"  # the short form, not the misspelt "Kalixs kommun"
    assert kalix.county_id == "25"


def test_every_municipality_code_starts_with_its_county_code():
    for municipality in Municipality.objects.all():
        assert municipality.code[:2] == municipality.county_id


def test_every_area_has_a_boundary_path():
    assert not County.objects.filter(svg_path="").exists()
    assert not Municipality.objects.filter(svg_path="").exists()
    gotland = Municipality.objects.get(code="0980").svg_path
    assert gotland.startswith("M") and gotland.endswith("Z")


def test_shipped_lists_match_database():
    with open(SHARED / "municipalities.csv", encoding="utf-8") as handle:
        codes = {row["municipality_code"] for row in csv.DictReader(handle)}
    assert codes == set(Municipality.objects.values_list("code", flat=True))


def test_vocabularies_loaded_with_both_languages():
    slugs = set(Vocabulary.objects.values_list("slug", flat=True))
    assert {"challenge", "target-group", "sector", "stage", "sdg"} <= slugs
    assert Term.objects.in_vocabulary("sdg").count() == 17
    assert set(Term.objects.in_vocabulary("sector").values_list("code", flat=True)) == {
        "ideburen",
        "offentlig",
        "privat",
        "akademi",
    }
    assert set(Term.objects.in_vocabulary("stage").values_list("code", flat=True)) == {
        "ide",
        "test",
        "etablerad",
        "spridd",
        "avslutad",
        "okant",  # the import's stage when the data says nothing
    }
    assert not Term.objects.filter(label_en="").exists()


def test_reloading_keeps_coordinator_edits_and_adds_nothing_twice():
    term = Term.objects.in_vocabulary("challenge").get(code="segregation")
    term.label_sv = "Boendesegregation"
    term.save()
    terms_before = Term.objects.count()
    assert load_vocabularies() == 0
    load_geography(with_boundaries=False)
    term.refresh_from_db()
    assert term.label_sv == "Boendesegregation"
    assert Term.objects.count() == terms_before
    assert Municipality.objects.count() == 290


def test_loading_terms_is_audited():
    assert AuditEntry.objects.filter(action="term.load").count() == Term.objects.count()
