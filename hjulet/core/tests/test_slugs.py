"""``slugs.unique_slug``: the address name every app's services give a new row."""

import pytest

from hjulet.core.models import Vocabulary
from hjulet.core.slugs import unique_slug

pytestmark = pytest.mark.django_db


def _vocabulary(slug: str) -> Vocabulary:
    return Vocabulary.objects.create(slug=slug, name_sv=slug, name_en=slug)


def test_the_first_free_numbered_slug():
    _vocabulary("ord")
    _vocabulary("ord-2")
    assert unique_slug(Vocabulary, "Ord") == "ord-3"


def test_reserved_words_are_never_given():
    assert unique_slug(Vocabulary, "Ny", reserved={"ny"}) == "ny-2"


def test_a_title_with_nothing_left_takes_the_fallback_or_the_model_name():
    assert unique_slug(Vocabulary, "!!!", fallback="ordlista") == "ordlista"
    assert unique_slug(Vocabulary, "!!!") == "vocabulary"


def test_the_row_itself_does_not_take_its_own_slug():
    own = _vocabulary("ord")
    assert unique_slug(Vocabulary, "Ord", exclude_pk=own.pk) == "ord"
    assert unique_slug(Vocabulary, "Ord") == "ord-2"
