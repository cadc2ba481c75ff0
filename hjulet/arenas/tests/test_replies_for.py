"""An organisation's reply carries its badge: a member may answer for their organisation
("svarar för Hyresbostäder i Norrköping"); nobody else can (issue 19)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hjulet.accounts import services as account_services
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import Comment
from hjulet.core.models import AuditEntry

from .factories import make_arena, make_challenge

pytestmark = pytest.mark.django_db

HOUSING = "Hyresbostäder i Norrköping"


@pytest.fixture
def place(db):
    arena = make_arena()
    challenge = make_challenge(arena.lead_admin, arena=arena)
    resident = UserFactory(name="Ida Invånare")
    idea = services.idea_create(actor=resident, challenge=challenge, title="Läxhjälp", body="B")
    housing = OrganisationFactory(name=HOUSING)
    host = UserFactory(name="Hanna Hyresvärd")
    MembershipFactory(user=host, organisation=housing)
    return {"idea": idea, "housing": housing, "host": host, "resident": resident}


def test_a_member_answers_for_the_organisation_and_the_page_shows_the_badge(client, place):
    client.force_login(place["host"])
    url = reverse("arenas:idea-detail", args=[place["idea"].pk])
    page = client.get(url).content.decode()
    assert f'<option value="{place["housing"].pk}">{HOUSING}</option>' in page
    assert "Bara för mig själv" in page
    response = client.post(
        url, {"body": "Vi ordnar en lokal.", "organisation": place["housing"].pk}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.organisation == place["housing"]
    html = client.get(url).content.decode()
    assert f'Hanna Hyresvärd <span class="badge replies-for">svarar för {HOUSING}</span>' in html
    # a reply answers for the organisation too
    reply = client.post(
        url, {"body": "Tisdagar.", "parent": comment.pk, "organisation": place["housing"].pk}
    )
    assert reply.status_code == 302
    assert Comment.objects.get(parent=comment).organisation == place["housing"]
    assert client.get(url).content.decode().count(f"svarar för {HOUSING}") == 2


def test_a_comment_for_oneself_has_no_badge(client, place):
    client.force_login(place["host"])
    url = reverse("arenas:idea-detail", args=[place["idea"].pk])
    assert client.post(url, {"body": "Jag tycker till.", "organisation": ""}).status_code == 302
    assert Comment.objects.get().organisation is None
    assert "replies-for" not in client.get(url).content.decode()


def test_people_without_organisations_are_not_offered_the_choice(client, place):
    client.force_login(place["resident"])
    page = client.get(reverse("arenas:idea-detail", args=[place["idea"].pk])).content.decode()
    assert 'name="organisation"' not in page


def test_nobody_answers_for_an_organisation_they_are_not_a_member_of(client, place):
    with pytest.raises(ValidationError) as error:
        services.comment_create(
            actor=place["resident"],
            idea=place["idea"],
            body="Jag låtsas vara bostadsbolaget.",
            organisation=place["housing"],
        )
    assert "organisation" in error.value.message_dict
    assert not Comment.objects.exists()
    assert not AuditEntry.objects.filter(action="comment.create").exists()
    # the page refuses the forged choice too, and keeps what was typed
    MembershipFactory(user=place["resident"], organisation=OrganisationFactory(name="Grannar"))
    client.force_login(place["resident"])
    url = reverse("arenas:idea-detail", args=[place["idea"].pk])
    response = client.post(url, {"body": "Förfalskat", "organisation": place["housing"].pk})
    assert response.status_code == 400
    assert "Förfalskat" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_api_answers_for_an_organisation_and_names_it(client, place):
    _token, secret = account_services.api_token_create(actor=place["host"], name="Skript")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/v1/ideas/{place['idea'].pk}/comments"
    body = {"body": "Vi ordnar en lokal.", "organisation": place["housing"].pk}
    created = client.post(url, json.dumps(body), content_type="application/json", **headers)
    assert created.status_code == 201
    assert created.json()["replies_for"] == HOUSING
    assert client.get(url).json()["items"][0]["replies_for"] == HOUSING

    _token, other = account_services.api_token_create(actor=place["resident"], name="Skript")
    refused = client.post(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert refused.status_code == 400 and "organisation" in refused.json()["errors"]
    unknown = client.post(
        url,
        json.dumps({**body, "organisation": 999999}),
        content_type="application/json",
        **headers,
    )
    assert unknown.status_code == 400
    assert Comment.objects.count() == 1
