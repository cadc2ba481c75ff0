import pytest

from hjulet.lib.orgnr import (
    OrgNumberError,
    luhn_check_digit,
    normalise_org_number,
    with_check_digit,
)


@pytest.mark.parametrize(
    ("nine", "digit"),
    [
        ("556036079", 3),  # 556036-0793, the textbook example of a limited company
        ("556012579", 0),  # 556012-5790
        ("212000274", 2),  # 212000-2742
        ("000000000", 0),
    ],
)
def test_luhn_check_digit_matches_hand_calculation(nine, digit):
    assert luhn_check_digit(nine) == digit


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("556036-0793", "556036-0793"),
        ("5560360793", "556036-0793"),
        (" 556036 - 0793 ", "556036-0793"),
        ("16556036-0793", "556036-0793"),
        ("165560360793", "556036-0793"),
    ],
)
def test_accepted_spellings_are_normalised(raw, normalised):
    assert normalise_org_number(raw) == normalised


@pytest.mark.parametrize("raw", ["556036-0794", "5560360790", "556012-5791"])
def test_wrong_check_digit_is_refused_as_checksum(raw):
    with pytest.raises(OrgNumberError) as error:
        normalise_org_number(raw)
    assert error.value.code == "checksum"


@pytest.mark.parametrize(
    "raw", ["", "556036-079", "55603607931", "abcdef-ghij", "556036_0793", "19556036-0793"]
)
def test_malformed_numbers_are_refused_as_format(raw):
    with pytest.raises(OrgNumberError) as error:
        normalise_org_number(raw)
    assert error.value.code == "format"


def test_with_check_digit_round_trips():
    number = with_check_digit("802470003")
    assert normalise_org_number(number) == number
    with pytest.raises(OrgNumberError):
        with_check_digit("12345")
