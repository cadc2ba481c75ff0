"""The API: the whole path with the same rules as the pages, JSON errors, no 500s."""

import uuid

import pytest

from hjulet.accounts.tests.api import bearer, send

from ..models import Question
from ..workflow import Status
from .factories import QUESTION, in_status, submit

pytestmark = pytest.mark.django_db


def question_payload(organisation, **overrides):
    return {
        **QUESTION,
        "organisation": organisation.pk,
        "challenges": ["ensamhet"],
        "submission_token": str(uuid.uuid4()),
        **overrides,
    }


def test_the_whole_path_through_the_api(client, member, organisation, coordinator, researcher):
    as_member, as_coordinator, as_researcher = (
        bearer(member),
        bearer(coordinator),
        bearer(researcher),
    )
    created = send(client, "post", "/api/v1/questions", question_payload(organisation), **as_member)
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["status"] == "submitted" and body["challenges"][0]["code"] == "ensamhet"
    assert body["formulations"][0]["number"] == 1
    assert sorted(body["next_statuses"]) == sorted(
        ["in_dialogue", "accepted", "referred", "advised", "declined"]
    )

    r = send(
        client,
        "post",
        f"/api/v1/questions/{pk}/formulations",
        {"text": "Hur bjuder vi in?", "comment": "Smalare"},
        **as_coordinator,
    )
    assert r.status_code == 201 and r.json()["number"] == 2
    r = send(
        client,
        "post",
        f"/api/v1/questions/{pk}/decision",
        {"decision": "accepted", "reason": "Passar bra."},
        **as_coordinator,
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"

    r = send(
        client,
        "put",
        "/api/v1/researchers/me",
        {"university": "Umeå universitet", "expertise": "Ensamma äldre i glesbygden"},
        **as_researcher,
    )
    assert r.status_code == 200, r.content
    r = send(
        client, "post", f"/api/v1/questions/{pk}/interest", {"message": "Gärna"}, **as_researcher
    )
    assert r.status_code == 201
    r = client.get(f"/api/v1/questions/{pk}/suggestions", **as_coordinator)
    assert r.status_code == 200 and r.json()[0]["researcher"]["id"] == researcher.pk
    assert "glesbyg" in r.json()[0]["shared_terms"]

    r = send(
        client,
        "post",
        f"/api/v1/questions/{pk}/assignments",
        {"kind": "researcher", "researcher": researcher.pk},
        **as_coordinator,
    )
    assert r.status_code == 201, r.content
    r = send(
        client,
        "post",
        f"/api/v1/questions/{pk}/meetings",
        {"starts_at": "2026-12-01T10:00:00+01:00", "participants": "Maja, forskaren"},
        **as_researcher,
    )
    assert r.status_code == 201, r.content
    meeting_id = r.json()["id"]
    r = send(
        client,
        "patch",
        f"/api/v1/questions/{pk}/meetings/{meeting_id}",
        {
            "notes": "Vi gick igenom statistiken.",
            "next_steps": "Läsa in forskningen.",
            "version": r.json()["version"],
        },
        **as_researcher,
    )
    assert r.status_code == 200 and r.json()["next_steps"] == "Läsa in forskningen."
    ics = client.get(f"/api/v1/questions/{pk}/meetings/{meeting_id}/ics", **as_member)
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20261201T090000Z" in ics.content
    r = send(
        client,
        "patch",
        f"/api/v1/questions/{pk}/meetings/{meeting_id}",
        {"notes": "x"},
        **as_member,
    )
    assert r.status_code == 403
    r = send(
        client,
        "post",
        f"/api/v1/questions/{pk}/outcome",
        {
            "kind": "summary",
            "title": "Personlig inbjudan",
            "summary": "Ring dem.",
            "challenges": ["ensamhet"],
        },
        **as_researcher,
    )
    assert r.status_code == 201, r.content
    summary_id = r.json()["id"]
    r = send(
        client,
        "post",
        f"/api/v1/questions/{pk}/follow-up",
        {"was_used": "yes", "how": "Vi ringer nu."},
        **as_member,
    )
    assert r.status_code == 201

    detail = client.get(f"/api/v1/questions/{pk}", **as_member).json()
    assert detail["status"] == "published"
    assert [e["to_status"] for e in detail["timeline"] if e["kind"] == "status"] == [
        "submitted",
        "in_dialogue",
        "accepted",
        "matched",
        "in_progress",
        "published",
    ]
    assert detail["outcome"]["title"] == "Personlig inbjudan"
    assert detail["follow_up"]["was_used"] == "yes"

    public = client.get("/api/v1/questions/summaries")
    assert [s["title"] for s in public.json()["items"]] == ["Personlig inbjudan"]
    assert client.get(f"/api/v1/questions/summaries/{summary_id}").status_code == 200


def test_permissions_in_the_api(client, member, organisation, researcher, outsider, coordinator):
    question = submit(member, organisation)
    url = f"/api/v1/questions/{question.pk}"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer(outsider)).status_code == 403
    assert client.get(url, **bearer(researcher)).status_code == 403
    assert client.get(url, **bearer(member)).status_code == 200
    assert client.get("/api/v1/questions", **bearer(outsider)).json()["items"] == []
    assert [q["id"] for q in client.get("/api/v1/questions", **bearer(member)).json()["items"]] == [
        question.pk
    ]
    r = send(
        client, "post", f"{url}/decision", {"decision": "accepted", "reason": "x"}, **bearer(member)
    )
    assert r.status_code == 403 and r.json()["detail"]
    assert client.get("/api/v1/questions/overview", **bearer(member)).status_code == 403
    assert (
        client.get("/api/v1/questions/overview", **bearer(coordinator)).json()["per_status"][
            "submitted"
        ]
        == 1
    )
    assert client.get("/api/v1/researchers", **bearer(outsider)).status_code == 403
    r = send(
        client, "post", "/api/v1/questions", question_payload(organisation), **bearer(outsider)
    )
    assert r.status_code == 403
    assert client.get("/api/v1/questions/summaries").json()["items"] == []


