"""Public display names: asked at every sign-up, asked of everyone who has none, never taken
from the e-mail address (issue 19)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import User
from hjulet.accounts.tests.factories import UserFactory
from hjulet.accounts.validators import clean_display_name
from hjulet.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "sara.svensson@exempel.se",
    "password": "cykel-vinter-2026",
    "password_again": "cykel-vinter-2026",
}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Åsa Öberg", "Åsa Öberg"),
        ("  Ali   Hassan ", "Ali Hassan"),
        ("Anna-Karin O'Neil", "Anna-Karin O'Neil"),
        ("李雷", "李雷"),
        ("Ｅｖａ", "Eva"),  # full-width letters are the letters they stand for
        ("Moderator Mo", "Moderator Mo"),
    ],
)
def test_sensible_names_are_kept_in_one_form(typed, stored):
    assert clean_display_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "display_name_required"),
        ("   ", "display_name_required"),
        ("eva.lundgren@exempel.se", "display_name_email"),
        ("eva＠exempel", "display_name_email"),  # a full-width @ is an @
        ("Eva\u200bLundgren", "display_name_invisible"),  # zero-width space
        ("Eva \u202eneergdnuL", "display_name_invisible"),  # right-to-left override
        ("E", "display_name_length"),
        ("E" * 61, "display_name_length"),
        ("12345", "display_name_no_letters"),
        ("\u0410nna", "display_name_mixed_scripts"),  # Cyrillic А and Latin nna
        ("Moderator", "display_name_reserved"),
        ("hjulet-medlem", "display_name_reserved"),
    ],
)
def test_names_that_mislead_or_expose_an_address_are_refused(typed, code):
    with pytest.raises(ValidationError) as error:
        clean_display_name(typed)
    assert error.value.code == code


def test_a_person_without_a_name_is_never_shown_by_their_address():
    user = UserFactory(email="eva.lundgren@exempel.se", name="")
    assert user.display_name == "Hjulet-medlem"  # Swedish by default
    assert "eva" not in str(user).lower() and "lundgren" not in user.display_name.lower()
    assert UserFactory(name="Eva L").display_name == "Eva L"


# --- sign-up with a password ------------------------------------------------------------


def test_sign_up_asks_for_the_public_name_and_says_it_is_public(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    field = page.split('name="name"')[1].split(">")[0]
    assert "required" in field, "the name is required"
    assert "Visas öppet" in page


@pytest.mark.parametrize("name", ["", "sara.svensson@exempel.se", "\u0405ara"])
def test_sign_up_without_a_proper_name_creates_nothing(client, name, mailoutbox):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "name": name})
    assert response.status_code == 400
    assert not User.objects.exists()
    assert mailoutbox == []
    assert 'value="sara.svensson@exempel.se"' in response.content.decode(), "nothing typed lost"


def test_sign_up_stores_the_name(client, after_commit):
    with after_commit():
        response = client.post(reverse("accounts:signup"), {**SIGNUP, "name": " Sara  S "})
    assert response.status_code == 200
    assert User.objects.get().name == "Sara S"


def test_the_service_refuses_a_missing_name_too():
    with pytest.raises(ValidationError) as error:
        services.user_register(email="ny@exempel.se", password="cykel-vinter-2026")
    assert "name" in error.value.message_dict
    assert not User.objects.exists()


# --- people who have no name yet are asked on their next visit --------------------------


@pytest.fixture
def nameless(client):
    user = UserFactory(email="utan.namn@exempel.se", name="")
    client.force_login(user)
    return user


def test_a_signed_in_person_without_a_name_is_led_to_choose_one(client, nameless):
    response = client.get("/initiativ/?sida=2")
    assert response.status_code == 302
    assert response["Location"] == "/konto/visningsnamn/?next=%2Finitiativ%2F%3Fsida%3D2"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="next" value="/initiativ/?sida=2"' in html
    assert "Visas öppet" in html

    refused = client.post(
        reverse("accounts:display-name"), {"name": "utan.namn@exempel.se", "next": "/initiativ/"}
    )
    assert refused.status_code == 400
    assert User.objects.get(pk=nameless.pk).name == ""

    chosen = client.post(
        reverse("accounts:display-name"), {"name": "Ulla Utan", "next": "/initiativ/?sida=2"}
    )
    assert chosen.status_code == 302 and chosen["Location"] == "/initiativ/?sida=2"
    assert User.objects.get(pk=nameless.pk).name == "Ulla Utan"
    entry = AuditEntry.objects.get(action="user.set_display_name")
    assert entry.actor_id == nameless.pk and entry.changes == {"name": ["", "Ulla Utan"]}
    assert client.get("/initiativ/").status_code == 200, "asked once"


def test_the_prompt_lets_people_leave_switch_language_and_send_forms(client, nameless):
    assert client.get("/api/v1/me").status_code != 302
    assert client.get(reverse("accounts:export-data")).status_code == 200
    assert client.get(reverse("accounts:delete-account")).status_code == 200
    # a form being sent is not lost: the page after it asks instead
    assert client.post("/sprak/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/sprak/", {"language": "en", "next": "/"})["Location"] == "/"
    assert client.get("/", headers={"HX-Request": "true"}).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and "visningsnamn" not in response["Location"]
    assert client.get("/").status_code == 200, "signed out, nobody is asked"


def test_the_prompt_never_sends_anyone_to_another_site(client, nameless):
    response = client.post(
        reverse("accounts:display-name"), {"name": "Ulla", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:profile")


def test_people_with_a_name_are_not_asked(client, member):
    client.force_login(member)
    assert client.get("/initiativ/").status_code == 200


def test_only_oneself_chooses_one_s_name(member, org_admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.user_set_display_name(actor=org_admin, user=member, name="Någon annan")
    assert User.objects.get(pk=member.pk).name == "Maja Medlem"


def test_the_profile_refuses_an_address_as_name(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile"), {"name": "maja@exempel.se", "language": "sv"}
    )
    assert response.status_code == 400
    assert "e-postadress" in response.content.decode()
    assert User.objects.get(pk=member.pk).name == "Maja Medlem"


# --- the API --------------------------------------------------------------------------


def patch_me(client, body: str, **headers):
    return client.generic("POST", "/api/v1/me", body, content_type="application/json", **headers)


def test_the_api_changes_one_s_public_name(client, nameless):
    _token, secret = services.api_token_create(actor=nameless, name="Skript")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    refused = patch_me(client, '{"name": "utan.namn@exempel.se"}', **headers)
    assert refused.status_code == 400
    assert "e-postadress" in refused.json()["errors"]["name"][0]
    assert User.objects.get(pk=nameless.pk).name == ""
    saved = patch_me(client, '{"name": "Ulla Utan"}', **headers)
    assert saved.status_code == 200 and saved.json()["name"] == "Ulla Utan"
    language = patch_me(client, '{"language": "en"}', **headers)
    assert language.status_code == 200
    assert User.objects.get(pk=nameless.pk).language == "en"
    assert patch_me(client, '{"language": "fi"}', **headers).status_code == 400
    assert AuditEntry.objects.filter(action="user.update", target_id=str(nameless.pk)).count() == 2


def test_the_api_needs_a_signed_in_person(client):
    assert patch_me(client, '{"name": "Ulla"}').status_code == 401
