import pytest

from hjulet.lib.text import (
    MAX_TERM_LENGTH,
    CachingAnalyser,
    analyse,
    analyse_word,
    edit_distance,
    fold,
    fold_lower,
    is_stop_word,
    iter_words,
    normalise,
    stem,
    tokens,
)


def test_normalise_applies_nfkc_and_lowercases():
    assert normalise("ＳＰＲÅＫ ﬁka") == "språk fika"
    # "å" written as "a" + combining ring becomes the single letter.
    assert normalise("Spra\u030akcafe\u0301") == "språkcafé"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Språkcafé", "Sprakcafe"),
        ("åäö ÅÄÖ", "aao AAO"),
        ("über naïve façade", "uber naive facade"),
        ("Ørebro Bjørn Straße", "Orebro Bjorn Strasse"),
        ("plain ascii 123", "plain ascii 123"),
    ],
)
def test_fold_strips_diacritics(text, folded):
    assert fold(text) == folded


def test_tokens_are_normalised_words_with_digits_kept():
    assert tokens("Hej! Fritidsbanken (Umeå) öppnar 2024, 10:30 – covid19-stöd; snake_case.") == [
        "hej",
        "fritidsbanken",
        "umeå",
        "öppnar",
        "2024",
        "10",
        "30",
        "covid19",
        "stöd",
        "snake",
        "case",
    ]


def test_tokens_of_punctuation_only_or_empty_text_are_empty():
    assert tokens(' "*()- … ') == []
    assert tokens("") == []
    assert tokens(None) == []


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("kommunerna", "kommun"),
        ("Kommunerna", "kommun"),
        ("föreningar", "förening"),
        ("Fritidsbanken", "fritidsbank"),
        ("hästarna", "häst"),
    ],
)
def test_stem_uses_the_swedish_snowball_stemmer_on_lowercase(word, stemmed):
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Språkcaféer", "sprakcafe"),
        ("språkcafé", "sprakcafe"),
        ("Kommunerna", "kommun"),
        ("föreningar", "forening"),
        ("Fritidsbanken", "fritidsbank"),
        ("Gävle", "gavle"),
        ("ÖREBRO", "orebro"),
        ("Luleå", "Lulea"),
        ("Träningar", "traning"),
    ],
)
def test_analyse_makes_inflections_and_spellings_without_swedish_letters_meet(first, second):
    assert analyse(first) == analyse(second)
    assert len(analyse(first)) == 1


def test_analyse_keeps_order_and_repeats():
    assert analyse("Kommunen och kommunerna, år 2024") == ["kommun", "och", "kommun", "ar", "2024"]


def test_analyse_word_matches_analyse():
    for word in ["Språkcaféet", "Föreningarnas", "ﬁkat", "2024"]:
        assert analyse_word(word) == analyse(word)[0]
    assert analyse_word("...") == ""


def test_an_analysed_term_is_a_prefix_of_its_folded_word():
    text = "Språkcaféerna föreningarnas Fritidsbanken lånade ut skidor till BARNEN i Gävle"
    for word in iter_words(text):
        assert fold(word.group().lower()).startswith(analyse_word(word.group()))


def test_very_long_words_are_cut():
    (term,) = analyse("x" * 500)
    assert len(term) <= MAX_TERM_LENGTH


def test_fold_lower_keeps_positions():
    text = "Språkcafé ÆØ Straße İstanbul – “citat” 🚲 Łódź"
    folded = fold_lower(text)
    assert len(folded) == len(text)
    assert folded == "sprakcafe æo straße istanbul – “citat” 🚲 lodz"


def test_an_analysed_term_starts_its_folded_word():
    text = "Språkcaféerna, FÖRENINGARNAS Fritidsbanken – i Gävle!"
    folded = fold_lower(text)
    for word in iter_words(text):
        assert folded[word.start() : word.end()].startswith(analyse_word(word.group()))


def test_stop_words_are_recognised_in_analysed_form():
    assert is_stop_word(analyse("och")[0])
    assert is_stop_word(analyse("för")[0])
    assert not is_stop_word(analyse("kommun")[0])


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("fritidsbank", "fritidsbank", 0),
        ("fritidsbamk", "fritidsbank", 1),
        ("lanthandl", "lanthandel", 1),
        ("forening", "foerning", 1),  # two letters swapped count once
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance(first, second, distance):
    assert edit_distance(first, second, limit=5) == distance


def test_edit_distance_stops_at_the_limit():
    assert edit_distance("kommun", "lanthandel", limit=2) == 3
    assert edit_distance("a", "abcdef", limit=1) == 2


def test_caching_analyser_gives_what_analyse_gives():
    texts = [
        "Språkcaféer i Umeå: sprakcafe varje onsdag!",
        "Kommunerna och kommunen; Ørebro Øresund straße 2024 covid19",
        "",
        "ÅÄÖ åäö ﬁ ligatur " + "x" * 100,
        "Språkcaféer igen, och Kommunerna",
    ]
    analyser = CachingAnalyser()
    assert [analyser(t) for t in texts] == [analyse(t) for t in texts]


def test_caching_analyser_forgets_words_beyond_its_limit(monkeypatch):
    monkeypatch.setattr(CachingAnalyser, "MAX_WORDS", 3)
    analyser = CachingAnalyser()
    assert analyser("ett två tre") == analyse("ett två tre")
    assert analyser("fyra fem") == analyse("fyra fem")
    assert len(analyser.terms) <= 3
