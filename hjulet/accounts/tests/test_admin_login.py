"""The admin site's own login form had no rate limit (issue #15, point 3): 30 wrong
passwords, then the right one, were accepted. Operators now log in through Hjulet's login
page, with its limits; /admin/login/ only sends them there."""

import pytest
from django.conf import settings
from django.test import Client
from django_ratelimit.core import _split_rate

from hjulet.accounts.models import User
from hjulet.accounts.tests.factories import PASSWORD
from hjulet.core.tests.ratelimit_windows import address_with_room

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def operator(db) -> User:
    _limit, period = _split_rate(settings.RATE_LIMITS["login_per_email"])
    return User.objects.create_superuser(address_with_room(period), PASSWORD)


def test_thirty_wrong_passwords_then_the_right_one_at_the_admin_login_get_nobody_in(operator):
    client = Client()
    for attempt in range(30):
        client.post(ADMIN_LOGIN, {"username": operator.email, "password": f"fel-{attempt}"})
    response = client.post(ADMIN_LOGIN, {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_guessing_where_the_admin_login_sends_you_is_rate_limited(operator):
    client = Client()
    to_admin_login = client.get("/admin/")
    assert to_admin_login["Location"] == ADMIN_LOGIN
    login_url = client.get(to_admin_login["Location"])["Location"]
    assert login_url == "/konto/logga-in/?next=/admin/"
    codes = [
        client.post(login_url, {"username": operator.email, "password": f"fel-{attempt}"})
        for attempt in range(30)
    ]
    codes = [response.status_code for response in codes]
    assert set(codes[:10]) == {200}
    assert set(codes[10:]) == {429}, "login_per_email: 10 in 10 minutes"
    right = client.post(login_url, {"username": operator.email, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_operators_reach_the_admin_through_the_normal_login(operator):
    client = Client()
    page = client.get(ADMIN_LOGIN, follow=True)
    assert page.status_code == 200
    assert page.redirect_chain == [("/konto/logga-in/?next=/admin/", 302)]
    response = client.post(
        "/konto/logga-in/?next=/admin/",
        {"username": operator.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(ADMIN_LOGIN)["Location"] == "/admin/", "signed in: straight on"


def test_signed_in_people_without_admin_access_are_told_so(as_user, member):
    response = as_user(member).get(ADMIN_LOGIN)
    assert response.status_code == 403
    assert "administrationssidorna" in response.content.decode()


def test_the_admin_login_sends_nobody_to_another_site(operator):
    response = Client().get("/admin/login/?next=https://angripare.example/")
    assert response["Location"] == "/konto/logga-in/?next=/admin/"
