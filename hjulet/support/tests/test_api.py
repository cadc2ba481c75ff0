"""The API under /api/v1/: same rules as the pages, JSON errors, never a 500."""

import pytest

from hjulet.accounts.tests.api import bearer, send
from hjulet.core.models import Municipality
from hjulet.support import services
from hjulet.support.models import AdviceRequest, CallFollow, FundingCall

from .factories import make_call, make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return make_structure(
        "Vännäs företagsam", municipalities=["2460"], services_offered=["advice", "funding"]
    )


def call_payload(funder, **overrides):
    return {
        "funder": funder.pk,
        "title": "Bygdepengar",
        "purpose": "Till idéer som gör byn levande.",
        "opens_on": "2026-01-01",
        "deadline": "2026-12-31",
        "scope": "county",
        "counties": ["24"],
        "audiences": ["ideburen", "residents"],
        "challenges": ["service-i-glesbygd"],
        "sdgs": ["11"],
        "amount_min": 10000,
        "amount_max": 50000,
        **overrides,
    }


def test_directory_is_public_and_filters(client, office):
    body = client.get("/api/v1/support-structures?municipality=2460&need=funding").json()["items"]
    assert [s["organisation"]["name"] for s in body] == ["Vännäs företagsam"]
    assert body[0]["services"] == ["advice", "funding"]
    assert body[0]["municipalities"][0]["code"] == "2460"
    assert client.get("/api/v1/support-structures?municipality=2514").json()["items"] == []
    unknown = client.get("/api/v1/support-structures?municipality=9999")
    assert unknown.status_code == 400 and "9999" in unknown.json()["detail"]
    assert client.get("/api/v1/support-structures/vannas-foretagsam").status_code == 200
    assert client.get("/api/v1/support-structures/finns-inte").status_code == 404


def test_structure_write_rules(client, office, outsider, org_admin, organisation):
    patch = send(
        client,
        "patch",
        "/api/v1/support-structures/vannas-foretagsam",
        {"summary": "Kapad"},
        **bearer(outsider),
    )
    assert patch.status_code == 403 and patch.json()["detail"]
    anonymous = send(client, "patch", "/api/v1/support-structures/vannas-foretagsam", {})
    assert anonymous.status_code == 401
    ok = send(
        client,
        "patch",
        "/api/v1/support-structures/vannas-foretagsam",
        {"version": 1, "services": ["training"]},
        **bearer(office.admin),
    )
    assert ok.status_code == 200 and ok.json()["services"] == ["training"]
    stale = send(
        client,
        "patch",
        "/api/v1/support-structures/vannas-foretagsam",
        {"version": 1, "summary": "x"},
        **bearer(office.admin),
    )
    assert stale.status_code == 409
    created = send(
        client,
        "post",
        "/api/v1/support-structures",
        {
            "organisation": organisation.pk,
            "summary": "Vi lånar ut utrustning.",
            "services": ["premises"],
            "audiences": ["residents"],
            "scope": "county",
            "counties": ["24", "99"],
            "contact_email": "hej@fritid.se",
        },
        **bearer(org_admin),
    )
    assert created.status_code == 400 and "counties" in created.json()["errors"]


def test_calls_create_validate_and_open_now(client, office, outsider):
    funder = office.organisation
    bad = send(
        client,
        "post",
        "/api/v1/funding-calls",
        call_payload(funder, deadline="2025-12-01", amount_min=90000),
        **bearer(office.admin),
    )
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["deadline"] == ["Sista ansökningsdag kan inte vara före öppningsdagen."]
    assert errors["amount_min"] == ["Det minsta bidraget kan inte vara större än det största."]
    malformed = send(
        client,
        "post",
        "/api/v1/funding-calls",
        call_payload(funder, deadline="inte ett datum"),
        **bearer(office.admin),
    )
    assert malformed.status_code == 422
    forbidden = send(
        client, "post", "/api/v1/funding-calls", call_payload(funder), **bearer(outsider)
    )
    assert forbidden.status_code == 403
    assert not FundingCall.objects.exists()
    created = send(
        client, "post", "/api/v1/funding-calls", call_payload(funder), **bearer(office.admin)
    )
    assert created.status_code == 201, created.content
    assert created.json()["challenges"][0]["code"] == "service-i-glesbygd"


def test_open_now_for_me_and_follow(client, office, resident):
    make_call(
        office.admin,
        office.organisation,
        title="Öppen i Vännäs",
        scope="municipality",
        municipalities=[Municipality.objects.get(code="2460")],
    )
    mine = client.get(
        "/api/v1/funding-calls?open_now=true&municipality=2460&audience=residents"
    ).json()["items"]
    assert [c["title"] for c in mine] == ["Öppen i Vännäs"]
    assert client.get("/api/v1/funding-calls?open_now=true&municipality=2514").json()["items"] == []
    assert client.get("/api/v1/funding-calls?audience=private&open_now=true").json()["items"] == []
    url = "/api/v1/funding-calls/oppen-i-vannas/follow"
    assert send(client, "post", url).status_code == 401
    assert send(client, "post", url, **bearer(resident)).status_code == 201
    again = send(client, "post", url, **bearer(resident))
    assert again.status_code == 400 and again.json()["detail"] == (
        "Du följer redan den här utlysningen."
    )
    assert send(client, "delete", url, **bearer(resident)).json()["following"] is False
    assert not CallFollow.objects.exists()


