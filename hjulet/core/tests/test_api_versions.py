"""Every update endpoint of the API (PATCH/PUT) needs the version it was based on: the
``version`` field or ``If-Match`` with the ETag the object's GET returned. Without either:
428 and nothing changes; stale: 409 (412 with If-Match) and nothing changes; current: 200.
Before, an update without a version silently overwrote a concurrent edit."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from hjulet.accounts import services as account_services
from hjulet.arenas import services as arena_services
from hjulet.arenas.tests.factories import make_arena, make_challenge
from hjulet.core.models import SearchSynonym, Term
from hjulet.impact import services as impact_services
from hjulet.impact.models import SroiOutcome
from hjulet.impact.tests.factories import make_analysis
from hjulet.knowledge.tests.factories import make_initiative, make_method
from hjulet.scienceshop import services as scienceshop_services
from hjulet.scienceshop.tests.factories import assign_directly, in_status, soon, submit
from hjulet.scienceshop.workflow import Status as QuestionStatus
from hjulet.support.tests.factories import make_call, make_structure

pytestmark = pytest.mark.django_db


@dataclass
class Update:
    actor: Any
    method: str
    url: str
    payload: dict  # the change, without a version
    current: Callable[[], tuple[Any, int]]  # (the changed value, version) from the database
    get_url: str | None = None  # the object's own GET, which carries the ETag


def changing(
    actor: Any,
    method: str,
    url: str,
    obj: Any,
    field: str,
    *,
    readable: bool = False,
    also: dict | None = None,
) -> Update:
    """An update of ``obj`` through ``url`` that sets ``field`` to "Changed" (with the other
    fields in ``also`` that the body needs); ``readable``: ``url`` is also the object's GET,
    which carries the ETag."""
    return Update(
        actor,
        method,
        url,
        {field: "Changed", **(also or {})},
        lambda: type(obj).objects.values_list(field, "version").get(pk=obj.pk),
        url if readable else None,
    )


def term(personas) -> Update:
    obj = Term.objects.get(vocabulary__slug="stage", code="test")
    url = f"/api/v1/vocabularies/terms/{obj.pk}"
    return changing(personas["coordinator"], "patch", url, obj, "label_en")


def search_synonym(personas) -> Update:
    obj = SearchSynonym.objects.create(words="kolonilott, odlingslott")
    return changing(
        personas["coordinator"], "patch", f"/api/v1/search-synonyms/{obj.pk}", obj, "note"
    )


def organisation(personas) -> Update:
    obj = personas["organisation"]
    url = f"/api/v1/organisations/{obj.pk}"
    return changing(personas["org_admin"], "patch", url, obj, "description", readable=True)


def initiative(personas) -> Update:
    obj = make_initiative(personas["member"])
    url = f"/api/v1/initiatives/{obj.pk}"
    return changing(personas["member"], "patch", url, obj, "results", readable=True)


def method(personas) -> Update:
    obj = make_method(personas["member"])
    url = f"/api/v1/methods/{obj.slug}"
    return changing(personas["member"], "patch", url, obj, "how", readable=True)


def meeting(personas) -> Update:
    member, researcher = personas["member"], personas["researcher"]
    question = in_status(submit(member, personas["organisation"]), QuestionStatus.MATCHED)
    assign_directly(question, researcher)
    obj = scienceshop_services.meeting_create(
        actor=researcher, question=question, starts_at=soon(), participants="Maja, forskaren"
    )
    url = f"/api/v1/questions/{question.pk}/meetings/{obj.pk}"
    return changing(researcher, "patch", url, obj, "notes")


def researcher_profile(personas) -> Update:
    researcher = personas["researcher"]
    obj = scienceshop_services.researcher_profile_save(
        actor=researcher, university="Umeå universitet", expertise="Statistik"
    )
    return changing(
        researcher,
        "put",
        "/api/v1/researchers/me",
        obj,
        "expertise",
        readable=True,
        also={"university": "Umeå universitet"},
    )


def theory(personas) -> Update:
    member = personas["member"]
    obj = impact_services.theory_update(
        actor=member, initiative=make_initiative(member), summary="Om vi gör detta"
    )
    url = f"/api/v1/impact/initiatives/{obj.initiative_id}/theory"
    return changing(member, "put", url, obj, "summary")


def sroi_outcome(personas) -> Update:
    member = personas["member"]
    analysis = make_analysis(member, make_initiative(member))
    obj = SroiOutcome.objects.get(analysis=analysis)
    url = f"/api/v1/impact/sroi/{analysis.pk}/outcomes/{obj.pk}"
    return changing(member, "patch", url, obj, "name")


def theory_element(personas) -> Update:
    member = personas["member"]
    initiative = make_initiative(member)
    obj = impact_services.element_create(
        actor=member, initiative=initiative, kind="activity", title="Läxhjälp"
    )
    url = f"/api/v1/impact/initiatives/{initiative.pk}/theory/elements/{obj.pk}"
    return changing(member, "patch", url, obj, "title")


def impact_report(personas) -> Update:
    member = personas["member"]
    obj = impact_services.report_update(
        actor=member, initiative=make_initiative(member), what="Barn läser mer"
    )
    url = f"/api/v1/impact/initiatives/{obj.initiative_id}/report"
    return changing(member, "put", url, obj, "what")


def idea(personas) -> Update:
    resident = personas["resident"]
    arena = make_arena()
    challenge = make_challenge(arena.lead_admin, arena=arena)
    obj = arena_services.idea_create(actor=resident, challenge=challenge, title="T", body="B")
    url = f"/api/v1/ideas/{obj.pk}"
    return changing(resident, "patch", url, obj, "title", readable=True, also={"body": "B"})


def support_structure(personas) -> Update:
    obj = make_structure("Vännäs företagsam", municipalities=["2460"])
    url = f"/api/v1/support-structures/{obj.organisation.slug}"
    return changing(obj.admin, "patch", url, obj, "summary", readable=True)


def funding_call(personas) -> Update:
    funder = make_structure("Coompanion", municipalities=["2460"], services_offered=["funding"])
    obj = make_call(funder.admin, funder.organisation, title="Bygdepengar")
    url = f"/api/v1/funding-calls/{obj.slug}"
    return changing(funder.admin, "patch", url, obj, "purpose", readable=True)


def adaptation_draft(personas) -> Update:
    from hjulet.spreading import services as spreading

    obj = spreading.draft_create(
        actor=personas["resident"], source_method=make_method(personas["member"])
    )
    url = f"/api/v1/adaptation-drafts/{obj.pk}"
    return changing(personas["resident"], "patch", url, obj, "financing", readable=True)


UPDATES = [
    term,
    search_synonym,
    organisation,
    initiative,
    method,
    meeting,
    researcher_profile,
    theory,
    sroi_outcome,
    theory_element,
    impact_report,
    idea,
    support_structure,
    funding_call,
    adaptation_draft,
]


@pytest.fixture
def personas(coordinator, organisation, org_admin, member, researcher, resident):
    return locals()


@pytest.fixture(params=UPDATES, ids=lambda make: make.__name__)
def update(request, personas) -> Update:
    return request.param(personas)


def send(client, update: Update, payload: dict, **headers):
    _token, secret = account_services.api_token_create(actor=update.actor, name="test")
    return getattr(client, update.method)(
        update.url,
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        **headers,
    )


def test_every_update_endpoint_is_covered(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    updates = [
        f"{verb.upper()} {path}"
        for path, operations in paths.items()
        for verb in operations
        if verb in ("patch", "put")
    ]
    assert len(updates) == len(UPDATES), updates


def test_without_a_version_the_answer_is_428_and_nothing_changes(client, update):
    before = update.current()
    response = send(client, update, update.payload)
    assert response.status_code == 428, response.content
    assert "version" in response.json()["detail"]
    assert update.current() == before


def test_a_stale_version_is_409_and_nothing_changes(client, update):
    before = update.current()
    response = send(client, update, {**update.payload, "version": before[1] - 1})
    assert response.status_code == 409, response.content
    assert response.json()["detail"]
    assert update.current() == before


def test_a_stale_if_match_is_412_and_nothing_changes(client, update):
    before = update.current()
    response = send(client, update, update.payload, HTTP_IF_MATCH=f'W/"{before[1] + 5}"')
    assert response.status_code == 412, response.content
    assert update.current() == before


def test_the_current_version_saves_and_answers_the_new_etag(client, update):
    _value, version = update.current()
    response = send(client, update, {**update.payload, "version": version})
    assert response.status_code == 200, response.content
    assert update.current() == ("Changed", version + 1)
    assert response["ETag"] == f'W/"{version + 1}"'


def test_if_match_with_the_etag_of_the_get_saves(client, update):
    _value, version = update.current()
    if update.get_url is not None:
        _token, secret = account_services.api_token_create(actor=update.actor, name="read")
        read = client.get(update.get_url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert read.status_code == 200
        etag = read["ETag"]
        assert etag == f'W/"{version}"'
    else:
        etag = f'"{version}"'  # the strong form is accepted too
    response = send(client, update, update.payload, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert update.current() == ("Changed", version + 1)


@pytest.mark.parametrize("header", ["*", "3", 'W/"abc"', '"1", "2"'])
def test_a_malformed_if_match_is_a_400(client, update, header):
    before = update.current()
    response = send(client, update, update.payload, HTTP_IF_MATCH=header)
    assert response.status_code == 400, response.content
    assert update.current() == before


def test_a_refused_caller_learns_only_that_they_may_not(client, update, outsider):
    """The permission check comes before the version check: 403, not 428."""
    before = update.current()
    update.actor = outsider
    response = send(client, update, update.payload)
    assert response.status_code in (403, 404), response.content
    assert update.current() == before


def test_the_openapi_document_describes_the_precondition(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for verb, operation in operations.items():
            if verb not in ("patch", "put"):
                continue
            assert {"409", "412", "428"} <= set(operation["responses"]), (verb, path)
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            assert "If-Match" in headers, (verb, path)
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            ref = body["$ref"].rsplit("/", 1)[-1]
            version = schema["components"]["schemas"][ref]["properties"]["version"]
            assert "428" in version["description"], (verb, path)


def test_a_new_theory_report_or_profile_needs_no_version(client, member, researcher):
    initiative = make_initiative(member)
    _token, secret = account_services.api_token_create(actor=member, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    base = f"/api/v1/impact/initiatives/{initiative.pk}"
    for url, payload in ((base + "/theory", {"summary": "A"}), (base + "/report", {"what": "A"})):
        response = client.put(url, json.dumps(payload), content_type="application/json", **auth)
        assert response.status_code == 200, response.content
        again = client.put(url, json.dumps(payload), content_type="application/json", **auth)
        assert again.status_code == 428
    _token, secret = account_services.api_token_create(actor=researcher, name="t")
    response = client.put(
        "/api/v1/researchers/me",
        json.dumps({"university": "UmU", "expertise": "Statistik"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200 and response.json()["version"] == 1
