import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

from hjulet.accounts import services
from hjulet.accounts.models import User
from hjulet.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Sara Svensson",
    "email": "Sara@Exempel.se",
    "password": "cykel-vinter-2026",
    "password_again": "cykel-vinter-2026",
}


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_sign_up_verify_and_log_in(client, mailoutbox, after_commit):
    with after_commit():
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    user = User.objects.get()
    assert user.email == "sara@exempel.se"
    assert not user.is_email_verified
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sara@exempel.se"]
    assert "Bekräfta" in mailoutbox[0].subject  # Swedish by default

    refused = client.post(
        reverse("accounts:login"), {"username": "sara@exempel.se", "password": SIGNUP["password"]}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session

    verified = client.get(link_in(mailoutbox[0]))
    assert verified.status_code == 302
    assert verified["Location"] == reverse("accounts:login"), "the link confirms, not logs in"
    assert "_auth_user_id" not in client.session
    assert User.objects.get().is_email_verified
    assert AuditEntry.objects.filter(action="user.verify_email", actor=user).exists()
    assert "bekräftad" in client.get(verified["Location"]).content.decode()

    logged_in = client.post(
        reverse("accounts:login"), {"username": "SARA@exempel.se", "password": SIGNUP["password"]}
    )
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"password_again": "annat-losenord-99"}, "stämmer inte överens"),
        ({"password": "12345678", "password_again": "12345678"}, "numeriskt"),
        ({"email": "inte-en-adress"}, "e-postadress"),
    ],
)
def test_bad_sign_up_input_is_explained_and_saves_nothing(client, change, fragment):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **change})
    assert response.status_code == 400
    assert fragment in response.content.decode().lower()
    assert not User.objects.exists()


def test_expired_verification_link_offers_a_new_one(client, settings, mailoutbox, after_commit):
    with after_commit():
        user = services.user_register(
            email="ny@exempel.se", password="cykel-vinter-2026", name="Nora Ny"
        )
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.get(link_in(mailoutbox[0]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "gått ut" in page
    assert reverse("accounts:verify-resend") in page
    user.refresh_from_db()
    assert not user.is_email_verified


def test_tampered_verification_link_is_400(client, member):
    token = signing.dumps({"u": member.pk, "e": member.email}, salt="something-else")
    assert client.get(reverse("accounts:verify", args=[token])).status_code == 400
    assert client.get(reverse("accounts:verify", args=["garbage"])).status_code == 400


def test_resend_verification_does_not_reveal_accounts(client, mailoutbox, after_commit):
    with after_commit():
        services.user_register(email="ny@exempel.se", password="cykel-vinter-2026", name="Nora Ny")
        unknown = client.post(reverse("accounts:verify-resend"), {"email": "okand@exempel.se"})
        known = client.post(reverse("accounts:verify-resend"), {"email": "ny@exempel.se"})
    assert unknown.status_code == known.status_code == 200
    assert [m.to for m in mailoutbox] == [["ny@exempel.se"], ["ny@exempel.se"]]


def test_forged_csrf_is_a_clear_403(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 403
    assert (
        "ingenting sparades" in response.content.decode().lower()
        or "inget sparades" in response.content.decode().lower()
    )
    assert not User.objects.filter(email="sara@exempel.se").exists()


# --- sign-up does not tell who has an account (issue #15, point 5) -----------------------


def without_tokens(response) -> str:
    """The page, less what differs between any two requests (the masked CSRF token)."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', page)


@pytest.mark.parametrize(
    "spelling", ["medlem@exempel.se", "MEDLEM@exempel.se", "medlem@exempel.ſe"]
)
def test_sign_up_with_a_taken_address_answers_as_for_a_free_one(
    member, mailoutbox, after_commit, spelling
):
    from django.test import Client

    def sign_up(email):
        with after_commit():
            return Client().post(reverse("accounts:signup"), {**SIGNUP, "email": email})

    taken = sign_up(spelling)
    free = sign_up(spelling.replace("medlem", "ledig").replace("MEDLEM", "LEDIG"))
    assert taken.status_code == free.status_code == 200
    assert without_tokens(taken) == without_tokens(free).replace("ledig", "medlem")
    assert sorted(taken.cookies) == sorted(free.cookies)
    assert "finns redan" not in without_tokens(taken)

    # No second account; the owner is told, at the account's own address.
    assert User.objects.by_email("medlem@exempel.se").get() == member
    assert User.objects.filter(email_canonical="medlem@exempel.se").count() == 1
    notice, verification = mailoutbox
    assert notice.to == ["medlem@exempel.se"]
    assert "försökte skapa ett konto" in notice.subject.lower()
    assert reverse("accounts:password-reset") in notice.body
    assert reverse("accounts:login") in notice.body
    assert verification.to == ["ledig@exempel.se"]
    member.refresh_from_db()
    assert member.check_password("ett-bra-losenord-42"), "the existing password is untouched"
    assert AuditEntry.objects.filter(action="user.register_existing", target_id=str(member.pk))


def test_bad_password_is_explained_the_same_for_a_taken_and_a_free_address(client, member):
    weak = {"password": "12345678", "password_again": "12345678"}
    taken = client.post(reverse("accounts:signup"), {**SIGNUP, **weak, "email": member.email})
    free = client.post(reverse("accounts:signup"), {**SIGNUP, **weak, "email": "ny@exempel.se"})
    assert taken.status_code == free.status_code == 400
    assert without_tokens(taken) == without_tokens(free).replace("ny@exempel.se", member.email)


def test_closed_account_gets_no_notice_and_no_new_account(client, member, mailoutbox, after_commit):
    member.is_active = False
    member.save()
    with after_commit():
        response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": member.email})
    assert response.status_code == 200
    assert mailoutbox == []
    assert User.objects.filter(email_canonical=member.email_canonical).count() == 1


@pytest.mark.parametrize(
    ("wanted", "then"),
    [
        ("/utmaningar/ide/3/?visa=1", "/utmaningar/ide/3/?visa=1"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
    ],
)
def test_signing_up_returns_to_where_the_person_was_going(
    client, mailoutbox, after_commit, wanted, then
):
    page = client.get(reverse("accounts:signup"), {"next": wanted}).content.decode()
    assert (f'<input type="hidden" name="next" value="{wanted}">' in page) == bool(then)
    with after_commit():
        client.post(reverse("accounts:signup"), {**SIGNUP, "next": wanted})
    verified = client.get(link_in(mailoutbox[0]))
    login = reverse("accounts:login")
    assert verified["Location"] == (f"{login}?{urlencode({'next': then})}" if then else login)
    signed_in = client.post(
        verified["Location"],
        {"username": "sara@exempel.se", "password": SIGNUP["password"], "next": then},
    )
    assert signed_in["Location"] == (then or reverse("accounts:profile"))
