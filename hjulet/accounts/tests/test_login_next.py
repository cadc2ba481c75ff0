"""Signing in returns to where the person was going (issue 19): ``next`` with the password,
and through the e-mail link, whose signed token carries it. Another site never: an external
address, ``//host`` or ``/\\host`` sends the person to their profile instead."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOING_TO = "/forskarverkstad/fragor/?status=accepted"
ELSEWHERE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]


@pytest.fixture
def person(db):
    return UserFactory(email="person@exempel.se")


def log_in(client, next_url):
    return client.post(
        reverse("accounts:login"),
        {"username": "person@exempel.se", "password": PASSWORD, "next": next_url},
    )


def email_link(client, mailoutbox, after_commit, email, next_url=None) -> str:
    data = {"email": email, **({"next": next_url} if next_url is not None else {})}
    with after_commit():
        response = client.post(reverse("accounts:email-login"), data)
    assert response.status_code == 200
    return re.search(r"http://\S+", mailoutbox[-1].body).group(0).split("8000", 1)[1]


def test_password_login_returns_to_the_page(client, person):
    response = log_in(client, GOING_TO)
    assert response.status_code == 302 and response["Location"] == GOING_TO


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_password_login_never_leaves_the_site(client, person, elsewhere):
    response = log_in(client, elsewhere)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")


def test_a_page_that_needs_signing_in_sends_there_after_login(client, person):
    target = reverse("core:notifications")
    response = client.get(target)
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login")) and "next=" in login_url
    page = client.get(login_url).content.decode()
    assert f'name="next" value="{target}"' in page
    assert f"{reverse('accounts:email-login')}?next={target}" in page  # the link way too
    assert log_in(client, target)["Location"] == target


def test_the_header_log_in_link_carries_the_page(client, db):
    page = client.get("/utmaningar/?fas=ideas").content.decode()
    assert f"{reverse('accounts:login')}?next=/utmaningar/%3Ffas%3Dideas" in page


def test_email_link_returns_to_the_page(client, person, mailoutbox, after_commit):
    form = client.get(reverse("accounts:email-login"), {"next": GOING_TO}).content.decode()
    assert 'name="next" value="/forskarverkstad/fragor/?status=accepted"' in form
    link = email_link(client, mailoutbox, after_commit, person.email, GOING_TO)
    assert "evil" not in link
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == GOING_TO
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_new_resident_joining_by_link_returns_to_the_page(client, mailoutbox, after_commit):
    link = email_link(client, mailoutbox, after_commit, "ny@exempel.se", "/utmaningar/")
    assert client.post(link, {"name": "Nina Ny"})["Location"] == "/utmaningar/"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_email_link_never_leaves_the_site(client, person, mailoutbox, after_commit, elsewhere):
    form = client.get(reverse("accounts:email-login"), {"next": elsewhere}).content.decode()
    assert form.count('name="next"') == 1  # the language switch's only, not the form's
    link = email_link(client, mailoutbox, after_commit, person.email, elsewhere)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "n" not in signing.loads(token, salt=services.EMAIL_LOGIN_SALT)
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")


def test_a_forged_destination_in_the_link_is_refused(client, person, mailoutbox, after_commit):
    link = email_link(client, mailoutbox, after_commit, person.email, GOING_TO)
    token = link.rstrip("/").rsplit("/", 1)[1]
    data = signing.loads(token, salt=services.EMAIL_LOGIN_SALT)
    forged = signing.dumps({**data, "n": "//evil.example/"}, salt="another salt")
    response = client.post(reverse("accounts:email-login-complete", args=[forged]))
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_local_path_keeps_only_paths_on_this_site():
    assert services.local_path("/utmaningar/?q=1#a") == "/utmaningar/?q=1#a"
    for elsewhere in [*ELSEWHERE, "", None, "utmaningar/", "http://testserver/"]:
        assert services.local_path(elsewhere) == ""
