import re

import pytest
from django.urls import reverse

from hjulet.accounts.models import User
from hjulet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def request_link(client, email, after_commit, mailoutbox) -> str:
    with after_commit():
        response = client.post(reverse("accounts:email-login"), {"email": email})
    assert response.status_code == 200
    body = mailoutbox[-1].body
    return re.search(r"http://\S+", body).group(0).replace("http://127.0.0.1:8000", "")


def test_resident_joins_with_just_an_email(client, mailoutbox, after_commit):
    link = request_link(client, "Boende@Exempel.se", after_commit, mailoutbox)
    assert not User.objects.exists(), "the account is created only when the link is used"
    page = client.get(link)  # a confirm button: mail scanners only GET
    assert page.status_code == 200
    assert 'name="name"' in page.content.decode(), "a new account chooses its public name"
    assert "Visas öppet" in page.content.decode()
    assert not User.objects.exists()
    # without a name nothing is created, and the link still works
    assert client.post(link, {"name": ""}).status_code == 400
    assert client.post(link, {"name": "boende@exempel.se"}).status_code == 400
    assert not User.objects.exists()
    response = client.post(link, {"name": "  Bo   Boende "})
    assert response.status_code == 302
    user = User.objects.get()
    assert user.name == "Bo Boende"
    assert user.email == "boende@exempel.se"
    assert user.is_email_verified
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.filter(action="user.register_by_email", actor=user).exists()


def test_login_link_works_once(client, member, mailoutbox, after_commit):
    link = request_link(client, member.email, after_commit, mailoutbox)
    assert 'name="name"' not in client.get(link).content.decode(), "an account has its name"
    assert client.post(link).status_code == 302
    client.logout()
    again = client.post(link)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


def test_link_for_new_address_cannot_create_twice(client, mailoutbox, after_commit):
    link = request_link(client, "ny@exempel.se", after_commit, mailoutbox)
    client.post(link, {"name": "Nora Ny"})
    client.logout()
    assert client.post(link, {"name": "Nora Ny"}).status_code == 400
    assert User.objects.filter(email="ny@exempel.se").count() == 1


def test_expired_login_link(client, member, settings, mailoutbox, after_commit):
    link = request_link(client, member.email, after_commit, mailoutbox)
    settings.EMAIL_LOGIN_MAX_AGE = -1
    response = client.post(link)
    assert response.status_code == 400
    assert "gått ut" in response.content.decode()


def test_closed_account_gets_no_link(client, member, mailoutbox, after_commit):
    member.is_active = False
    member.save()
    with after_commit():
        client.post(reverse("accounts:email-login"), {"email": member.email})
    assert mailoutbox == []


def test_invalid_address_is_explained(client):
    response = client.post(reverse("accounts:email-login"), {"email": "inte en adress"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
