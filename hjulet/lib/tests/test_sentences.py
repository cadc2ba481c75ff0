import pytest

from hjulet.lib.sentences import cut_at_sentence


def test_a_short_text_is_kept_with_single_spaces():
    assert cut_at_sentence("  Kort   text.\n Två meningar. ", 400) == "Kort text. Två meningar."


def test_a_long_text_is_cut_after_its_last_whole_sentence():
    text = "Första meningen är här. Andra meningen är lite längre! Tredje meningen tar slut sent."
    cut = cut_at_sentence(text, 60)
    assert cut == "Första meningen är här. Andra meningen är lite längre!"


def test_a_sentence_ending_exactly_at_the_limit_is_kept():
    text = "Det här är en mening. Nästa mening."
    assert cut_at_sentence(text, len("Det här är en mening.")) == "Det här är en mening."


def test_without_a_sentence_end_the_text_is_cut_at_a_word_with_an_ellipsis():
    cut = cut_at_sentence("ord " * 200, 400)
    assert len(cut) <= 400
    assert cut.endswith("ord…")
    assert "  " not in cut


def test_a_single_long_word_is_cut_inside_it():
    cut = cut_at_sentence("x" * 500, 100)
    assert cut == "x" * 99 + "…"


@pytest.mark.parametrize("abbreviation", ["t.ex.", "bl.a.", "m.m.", "osv.", "dvs.", "ca.", "e.g."])
def test_swedish_and_english_abbreviations_do_not_end_a_sentence(abbreviation):
    text = f"Vi samarbetar med många, {abbreviation} Umeå kommun och andra aktörer i hela länet"
    cut = cut_at_sentence(text + " " + "och fler " * 20, 80)
    assert cut.endswith("…"), cut
    assert abbreviation in cut


def test_an_initial_does_not_end_a_sentence():
    text = "Projektet leds av A. Andersson som har arbetat länge med frågan om läxhjälp i skolan"
    assert cut_at_sentence(text, 60).endswith("…")


def test_a_full_stop_before_a_lower_case_word_does_not_end_a_sentence():
    text = "Version 2.0 kom år 2024. och sedan kom mer text som fortsätter långt bortom gränsen"
    assert cut_at_sentence(text, 50).endswith("…")


def test_a_very_short_first_sentence_gives_way_to_a_word_boundary():
    text = "Hej. " + "Här kommer en lång mening utan slut som fortsätter " * 5
    cut = cut_at_sentence(text, 100)
    assert cut != "Hej."
    assert cut.endswith("…") and len(cut) <= 100


def test_a_sentence_ending_in_a_quote_keeps_the_quote():
    text = "Hon sa ”Välkommen hit.” Sedan började mötet som pågick i många timmar utan paus"
    assert cut_at_sentence(text, 40) == "Hon sa ”Välkommen hit.”"
