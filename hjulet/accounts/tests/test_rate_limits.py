"""Log-in, sign-up and e-mail link forms refuse bursts of posts with a 429 page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/10m", "login_per_email": "2/10m"}
    settings.RATE_LIMITS.update(signup="2/h", email="2/h")


def post_login(client, email: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": "fel lösenord"},
        REMOTE_ADDR=address,
    )


def test_log_in_attempts_beyond_the_limit_get_a_429_in_swedish(client, member, low_limits):
    responses = [post_login(client, f"person{n}@exempel.se") for n in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "För många försök" in responses[-1].content.decode()
    assert responses[-1]["Retry-After"] == "600"
    # Another address is not affected.
    assert post_login(client, "person9@exempel.se", address="10.0.0.2").status_code == 200


def test_one_account_cannot_be_guessed_at_from_many_addresses(client, member, low_limits):
    codes = [
        post_login(client, member.email.upper(), address=f"10.0.1.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_reading_the_log_in_page_is_never_limited(client, low_limits):
    for _ in range(5):
        assert client.get(reverse("accounts:login")).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("accounts:signup", {"email": "ny@exempel.se"}),
        ("accounts:email-login", {"email": "ny@exempel.se"}),
        ("accounts:password-reset", {"email": "ny@exempel.se"}),
        ("accounts:verify-resend", {"email": "ny@exempel.se"}),
    ],
)
def test_forms_that_send_mail_or_create_accounts_are_limited(client, low_limits, url_name, data):
    codes = [client.post(reverse(url_name), data).status_code for _ in range(3)]
    assert codes[:2] != [429, 429]
    assert codes[2] == 429


# Every spelling of one address is one count (issue #15, point 4): before, the limit was
# keyed on the address in lower case, so `medlem@exempel.ſe` started a count of its own.
SPELLINGS = [
    "medlem@exempel.se",
    "MEDLEM@EXEMPEL.SE",
    "medlem@exempel.ſe",  # the long s, U+017F
    "ｍｅｄｌｅｍ@exempel.se",  # full-width letters
    "medlem@ｅｘｅｍｐｅｌ.ｓｅ",
]


def test_every_spelling_of_an_address_counts_towards_one_login_limit(client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_per_email": f"{len(SPELLINGS) - 1}/10m"}
    codes = [
        post_login(client, spelling, address=f"10.0.2.{n}").status_code
        for n, spelling in enumerate(SPELLINGS)
    ]
    assert codes == [200] * (len(SPELLINGS) - 1) + [429]


@pytest.mark.parametrize(
    "url_name", ["accounts:email-login", "accounts:password-reset", "accounts:verify-resend"]
)
def test_every_spelling_of_an_address_counts_towards_one_mail_limit(
    client, member, settings, url_name
):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "email_per_address": f"{len(SPELLINGS) - 1}/h",
    }
    codes = [
        client.post(reverse(url_name), {"email": spelling}, REMOTE_ADDR=f"10.0.3.{n}").status_code
        for n, spelling in enumerate(SPELLINGS)
    ]
    assert 429 not in codes[:-1]
    assert codes[-1] == 429


def test_sign_up_counts_towards_the_mail_limit_of_the_address(client, member, settings):
    """Sign-up with a taken address mails its owner: it must not flood that inbox."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email_per_address": "2/h"}
    data = {"email": "medlem@exempel.ſe", "password": "x", "password_again": "x"}
    codes = [
        client.post(reverse("accounts:signup"), data, REMOTE_ADDR=f"10.0.4.{n}").status_code
        for n in range(3)
    ]
    assert codes[2] == 429