def test_advice_requests_through_the_api(client, office, resident, outsider, coordinator):
    asked = send(
        client,
        "post",
        "/api/v1/advice-requests",
        {
            "title": "Cykelkök",
            "description": "Grannar lagar cyklar.",
            "municipality": "2460",
            "needs": ["advice"],
        },
        **bearer(resident),
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert [s["organisation"]["name"] for s in body["routed_to"]] == ["Vännäs företagsam"]
    url = f"/api/v1/advice-requests/{body['id']}"
    assert (
        send(
            client, "post", "/api/v1/advice-requests", {"title": "x"}, **bearer(resident)
        ).status_code
        == 422
    )
    nowhere = send(
        client,
        "post",
        "/api/v1/advice-requests",
        {
            "title": "Lokal",
            "description": "Behöver lokal.",
            "municipality": "2514",
            "needs": ["premises"],
        },
        **bearer(outsider),
    )
    assert nowhere.json()["to_coordinators"] is True and nowhere.json()["routed_to"] == []
    # who sees what
    assert [
        r["title"]
        for r in client.get("/api/v1/advice-requests", **bearer(resident)).json()["items"]
    ] == ["Cykelkök"]
    assert client.get(url, **bearer(outsider)).status_code == 404
    assert client.get("/api/v1/advice-requests").status_code == 401
    assert len(client.get("/api/v1/advice-requests", **bearer(coordinator)).json()["items"]) == 2
    # the structure handles it; the asker cannot
    assert (
        send(client, "post", url + "/notes", {"text": "Hej"}, **bearer(resident)).status_code == 403
    )
    assign = send(
        client, "post", url + "/assign", {"adviser": office.admin.email}, **bearer(office.admin)
    )
    # the adviser is named by the public name, never the address (the asker reads this too)
    assert assign.json()["adviser"] == office.admin.display_name
    assert (
        send(
            client,
            "post",
            url + "/notes",
            {"text": "Möte", "kind": "meeting"},
            **bearer(office.admin),
        ).status_code
        == 400
    )
    assert (
        send(
            client,
            "post",
            url + "/notes",
            {"text": "Möte i byn", "kind": "meeting", "met_on": "2026-11-20"},
            **bearer(office.admin),
        ).status_code
        == 201
    )
    assert client.get(url, **bearer(resident)).json()["notes"] == []
    assert len(client.get(url, **bearer(office.admin)).json()["notes"]) == 1
    closed = send(
        client,
        "post",
        url + "/close",
        {"outcome": "initiative", "initiative": 999999},
        **bearer(office.admin),
    )
    assert closed.status_code == 400 and "initiative" in closed.json()["errors"]
    closed = send(
        client, "post", url + "/close", {"outcome": "advice_given"}, **bearer(office.admin)
    )
    assert closed.json()["status"] == "closed"
    twice = send(
        client, "post", url + "/close", {"outcome": "advice_given"}, **bearer(office.admin)
    )
    assert twice.status_code == 400
    assert AdviceRequest.objects.get(pk=body["id"]).outcome == "advice_given"


def test_calls_for_an_initiative_via_api(client, office, member):
    from hjulet.knowledge.tests.factories import make_initiative

    initiative = make_initiative(member, municipality=Municipality.objects.get(code="2460"))
    make_call(office.admin, office.organisation, title="För alla")
    found = client.get(f"/api/v1/funding-calls/for-initiative/{initiative.pk}").json()
    assert [c["title"] for c in found] == ["För alla"]
    assert client.get("/api/v1/funding-calls/for-initiative/999999").status_code == 404
    assert services.can_edit_call(office.admin, FundingCall.objects.get())


def test_forward_through_the_api(client, office, resident, coordinator):
    other = make_structure("Samforma", scope="county", counties=["25"])
    advice = services.request_create(
        actor=resident,
        title="Cykelkök",
        description="Grannar lagar cyklar.",
        municipality=Municipality.objects.get(code="2460"),
        needs=["advice"],
    )
    url = f"/api/v1/advice-requests/{advice.pk}/forward"
    assert send(client, "post", url, {"structure": other.pk}, **bearer(resident)).status_code == 403
    unknown = send(client, "post", url, {"structure": 999999}, **bearer(coordinator))
    assert unknown.status_code == 400 and "structure" in unknown.json()["errors"]
    done = send(client, "post", url, {"structure": other.pk}, **bearer(coordinator))
    assert sorted(s["organisation"]["name"] for s in done.json()["routed_to"]) == [
        "Samforma",
        "Vännäs företagsam",
    ]
