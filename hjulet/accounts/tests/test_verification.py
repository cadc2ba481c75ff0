"""The e-mail confirmation link confirms the address once and logs nobody in (issue #15,
point 2): before, it was a reusable three-day login link that also outlived a password
reset."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "cykel-vinter-2026"


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")


@pytest.fixture
def signed_up(mailoutbox, after_commit) -> tuple[User, str]:
    with after_commit():
        user = services.user_register(email="ny@exempel.se", password=PASSWORD, name="Nora Ny")
    return user, link_in(mailoutbox[-1])


def test_the_link_confirms_without_logging_in(signed_up):
    user, link = signed_up
    client = Client()
    response = client.get(link, follow=True)
    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert "Logga in för att fortsätta" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.is_email_verified


def test_the_link_works_once_and_says_so_the_second_time(signed_up):
    _user, link = signed_up
    assert Client().get(link).status_code == 302
    for client in (Client(), Client()):  # another browser, another mail client
        again = client.get(link)
        assert again.status_code == 400
        page = again.content.decode()
        assert "Länken är redan använd" in page
        assert reverse("accounts:login") in page
        assert "_auth_user_id" not in client.session


def test_a_link_from_before_a_password_reset_no_longer_works(signed_up, mailoutbox):
    user, link = signed_up
    client = Client()
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    reset_link = link_in(mailoutbox[-1])
    form = client.get(reset_link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ett-nytt-losenord-7", "new_password2": "ett-nytt-losenord-7"},
    )
    user.refresh_from_db()
    assert user.check_password("ett-nytt-losenord-7")

    response = Client().get(link)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_changed_password_voids_an_unused_link(signed_up):
    """The link is bound to the password as well, whatever path changes it."""
    user, link = signed_up
    user.set_password("ett-nytt-losenord-7")
    user.save(update_fields=["password"])
    response = Client().get(link)
    assert response.status_code == 400
    assert "fungerar inte" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_email_verified


def test_a_closed_account_cannot_be_confirmed(signed_up):
    user, link = signed_up
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().get(link).status_code == 400
    user.refresh_from_db()
    assert not user.is_email_verified
