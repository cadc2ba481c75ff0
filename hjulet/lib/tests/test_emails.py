import pytest

from hjulet.lib.emails import InvalidEmail, canonical_email


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Anna.Svensson@Gmail.COM", "anna.svensson@gmail.com"),
        ("  anna@exempel.se ", "anna@exempel.se"),
        ("medlem@exempel.ſe", "medlem@exempel.se"),  # long s is an s (NFKC)
        ("ＡＮＮＡ@ｅｘｅｍｐｅｌ.ｓｅ", "anna@exempel.se"),  # full-width letters
        ("åsa@exempel.se", "åsa@exempel.se"),
        ("Åsa@Räksmörgås.se", "åsa@xn--rksmrgs-5wao1o.se"),
        ("anna@exempel.se.", "anna@exempel.se"),
    ],
)
def test_spellings_of_one_address_meet(typed, canonical):
    assert canonical_email(typed) == canonical


@pytest.mark.parametrize(
    ("lookalike", "real"),
    [
        ("anna.svensson@gmaıl.com", "anna.svensson@gmail.com"),  # dotless ı
        ("anna.svensson@gmail.cоm", "anna.svensson@gmail.com"),  # Cyrillic о
        ("annа@exempel.se", "anna@exempel.se"),  # Cyrillic а in the local part
        ("ıngrid@exempel.se", "ingrid@exempel.se"),  # dotless ı in the local part
    ],
)
def test_look_alikes_stay_different_addresses(lookalike, real):
    assert canonical_email(lookalike) != canonical_email(real)


@pytest.mark.parametrize("bad", ["", "anna", "@exempel.se", "anna@", "anna@-.se", "a@b..se"])
def test_addresses_without_a_usable_form_are_refused(bad):
    with pytest.raises(InvalidEmail):
        canonical_email(bad)
