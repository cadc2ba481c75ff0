"""Compound splitting on the Swedish lexicon, and telling Swedish from English."""

import pytest

from hjulet.lib.compounds import split_compound
from hjulet.lib.language import detect_language
from hjulet.lib.text import CachingAnalyser, analyse, analyse_query_word, compound_parts


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("trygghetsvandringar", ("trygghet", "vandringar")),
        ("flickfotboll", ("flick", "fotboll")),
        ("äldreomsorg", ("äldre", "omsorg")),
        ("seniorträffar", ("senior", "träffar")),
        ("demensvänlig", ("demens", "vänlig")),
    ],
)
def test_real_compounds_split_into_lexicon_words(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize(
    "word", ["föräldrar", "gemensamma", "ensamkommande", "kommunerna", "fotboll", "bank", "xyzzy"]
)
def test_words_of_their_own_stay_whole(word):
    assert split_compound(word) == ()


def test_parts_are_analysed_like_words():
    assert compound_parts("Trygghetsvandringar i Gävle") == ["trygg", "vandring"]
    assert compound_parts("Föräldrar och gemensamma aktiviteter") == []
    assert compound_parts("Walking football", "en") == []
    analyser = CachingAnalyser()
    assert analyser.with_parts("Flickfotboll för tjejer") == (
        ["flickfotboll", "for", "tjej"],
        ["flick", "fotboll"],
    )
    assert analyser.with_parts("Flickfotboll för tjejer") == analyser.with_parts(
        "Flickfotboll för tjejer"
    )


def test_english_is_stemmed_in_english_and_queries_try_both():
    assert analyse("volunteers visiting", "en") == ["volunt", "visit"]
    assert analyse_query_word("loneliness") == ["loneliness", "lone"]
    # A word with å, ä or ö is Swedish only.
    assert analyse_query_word("äldre") == ["aldr"]


def test_aldrig_is_not_older():
    assert analyse("aldrig") != analyse("äldre")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Frivilliga hjälper barn med läxorna två kvällar i veckan.", "sv"),
        ("Volunteers help the children with their homework in the evenings.", "en"),
        ("Walking football", "sv"),  # too short to tell: Swedish
        ("Fritidsbanken lånar ut Stand up paddle boards och mer till alla.", "sv"),
        ("", "sv"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language
