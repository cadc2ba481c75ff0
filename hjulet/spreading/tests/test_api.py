import json

import pytest

from hjulet.accounts.services import api_token_create
from hjulet.knowledge.tests.factories import make_method

from .. import services
from ..models import AdaptationDraft, DraftStatus, Message
from .factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def method(org_admin, organisation):
    return make_method(org_admin, organisations=[organisation])


def call(client, verb, url, user=None, payload=None):
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(actor=user, name='t')[1]}"
    if payload is None:
        return getattr(client, verb)(url, **headers)
    return getattr(client, verb)(
        url, json.dumps(payload), content_type="application/json", **headers
    )


def test_plans_are_public_with_progress(client, org_admin, method):
    plan = make_plan(org_admin, method)
    listed = call(client, "get", f"/api/v1/spread-plans?method={method.slug}").json()
    assert [p["id"] for p in listed] == [plan.pk]
    detail = call(client, "get", f"/api/v1/spread-plans/{plan.pk}").json()
    assert detail["progress"] == {"reached": 0, "target": 4, "percent": 0, "reached_codes": []}
    assert call(client, "get", "/api/v1/spread-plans/999999").status_code == 404


def test_a_plan_through_the_api(client, org_admin, resident, method):
    payload = {
        "method": method.slug,
        "title": "Fyra städer",
        "goal": "Fler orter",
        "target_places": 4,
        "target_year": 2030,
        "counties": ["14"],
    }
    assert call(client, "post", "/api/v1/spread-plans", resident, payload).status_code == 403
    bad = call(client, "post", "/api/v1/spread-plans", org_admin, {**payload, "counties": ["99"]})
    assert bad.status_code == 400 and "99" in bad.json()["detail"]
    made = call(client, "post", "/api/v1/spread-plans", org_admin, payload)
    assert made.status_code == 201
    plan_id = made.json()["id"]
    step = call(
        client, "post", f"/api/v1/spread-plans/{plan_id}/steps", org_admin, {"title": "Möte"}
    ).json()
    url = f"/api/v1/spread-plans/{plan_id}/steps/{step['id']}/done"
    assert call(client, "post", url, resident, {"done": True}).status_code == 403
    assert call(client, "post", url, org_admin, {"done": True}).json()["done"] is True


@pytest.mark.parametrize("plan_id", [2**63, 2**70])
def test_an_id_beyond_the_databases_integers_is_not_found(client, org_admin, method, plan_id):
    """Found by the API fuzz test: the plan's id is compared as a foreign key, which SQLite
    cannot bind beyond 64 bits (a 500 before)."""
    step = services.step_create(actor=org_admin, plan=make_plan(org_admin, method), title="Möte")
    url = f"/api/v1/spread-plans/{plan_id}/steps/{step.pk}/done"
    answer = call(client, "post", url, org_admin, {"done": True})
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Hittades inte."}


def test_a_draft_from_start_to_published(client, org_admin, resident, outsider, method):
    plan = make_plan(org_admin, method)
    made = call(
        client,
        "post",
        "/api/v1/adaptation-drafts",
        resident,
        {"source_method": method.slug, "municipality": "1480"},
    )
    assert made.status_code == 201, made.content
    draft = made.json()
    assert draft["status"] == "draft" and len(draft["checklist"]) == 5
    url = f"/api/v1/adaptation-drafts/{draft['id']}"
    assert call(client, "get", url).status_code == 404
    assert call(client, "get", url, outsider).status_code == 404
    assert call(client, "patch", url, resident, {"why": "x"}).status_code == 428
    changed = call(
        client, "patch", url, resident, {"what_to_change": "Lördagar", "version": draft["version"]}
    )
    assert changed.status_code == 200
    sent = call(client, "post", f"{url}/messages", resident, {"body": "Hej teamet!"})
    assert sent.status_code == 201
    assert call(client, "get", f"{url}/messages", org_admin).json()[0]["body"] == "Hej teamet!"
    assert call(client, "post", f"{url}/messages", outsider, {"body": "Hej"}).status_code == 404
    assert call(client, "post", f"{url}/messages", resident, {"body": " "}).status_code == 400
    assert call(client, "post", f"{url}/publish", org_admin).status_code == 403
    assert call(client, "post", f"{url}/publish", resident).json()["status"] == "published"
    assert call(client, "post", f"{url}/publish", resident).status_code == 400
    assert call(client, "get", url).status_code == 200
    assert call(client, "get", f"/api/v1/spread-plans/{plan.pk}").json()["progress"][
        "reached_codes"
    ] == ["1480"]
    assert Message.objects.count() == 1


def test_a_draft_needs_a_known_source_and_place(client, resident, method):
    assert call(client, "post", "/api/v1/adaptation-drafts", None, {}).status_code == 401
    assert call(client, "post", "/api/v1/adaptation-drafts", resident, {}).status_code == 400
    unknown = call(
        client, "post", "/api/v1/adaptation-drafts", resident, {"source_method": "finns-inte"}
    )
    assert unknown.status_code == 404
    bad_place = call(
        client,
        "post",
        "/api/v1/adaptation-drafts",
        resident,
        {"source_method": method.slug, "municipality": "0000"},
    )
    assert bad_place.status_code == 400
    assert not AdaptationDraft.objects.exists()
    services.draft_create(actor=resident, source_method=method)
    mine = call(client, "get", "/api/v1/adaptation-drafts", resident).json()
    assert [d["status"] for d in mine] == [DraftStatus.DRAFT]
