import pytest

from hjulet.accounts.tests.api import bearer, send
from hjulet.impact.models import ImpactReport, Measurement, SroiOutcome
from hjulet.knowledge.tests.factories import make_initiative

from .factories import make_analysis, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(member):
    return make_initiative(member, title="Fritidsbanken Umeå")


def test_member_builds_the_whole_follow_up(client, member, initiative):
    auth = bearer(member)
    base = f"/api/v1/impact/initiatives/{initiative.pk}"
    assert (
        send(client, "put", base + "/theory", {"summary": "Om … så …"}, **auth).status_code == 200
    )
    activity = send(
        client, "post", base + "/theory/elements", {"kind": "activity", "title": "Utlåning"}, **auth
    ).json()
    outcome = send(
        client,
        "post",
        base + "/theory/elements",
        {"kind": "short_term", "title": "Mer rörelse", "comes_from": [activity["id"]]},
        **auth,
    )
    assert outcome.status_code == 201
    response = send(
        client,
        "post",
        base + "/indicators",
        {
            "name": "Aktiva barn",
            "unit": "barn",
            "baseline_value": "100",
            "baseline_date": "2025-01-01",
            "target_value": "200",
            "target_date": "2027-01-01",
            "data_source": "Enkät",
            "outcome": outcome.json()["id"],
            "iris_id": "PI2822",
        },
        **auth,
    )
    assert response.status_code == 201, response.json()
    indicator = response.json()
    assert indicator["status"] is None
    response = send(
        client,
        "post",
        f"/api/v1/impact/indicators/{indicator['id']}/measurements",
        {"value": "210", "date": "2025-09-01"},
        **auth,
    )
    assert response.status_code == 201
    assert (
        client.get(f"/api/v1/impact/indicators/{indicator['id']}", **auth).json()["status"]
        == "reached"
    )
    cycle = send(
        client,
        "post",
        base + "/test-cycles",
        {
            "title": "Lördagsöppet",
            "hypothesis": "Fler lånar på helgen.",
            "tried": "Öppet lördagar i tre månader.",
            "with_whom": "Familjer",
            "started_on": "2025-03-01",
            "decision": "continue",
            "indicators": [indicator["id"]],
        },
        **auth,
    )
    assert cycle.status_code == 201 and cycle.json()["indicators"] == [indicator["id"]]
    analysis = send(
        client, "post", base + "/sroi", {"title": "SROI", "discount_rate": "0"}, **auth
    ).json()
    sroi = f"/api/v1/impact/sroi/{analysis['id']}"
    send(
        client,
        "post",
        sroi + "/inputs",
        {"stakeholder": "Kommunen", "description": "Bidrag", "value": "1000"},
        **auth,
    )
    response = send(
        client,
        "post",
        sroi + "/outcomes",
        {
            "stakeholder": "Deltagare",
            "name": "Fler i arbete",
            "quantity": "4",
            "duration": 2,
            "proxy_value": "500",
            "proxy_source": "SCB",
            "deadweight": "50",
            "drop_off": "50",
        },
        **auth,
    )
    assert response.status_code == 201
    result = client.get(sroi, **auth).json()
    assert result["result"]["present_value"] == pytest.approx(1500)
    assert result["result"]["ratio"] == pytest.approx(1.5)
    assert result["result"]["payback_months"] == pytest.approx(12)
    deadweight = next(r for r in result["sensitivity"] if r["assumption"] == "deadweight")
    assert deadweight["break_even"] == pytest.approx(66.667, abs=1e-3)
    report = send(
        client,
        "put",
        base + "/report",
        {"what": "Fler barn rör sig.", "sroi": analysis["id"]},
        **auth,
    )
    assert report.status_code == 200
    # A named editor (the member registered it) prepares the report; the lead's
    # administrator publishes it.
    refused = send(client, "post", base + "/report/publish", {"publish": True}, **auth)
    assert refused.status_code == 403
    admin = bearer(member.memberships.get().organisation.memberships.get(role="admin").user)
    published = send(client, "post", base + "/report/publish", {"publish": True}, **admin)
    assert published.json()["is_published"] is True
    public = client.get(base).json()
    assert public["indicators"][0]["status"] == "reached"
    assert public["theory"]["elements"][0]["leads_to"] == [outcome.json()["id"]]
    totals = client.get("/api/v1/impact/totals").json()
    assert totals["overall"]["initiatives"] == 1
    assert totals["overall"]["ratio"] == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"attribution": "101"}, "attribution"),
        ({"deadweight": "-1"}, "deadweight"),
        ({"quantity": "-2"}, "quantity"),
        ({"duration": 0}, "duration"),
    ],
)
def test_bad_sroi_outcome_is_400_with_field_errors(client, member, initiative, change, field):
    analysis = make_analysis(member, initiative)
    payload = {
        "stakeholder": "Föräldrar",
        "name": "Mindre oro",
        "quantity": "10",
        "duration": 1,
        "proxy_value": "100",
        "proxy_source": "Enkät",
        **change,
    }
    response = send(
        client, "post", f"/api/v1/impact/sroi/{analysis.pk}/outcomes", payload, **bearer(member)
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["detail"]
    assert SroiOutcome.objects.count() == 1


def test_measurement_before_baseline_is_400(client, member, initiative):
    indicator = make_indicator(member, initiative)
    response = send(
        client,
        "post",
        f"/api/v1/impact/indicators/{indicator.pk}/measurements",
        {"value": "1", "date": "2024-01-01"},
        **bearer(member),
    )
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("unit", "value", "date", "field", "words"),
    [
        ("barn", "-5", "2025-06-01", "value", "−5 barn är inte möjligt"),
        ("%", "120", "2025-06-01", "value", "mellan 0 och 100"),
        ("barn", "5", "2999-01-01", "date", "inte kommit än"),
    ],
)
def test_impossible_measurements_are_400(
    client, member, initiative, unit, value, date, field, words
):
    indicator = make_indicator(member, initiative, unit=unit, baseline_value=10, target_value=50)
    url = f"/api/v1/impact/indicators/{indicator.pk}/measurements"
    auth = bearer(member)
    assert (
        send(client, "post", url, {"value": "20", "date": "2025-03-01"}, **auth).status_code == 201
    )
    response = send(client, "post", url, {"value": value, "date": date}, **auth)
    assert response.status_code == 400
    assert words in response.json()["errors"][field][0]
    assert Measurement.objects.get().value == 20  # the earlier one is kept


