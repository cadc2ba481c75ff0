"""The API follows the same rules as the pages, with JSON errors."""

import json

import pytest

from hjulet.accounts.tests.factories import UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import Idea

from .factories import make_arena, make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(db):
    arena = make_arena()
    challenge = make_challenge(arena.lead_admin, arena=arena)
    challenge.arena_ = arena
    return challenge


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_reads_are_public(client, challenge):
    assert client.get("/api/v1/arenas").json()["items"][0]["is_cross_sector"] is True
    body = client.get(f"/api/v1/challenges/{challenge.slug}").json()
    assert body["phases"][0]["code"] == "ideas" and body["sdgs"][0]["code"] == "10"
    assert client.get("/api/v1/challenges/finns-inte").status_code == 404


def test_resident_posts_supports_and_gets_clear_errors(as_user, client, resident, challenge):
    assert (
        post(
            client, f"/api/v1/challenges/{challenge.slug}/ideas", {"title": "T", "body": "B"}
        ).status_code
        == 401
    )
    api = as_user(resident)
    response = post(
        api, f"/api/v1/challenges/{challenge.slug}/ideas", {"title": "Idé", "body": "B"}
    )
    assert response.status_code == 201
    idea_id = response.json()["id"]
    supporter = as_user(UserFactory())
    assert post(supporter, f"/api/v1/ideas/{idea_id}/support").status_code == 201
    second = post(supporter, f"/api/v1/ideas/{idea_id}/support")
    assert second.status_code == 400 and "redan" in second.json()["detail"]
    own = post(api, f"/api/v1/ideas/{idea_id}/support")
    assert own.status_code == 400 and "din egen idé" in own.json()["detail"]
    withdrawn = supporter.delete(f"/api/v1/ideas/{idea_id}/support")
    assert withdrawn.status_code == 200 and "tagit tillbaka" in withdrawn.json()["detail"]
    again = supporter.delete(f"/api/v1/ideas/{idea_id}/support")
    assert again.status_code == 400 and "stöder inte" in again.json()["detail"]
    assert client.delete(f"/api/v1/ideas/{idea_id}/support").status_code == 401
    assert post(supporter, f"/api/v1/ideas/{idea_id}/support").status_code == 201
    comment = post(supporter, f"/api/v1/ideas/{idea_id}/comments", {"body": "<b>hej</b>"})
    assert comment.status_code == 201
    bad_parent = post(supporter, f"/api/v1/ideas/{idea_id}/comments", {"body": "x", "parent": 999})
    assert bad_parent.status_code == 400 and "parent" in bad_parent.json()["errors"]
    assert post(supporter, f"/api/v1/ideas/{idea_id}/initiative").status_code == 403
    assert post(api, f"/api/v1/ideas/{idea_id}/report", {"reason": "spam"}).status_code == 400
    assert (
        post(supporter, f"/api/v1/ideas/{idea_id}/report", {"reason": "nonsense"}).status_code
        == 400
    )


def test_creating_challenges_needs_a_role(as_user, outsider, challenge):
    data = {
        "title": "Ny",
        "arena": challenge.arena.slug,
        "problem": "P",
        "affected": "A",
        "municipality": "2480",
        "ideas_from": "2026-01-01",
        "develop_from": "2026-02-01",
        "test_from": "2026-03-01",
        "evaluate_from": "2026-04-01",
        "ends_on": "2026-05-01",
    }
    assert post(as_user(outsider), "/api/v1/challenges", data).status_code == 403
    owner = as_user(challenge.arena_.lead_admin)
    assert post(owner, "/api/v1/challenges", {**data, "municipality": "9999"}).status_code == 400
    assert post(owner, "/api/v1/challenges", {**data, "sdgs": ["99"]}).status_code == 400
    assert post(owner, "/api/v1/challenges", data).status_code == 201


def test_hidden_ideas_are_not_found(client, challenge, resident):
    idea = services.idea_create(actor=resident, challenge=challenge, title="T", body="B")
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 404
    assert client.get(f"/api/v1/challenges/{challenge.slug}/ideas").json()["items"] == []


def test_only_moderators_decide_through_the_api(as_user, challenge, resident, moderator):
    idea = services.idea_create(actor=resident, challenge=challenge, title="T", body="B")
    comment = services.comment_create(actor=resident, idea=idea, body="Skräp")
    data = {"decision": "remove", "explanation": "Skräppost."}
    url = f"/api/v1/ideas/comments/{comment.pk}/decision"
    assert post(as_user(resident), url, data).status_code == 403
    assert post(as_user(moderator), url, data).status_code == 400  # nothing reported yet
    for _ in range(3):
        post(
            as_user(UserFactory()),
            f"/api/v1/ideas/comments/{comment.pk}/report",
            {"reason": "spam"},
        )
    comment.refresh_from_db()
    assert comment.is_hidden
    assert post(as_user(moderator), url, {**data, "decision": "maybe"}).status_code == 400
    assert post(as_user(moderator), url, data).status_code == 200
    comment.refresh_from_db()
    assert comment.is_removed
    assert post(as_user(moderator), "/api/v1/ideas/999/decision", data).status_code == 404


def test_nul_characters_are_bad_input_not_a_crash(as_user, resident, challenge):
    response = post(
        as_user(resident),
        f"/api/v1/challenges/{challenge.slug}/ideas",
        {"title": "a\x00", "body": "b"},
    )
    # Refused before the view by core's RejectNullCharactersMiddleware, with a JSON body.
    assert response.status_code == 400 and response.json()["detail"]
    assert not Idea.objects.exists()
