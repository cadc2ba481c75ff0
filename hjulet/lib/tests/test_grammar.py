import pytest

from hjulet.lib.grammar import genitive


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fritidsbanken Umeå", "Fritidsbanken Umeås"),
        ("Samforma", "Samformas"),
        ("Umeå universitet", "Umeå universitets"),
        ("Stadsmissionens hus", "Stadsmissionens hus"),
        ("Max", "Max"),
        ("Fritz", "Fritz"),
        ("Coompanion Nord AB", "Coompanion Nord AB:s"),
        ("SVT", "SVT:s"),
        ("Agenda 2030", "Agenda 2030:s"),
        ("  Hjulet ", "Hjulets"),
        ("", ""),
    ],
)
def test_swedish_genitive(name, expected):
    assert genitive(name, "sv") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Fritidsbanken Umeå", "Fritidsbanken Umeå's"), ("Samforma", "Samforma's"), ("Hans", "Hans'")],
)
def test_english_genitive(name, expected):
    assert genitive(name, "en") == expected