def test_permissions(client, member, outsider, initiative):
    indicator = make_indicator(member, initiative)
    base = f"/api/v1/impact/initiatives/{initiative.pk}"
    assert client.get(base).status_code == 403  # not published
    assert client.get(f"/api/v1/impact/indicators/{indicator.pk}").status_code == 403
    assert send(client, "put", base + "/report", {"what": "x"}).status_code == 401
    response = send(client, "put", base + "/report", {"what": "x"}, **bearer(outsider))
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not ImpactReport.objects.exists()
    response = send(
        client,
        "post",
        f"/api/v1/impact/indicators/{indicator.pk}/measurements",
        {"value": "1", "date": "2025-03-01"},
        **bearer(outsider),
    )
    assert response.status_code == 403
    assert client.get("/api/v1/impact/initiatives/999999").status_code == 404
    assert client.get(base, **bearer(member)).status_code == 200


def test_unknown_ids_are_400_and_stale_version_refused(client, member, initiative):
    auth = bearer(member)
    base = f"/api/v1/impact/initiatives/{initiative.pk}"
    response = send(
        client,
        "post",
        base + "/theory/elements",
        {"kind": "output", "title": "X", "comes_from": [12345]},
        **auth,
    )
    assert response.status_code == 400 and "comes_from" in response.json()["errors"]
    first = send(client, "put", base + "/report", {"what": "A"}, **auth).json()
    send(client, "put", base + "/report", {"what": "B", "version": first["version"]}, **auth)
    stale = send(
        client, "put", base + "/report", {"what": "C", "version": first["version"]}, **auth
    )
    assert stale.status_code == 409
    assert ImpactReport.objects.get().what == "B"


def test_patch_an_outcome_and_delete_a_measurement(client, member, outsider, initiative):
    analysis = make_analysis(member, initiative)
    outcome = SroiOutcome.objects.get()
    url = f"/api/v1/impact/sroi/{analysis.pk}/outcomes/{outcome.pk}"
    assert send(client, "patch", url, {"deadweight": "0"}, **bearer(outsider)).status_code == 403
    bad = send(client, "patch", url, {"drop_off": "120", "version": 1}, **bearer(member))
    assert bad.status_code == 400 and "drop_off" in bad.json()["errors"]
    response = send(client, "patch", url, {"deadweight": "0", "version": 1}, **bearer(member))
    assert response.status_code == 200 and response.json()["drop_off"] == "50.00"
    # deadweight 0: 2 000 in year one + 1 000 in year two = 3 000 against 1 000 in
    sroi = client.get(f"/api/v1/impact/sroi/{analysis.pk}", **bearer(member)).json()
    assert sroi["result"]["ratio"] == pytest.approx(3)

    indicator = make_indicator(member, initiative)
    measurement = Measurement.objects.create(
        indicator=indicator, value=120, date="2025-06-01", created_by=member
    )
    url = f"/api/v1/impact/indicators/{indicator.pk}/measurements/{measurement.pk}"
    assert client.delete(url, **bearer(outsider)).status_code == 403
    assert client.delete(url, **bearer(member)).status_code == 204
    assert not Measurement.objects.exists()
    assert client.delete(url, **bearer(member)).status_code == 404


def test_patch_a_step_of_the_theory(client, member, outsider, initiative):
    from hjulet.impact import services
    from hjulet.impact.models import ChangeElement

    activity = services.element_create(
        actor=member, initiative=initiative, kind="activity", title="Utlåning"
    )
    outcome = services.element_create(
        actor=member, initiative=initiative, kind="short_term", title="Mer rörelse"
    )
    url = f"/api/v1/impact/initiatives/{initiative.pk}/theory/elements/{outcome.pk}"
    auth = bearer(member)
    patch = {"title": "Barn rör sig mer", "comes_from": [activity.pk], "version": 1}
    assert send(client, "patch", url, patch, **bearer(outsider)).status_code == 403
    response = send(client, "patch", url, patch, **auth)
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Barn rör sig mer" and response.json()["version"] == 2
    assert send(client, "patch", url, patch, **auth).status_code == 409  # stale
    backwards = send(client, "patch", url, {"kind": "activity", "version": 2}, **auth)
    assert backwards.status_code == 400 and "comes_from" in backwards.json()["errors"]
    itself = send(client, "patch", url, {"leads_to": [outcome.pk], "version": 2}, **auth)
    assert itself.status_code == 400
    outcome.refresh_from_db()
    assert (outcome.kind, outcome.version) == ("short_term", 2)
    assert list(ChangeElement.objects.get(pk=activity.pk).leads_to.all()) == [outcome]
