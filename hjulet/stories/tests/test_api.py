"""The API follows the pages' rules, with JSON errors (never a 500)."""

import json

import pytest

from hjulet.stories.models import InitiativeSuggestion, ResearchReport, ReviewStatus, Story

from .factories import make_initiative, story_by_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(org_admin):
    return make_initiative(org_admin)


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_stories(as_user, client, resident, moderator, member, organisation, initiative):
    story = story_by_resident(resident, initiative)
    assert client.get("/api/v1/stories").json()["items"] == []
    assert client.get(f"/api/v1/stories/{story.pk}").status_code == 404
    assert as_user(resident).get(f"/api/v1/stories/{story.pk}").json()["status"] == "pending"
    assert as_user(member).get("/api/v1/stories/review-queue").status_code == 403
    review = f"/api/v1/stories/{story.pk}/review"
    assert post(client, review, {"decision": "publish"}).status_code == 401
    assert post(as_user(member), review, {"decision": "publish"}).status_code == 404
    assert post(as_user(moderator), review, {"decision": "burn"}).status_code == 400
    body = post(as_user(moderator), review, {"decision": "publish"}).json()
    assert body["status"] == "published" and body["author"] == "Ida Invånare"
    assert post(as_user(moderator), review, {"decision": "publish"}).status_code == 400
    items = client.get("/api/v1/stories", {"initiative": initiative.slug}).json()["items"]
    assert [s["id"] for s in items] == [story.pk] and "email" not in json.dumps(items)

    created = post(
        as_user(member),
        "/api/v1/stories",
        {
            "title": "T",
            "text": "B",
            "organisation": organisation.pk,
            "initiatives": [initiative.slug],
        },
    )
    assert created.status_code == 201 and created.json()["status"] == "published"
    refused = post(
        as_user(resident),
        "/api/v1/stories",
        {
            "title": "T",
            "text": "B",
            "organisation": organisation.pk,
            "initiatives": [initiative.slug],
        },
    )
    assert refused.status_code == 403
    unknown = post(
        as_user(resident),
        "/api/v1/stories",
        {"title": "T", "text": "B", "initiatives": ["finns-inte"]},
    )
    assert unknown.status_code == 400 and "finns-inte" in unknown.json()["detail"] + json.dumps(
        unknown.json().get("errors")
    )
    assert Story.objects.count() == 2


def test_reports(as_user, client, org_admin, member, initiative):
    data = {
        "initiative": initiative.slug,
        "title": "Följeforskning",
        "authors": "A. Forskare",
        "year": 2020,
        "findings": "F",
        "doi": "inte-en-doi",
    }
    assert (
        post(as_user(member), "/api/v1/research-reports", {**data, "doi": "10.1234/x"}).status_code
        == 403
    )
    bad = post(as_user(org_admin), "/api/v1/research-reports", data)
    assert bad.status_code == 400 and "DOI" in json.dumps(bad.json(), ensure_ascii=False)
    both = post(as_user(org_admin), "/api/v1/research-reports", {**data, "method": "x"})
    assert both.status_code == 400
    good = post(as_user(org_admin), "/api/v1/research-reports", {**data, "doi": "doi:10.1234/x"})
    assert good.status_code == 201 and good.json()["doi"] == "10.1234/x"
    report_id = good.json()["id"]
    assert (
        client.get(f"/api/v1/research-reports/{report_id}").json()["initiative"]["slug"]
        == initiative.slug
    )
    assert client.get("/api/v1/research-reports/999999").status_code == 404
    assert as_user(member).delete(f"/api/v1/research-reports/{report_id}").status_code == 403
    assert as_user(org_admin).delete(f"/api/v1/research-reports/{report_id}").status_code == 204
    assert not ResearchReport.objects.exists()


def test_suggestions(as_user, client, outsider, resident, coordinator, organisation):
    data = {"title": "Gårdsfest", "summary": "Grannar möts.", "municipality": "2480"}
    assert post(client, "/api/v1/initiative-suggestions", data).status_code == 401
    assert (
        post(
            as_user(outsider), "/api/v1/initiative-suggestions", {**data, "municipality": "0000"}
        ).status_code
        == 400
    )
    created = post(as_user(outsider), "/api/v1/initiative-suggestions", data)
    assert created.status_code == 201
    sid = created.json()["id"]
    assert as_user(resident).get(f"/api/v1/initiative-suggestions/{sid}").status_code == 404
    assert as_user(resident).get("/api/v1/initiative-suggestions").json()["items"] == []
    accept = f"/api/v1/initiative-suggestions/{sid}/accept"
    assert post(as_user(outsider), accept, {"lead": organisation.pk}).status_code == 403
    assert post(as_user(coordinator), accept, {"lead": 999999}).status_code == 400
    assert (
        post(
            as_user(coordinator), f"/api/v1/initiative-suggestions/{sid}/decline", {"reason": ""}
        ).status_code
        == 400
    )
    body = post(as_user(coordinator), accept, {"lead": organisation.pk}).json()
    assert body["status"] == ReviewStatus.PUBLISHED and body["initiative"]
    assert (
        as_user(outsider).get(f"/api/v1/initiative-suggestions/{sid}").json()["initiative"]
        == body["initiative"]
    )
    assert post(as_user(coordinator), accept, {"lead": organisation.pk}).status_code == 400
    assert InitiativeSuggestion.objects.get().initiative.slug == body["initiative"]