def test_bad_input_in_the_api(client, member, organisation, coordinator):
    headers = bearer(member)
    payload = question_payload(organisation)
    assert send(client, "post", "/api/v1/questions", payload, **headers).status_code == 201
    r = send(
        client,
        "post",
        "/api/v1/questions",
        question_payload(organisation, challenges=["nope"]),
        **headers,
    )
    assert r.status_code == 400 and "challenges" in r.json()["errors"]
    r = send(
        client,
        "post",
        "/api/v1/questions",
        {**question_payload(organisation), "organisation": 99999},
        **headers,
    )
    assert r.status_code == 400 and "organisation" in r.json()["errors"]
    r = send(client, "post", "/api/v1/questions", {"title": "bara titel"}, **headers)
    assert r.status_code == 422
    r = send(
        client, "post", "/api/v1/questions", question_payload(organisation, title="  "), **headers
    )
    assert r.status_code == 400 and "title" in r.json()["errors"]
    assert Question.objects.count() == 1
    assert client.get("/api/v1/questions/424242", **headers).status_code == 404
    assert client.get("/api/v1/questions?status=bogus", **headers).status_code == 400


def test_the_same_submission_token_twice_gives_the_first_question(
    client, member, organisation, coordinator
):
    headers = bearer(member)
    payload = question_payload(organisation)
    first = send(client, "post", "/api/v1/questions", payload, **headers)
    assert first.status_code == 201, first.content
    again = send(client, "post", "/api/v1/questions", payload, **headers)
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert Question.objects.count() == 1
    # Without a token, or with a new one, each sending is a question of its own.
    without = {k: v for k, v in question_payload(organisation).items() if k != "submission_token"}
    assert send(client, "post", "/api/v1/questions", without, **headers).status_code == 201
    assert send(client, "post", "/api/v1/questions", without, **headers).status_code == 201
    assert Question.objects.count() == 3


def test_a_refused_submission_can_be_sent_again_with_the_same_token(client, member, organisation):
    headers = bearer(member)
    payload = question_payload(organisation, title="  ")
    assert send(client, "post", "/api/v1/questions", payload, **headers).status_code == 400
    payload["title"] = "Vilka når vi inte?"
    assert send(client, "post", "/api/v1/questions", payload, **headers).status_code == 201
    assert Question.objects.get().title == "Vilka når vi inte?"


def test_someone_elses_submission_token_is_refused(client, member, organisation, org_admin):
    payload = question_payload(organisation)
    first = send(client, "post", "/api/v1/questions", payload, **bearer(member))
    assert first.status_code == 201
    other = send(
        client,
        "post",
        "/api/v1/questions",
        payload,
        **bearer(org_admin),
    )
    assert other.status_code == 400
    assert other.json()["detail"] in (
        "Formuläret är redan skickat.",
        "This form has already been sent.",
    )
    assert str(first.json()["id"]) not in other.content.decode()
    assert Question.objects.count() == 1


def test_forbidden_transition_in_the_api(client, member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.DECLINED)
    r = send(
        client,
        "post",
        f"/api/v1/questions/{question.pk}/outcome",
        {"kind": "summary", "title": "T", "summary": "S"},
        **bearer(coordinator),
    )
    assert r.status_code == 400
    assert "”Avböjd” kan inte få status ”Kunskapssammanställning publicerad”" in r.json()["detail"]
    r = send(
        client,
        "post",
        f"/api/v1/questions/{question.pk}/transition",
        {"target": "published"},
        **bearer(coordinator),
    )
    assert r.status_code == 400 and "target" in r.json()["errors"]
    r = send(
        client,
        "post",
        f"/api/v1/questions/{question.pk}/decision",
        {"decision": "accepted", "reason": ""},
        **bearer(coordinator),
    )
    assert r.status_code == 400
    question.refresh_from_db()
    assert question.status == Status.DECLINED
    r = send(
        client,
        "post",
        f"/api/v1/questions/{question.pk}/assignments",
        {"kind": "researcher", "researcher": 99999},
        **bearer(coordinator),
    )
    assert r.status_code == 400 and "researcher" in r.json()["errors"]
