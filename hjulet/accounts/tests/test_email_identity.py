"""An account is found by one canonical form of its address (issue #15, point 1): other
spellings of the same address (case, the long s, full-width letters) are the same account;
look-alike addresses (the dotless ı, Cyrillic letters) are other accounts; and mail about an
account goes to the account's stored address, never to the address as typed."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import User
from hjulet.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ANNA = "anna.svensson@gmail.com"
DOTLESS = "anna.svensson@gmaıl.com"  # U+0131: a domain anyone can register
CYRILLIC = "anna.svensson@gmаil.com"  # U+0430 for the a of gmail
SAME_ADDRESS = [
    "ANNA.SVENSSON@GMAIL.COM",
    "anna.svenſſon@gmail.com",  # the long s, U+017F
    "ａｎｎａ.svensson@gmail.com",  # full-width letters
    "anna.svensson@ｇｍａｉｌ.ｃｏｍ",
]


@pytest.fixture
def anna(db):
    return UserFactory(email=ANNA, name="Anna Svensson")


def request_login_link(client, email, after_commit, mailoutbox) -> str:
    with after_commit():
        response = client.post(reverse("accounts:email-login"), {"email": email})
    assert response.status_code == 200
    return (
        re.search(r"http://\S+", mailoutbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")
    )


def test_login_link_for_a_look_alike_address_never_opens_annas_account(
    client, anna, mailoutbox, after_commit
):
    link = request_login_link(client, DOTLESS, after_commit, mailoutbox)
    assert [m.to for m in mailoutbox] == [[DOTLESS]], "nothing is sent about Anna's account"
    client.post(link, {"name": "Anna Andersson"})
    signed_in = User.objects.get(pk=client.session["_auth_user_id"])
    assert signed_in != anna
    assert signed_in.email == DOTLESS
    anna.refresh_from_db()
    assert anna.last_login is None
    assert User.objects.count() == 2


def test_password_login_with_a_look_alike_address_is_refused(client, anna):
    response = client.post(reverse("accounts:login"), {"username": DOTLESS, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_for_a_look_alike_address_sends_nothing(client, anna, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": DOTLESS})
    assert response.status_code == 302
    assert mailoutbox == []


def test_sign_up_with_a_look_alike_address_is_another_account(anna, mailoutbox, after_commit):
    with after_commit():
        user = services.user_register(email=CYRILLIC, password="cykel-vinter-2026", name="Anna")
        other = services.user_register(email=DOTLESS, password="cykel-vinter-2026", name="Anna")
    assert user is not None and other is not None
    assert len({anna.email_canonical, user.email_canonical, other.email_canonical}) == 3
    assert [m.to for m in mailoutbox] == [[CYRILLIC], [DOTLESS]], "Anna is told nothing"


@pytest.mark.parametrize("spelling", SAME_ADDRESS)
def test_other_spellings_of_the_address_are_annas_account(
    client, anna, mailoutbox, after_commit, spelling
):
    link = request_login_link(client, spelling, after_commit, mailoutbox)
    assert mailoutbox[-1].to == [ANNA], "the link goes to the stored address, not as typed"
    client.post(link)
    assert client.session["_auth_user_id"] == str(anna.pk)
    assert User.objects.count() == 1

    client.logout()
    response = client.post(reverse("accounts:login"), {"username": spelling, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(anna.pk)

    client.logout()
    client.post(reverse("accounts:password-reset"), {"email": spelling})
    assert mailoutbox[-1].to == [ANNA]
    assert "nytt-losenord" in mailoutbox[-1].body


@pytest.mark.parametrize("spelling", SAME_ADDRESS)
def test_the_database_holds_one_account_per_address(anna, spelling):
    with pytest.raises(IntegrityError):
        UserFactory(email=spelling)


def test_an_address_without_a_canonical_form_is_explained(client, mailoutbox):
    # Passes Django's e-mail check, but "xn--a" is no domain name IDNA can read.
    response = client.post(reverse("accounts:email-login"), {"email": "anna@xn--a.se"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert mailoutbox == []


def test_invitations_find_members_by_canonical_address(org_admin, member, organisation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="redan medlem"):
        services.invitation_create(
            actor=org_admin, organisation=organisation, email="MEDLEM@exempel.ſe"
        )


def test_migration_fills_canonical_addresses_and_closes_later_duplicates(db):
    """Accounts made before the canonical form could spell one address twice (SQLite
    matched only ASCII case-insensitively): the first keeps it, the later one is closed."""
    migration = importlib.import_module("hjulet.accounts.migrations.0004_user_email_canonical")
    first = UserFactory(email="medlem@exempel.se", email_canonical="placeholder-1")
    later = UserFactory(email="medlem@exempel.ſe", email_canonical="placeholder-2")
    other = UserFactory(email="Olle@Exempel.SE", email_canonical="placeholder-3")
    User.objects.filter(pk=later.pk).update(date_joined=first.date_joined.replace(year=2030))

    migration.fill_canonical(apps, None)

    for user in (first, later, other):
        user.refresh_from_db()
    assert first.email_canonical == "medlem@exempel.se" and first.is_active
    assert later.email_canonical.startswith("medlem@exempel.se#duplicate-of-")
    assert not later.is_active
    assert other.email_canonical == "olle@exempel.se"
    assert User.objects.by_email("Medlem@Exempel.ſe").get() == first
