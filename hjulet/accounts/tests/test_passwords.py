import re

import pytest
from django.urls import reverse

from hjulet.accounts.tests.factories import PASSWORD
from hjulet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_password_reset_by_email(client, member, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "nytt-bra-losenord-77", "new_password2": "nytt-bra-losenord-77"}
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password("nytt-bra-losenord-77")
    assert AuditEntry.objects.filter(action="user.reset_password", actor=member).exists()


def test_used_reset_link_shows_a_clear_message(client, member, mailoutbox):
    client.post(reverse("accounts:password-reset"), {"email": member.email})
    path = re.search(r"https?://\S+", mailoutbox[0].body).group(0).split("testserver", 1)[1]
    member.set_password("changed-elsewhere-55")
    member.save()
    page = client.get(path, follow=True).content.decode()
    assert "fungerar inte" in page


def test_change_password_requires_the_old_one(as_user, member):
    client = as_user(member)
    wrong = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "fel",
            "new_password1": "nytt-bra-losenord-77",
            "new_password2": "nytt-bra-losenord-77",
        },
    )
    assert wrong.status_code == 200
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    right = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "nytt-bra-losenord-77",
            "new_password2": "nytt-bra-losenord-77",
        },
    )
    assert right.status_code == 302
    member.refresh_from_db()
    assert member.check_password("nytt-bra-losenord-77")
    assert client.get(reverse("accounts:profile")).status_code == 200  # still logged in


def test_resident_without_password_may_choose_one(as_user, resident):
    response = as_user(resident).post(
        reverse("accounts:password-change"),
        {"new_password1": "nytt-bra-losenord-77", "new_password2": "nytt-bra-losenord-77"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("nytt-bra-losenord-77")
