"""The lookups every API module uses to turn a client's codes and ids into objects: all of
them found, or a 400 on the field the client sent, naming what is unknown."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hjulet.core import api_lookups as lookups
from hjulet.core.models import County, Municipality, Term, Vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_terms_are_the_active_terms_of_the_vocabulary():
    codes = list(
        Term.objects.in_vocabulary(Vocabulary.SDG).active().values_list("code", flat=True)[:2]
    )
    found = lookups.terms("sdgs", Vocabulary.SDG, codes)
    assert sorted(t.code for t in found) == sorted(codes)


def test_unknown_and_retired_codes_are_named_on_the_field():
    term = Term.objects.in_vocabulary(Vocabulary.CHALLENGE).active().first()
    term.is_active = False
    term.save()
    with pytest.raises(ValidationError) as error:
        lookups.terms("challenges", Vocabulary.CHALLENGE, [term.code, "nope"])
    assert error.value.message_dict == {
        "challenges": [f"Unknown codes: {', '.join(sorted([term.code, 'nope']))}."]
    }


def test_a_code_of_another_vocabulary_is_unknown():
    sdg = Term.objects.in_vocabulary(Vocabulary.SDG).first()
    with pytest.raises(ValidationError) as error:
        lookups.terms("challenges", Vocabulary.CHALLENGE, [sdg.code])
    assert list(error.value.message_dict) == ["challenges"]


def test_areas_by_scb_code():
    assert [c.code for c in lookups.areas(County, "counties", ["24"])] == ["24"]
    with pytest.raises(ValidationError) as error:
        lookups.areas(Municipality, "municipality", ["2480", "9999"])
    assert error.value.message_dict == {"municipality": ["Unknown codes: 9999."]}


def test_municipality_by_code_with_its_county():
    assert lookups.municipality("municipality", "2480").county.code == "24"
    with pytest.raises(ValidationError) as error:
        lookups.municipality("place", "9999")
    assert error.value.message_dict == {"place": ["Unknown municipality code '9999'."]}


def test_existing_looks_in_the_queryset_given():
    vocabulary = Vocabulary.objects.get(slug=Vocabulary.SDG)
    assert lookups.existing(Vocabulary, "vocabulary", vocabulary.pk, "Unknown.") == vocabulary
    others = Vocabulary.objects.exclude(pk=vocabulary.pk)
    with pytest.raises(ValidationError) as error:
        lookups.existing(others, "vocabulary", vocabulary.pk, "Unknown vocabulary.")
    assert error.value.message_dict == {"vocabulary": ["Unknown vocabulary."]}


def test_all_existing_wants_every_one_and_allows_repeats():
    pks = list(Vocabulary.objects.values_list("pk", flat=True)[:2])
    assert len(lookups.all_existing(Vocabulary, "vocabularies", [*pks, pks[0]], "No.")) == 2
    with pytest.raises(ValidationError) as error:
        lookups.all_existing(Vocabulary, "vocabularies", [*pks, 999_999], "Unknown vocabulary.")
    assert error.value.message_dict == {"vocabularies": ["Unknown vocabulary."]}
