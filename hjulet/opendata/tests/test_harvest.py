"""Harvesting: everything at once, then only what changed; whole collections as streamed
downloads; bad input is a clear 4xx in Swedish, never a 500."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from hjulet.impact import services as impact_services
from hjulet.knowledge import services as knowledge_services
from hjulet.opendata.collections import COLLECTIONS

from .factories import make_open_data


@pytest.fixture
def data(org_admin, organisation, coordinator):
    return make_open_data(org_admin, organisation, coordinator)


def _harvest(client, slug: str, **params) -> list[dict]:
    """Every page of a collection, following ``next`` as a harvester would."""
    response = client.get(f"/api/v1/open-data/{slug}", params)
    assert response.status_code == 200, response.content
    body = response.json()
    records = list(body["results"])
    while body["next"]:
        body = client.get(body["next"]).json()
        records.extend(body["results"])
    return records


def test_the_collections_are_listed_with_their_addresses(client, data):
    listed = client.get("/api/v1/open-data").json()
    assert [c["slug"] for c in listed] == list(COLLECTIONS)
    counts = {c["slug"]: c["count"] for c in listed}
    assert counts["initiativ"] == 2
    assert counts["effektrapporter"] == 1  # the draft report is not open data
    assert counts["kunskapssammanstallningar"] == 1
    assert listed[0]["downloads"]["csv"].endswith("/data/initiativ.csv")
    assert listed[0]["records"] == "http://testserver/api/v1/open-data/initiativ"
    assert listed[0]["ids"] == "http://testserver/api/v1/open-data/initiativ/ids"


def test_a_harvester_fetches_everything_then_only_what_changed(client, org_admin, data):
    first = _harvest(client, "initiativ", limit=1)  # one record a page: the cursor is used
    assert sorted(r["id"] for r in first) == sorted([data.initiative.pk, data.draft_initiative.pk])
    assert all(r["modified"] and r["url"].startswith("http") for r in first)
    last_visit = max(r["modified"] for r in first)
    assert _harvest(client, "initiativ", changed_since=last_visit) == []

    initiative = data.draft_initiative
    initiative.refresh_from_db()
    knowledge_services.initiative_update(
        actor=org_admin,
        initiative=initiative,
        expected_version=initiative.version,
        summary="Vänner som pratar svenska med varandra varje vecka.",
    )
    changed = _harvest(client, "initiativ", changed_since=last_visit)
    assert [r["id"] for r in changed] == [initiative.pk]
    assert changed[0]["summary"] == "Vänner som pratar svenska med varandra varje vecka."
    assert changed[0]["modified"] > last_visit


def test_a_date_without_time_and_a_time_without_zone_are_accepted(client, data):
    assert len(_harvest(client, "metoder", changed_since="2000-01-01")) == 1
    assert len(_harvest(client, "metoder", changed_since="2000-01-01T08:00:00")) == 1
    assert _harvest(client, "metoder", changed_since="2999-01-01T00:00:00+01:00") == []


@pytest.mark.parametrize("value", ["igår", "2026-13-01", "2026-12-01T25:00", "1"])
def test_a_bad_changed_since_is_a_400_in_swedish(client, data, value):
    response = client.get("/api/v1/open-data/initiativ", {"changed_since": value})
    assert response.status_code == 400
    body = response.json()
    assert "inte ett datum" in body["detail"]
    assert "changed_since" in body["errors"]


@pytest.mark.parametrize(
    "value", ["0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59"]
)
def test_a_date_outside_the_comparable_range_is_a_400_not_a_500(client, data, value):
    response = client.get("/api/v1/open-data/initiativ", {"changed_since": value})
    assert response.status_code == 400
    assert "mellan åren 1900 och 9000" in response.json()["detail"]


@pytest.mark.parametrize(
    "cursor",
    ["x", "x~y", "~", "0001-01-01T00:00:00+14:00~1", "2026-12-01T08:00:00+00:00~" + "9" * 25],
)
def test_a_bad_cursor_is_a_400(client, data, cursor):
    response = client.get("/api/v1/open-data/initiativ", {"cursor": cursor})
    assert response.status_code == 400
    assert "Börja om från första sidan" in response.json()["detail"]


def test_a_bad_cursor_or_limit_is_a_4xx_and_an_unknown_collection_404(client, data):
    response = client.get("/api/v1/open-data/initiativ", {"cursor": "x"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]
    assert client.get("/api/v1/open-data/initiativ", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/open-data/initiativ", {"limit": 5000}).status_code == 422
    assert client.get("/api/v1/open-data/okand").status_code == 404
    assert client.get("/api/v1/open-data/okand/ids").status_code == 404


def test_ids_tell_what_was_unpublished_or_deleted(client, org_admin, data):
    reports = client.get("/api/v1/open-data/effektrapporter/ids").json()
    assert reports["ids"] == [data.report.pk]
    impact_services.report_publish(actor=org_admin, initiative=data.initiative, publish=False)
    assert client.get("/api/v1/open-data/effektrapporter/ids").json()["ids"] == []
    assert _harvest(client, "effektrapporter") == []
    adaptations = client.get("/api/v1/open-data/anpassningar/ids").json()["ids"]
    assert adaptations == [data.adaptation.pk]
    knowledge_services.adaptation_delete(actor=org_admin, adaptation=data.adaptation)
    assert client.get("/api/v1/open-data/anpassningar/ids").json()["ids"] == []


def test_records_hold_no_personal_contact_details(client, data):
    for slug in COLLECTIONS:
        text = json.dumps(_harvest(client, slug))
        assert "@" not in text.replace("mailto:", ""), slug


@pytest.mark.parametrize("slug", list(COLLECTIONS))
def test_every_collection_downloads_whole_as_csv_json_and_xlsx(client, data, slug):
    csv_response = client.get(f"/data/{slug}.csv")
    assert csv_response.status_code == 200
    assert isinstance(csv_response, StreamingHttpResponse)
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["id", "modified"]
    expected = COLLECTIONS[slug].public().count()
    assert len(rows) - 1 == expected >= 1
    json_response = client.get(f"/data/{slug}.json")
    assert isinstance(json_response, StreamingHttpResponse)
    records = json.loads(b"".join(json_response.streaming_content))
    assert len(records) == expected
    xlsx = client.get(f"/data/{slug}.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == expected + 1


def test_downloads_hold_only_published_reports(client, data):
    text = b"".join(client.get("/data/effektrapporter.csv").streaming_content).decode()
    assert "Fler barn har utrustning" in text
    assert "Utkast som ingen annan ska se" not in text


def test_unknown_downloads_are_404(client, db):
    assert client.get("/data/okand.csv").status_code == 404
    assert client.get("/data/initiativ.pdf").status_code == 404


def test_a_large_collection_sends_csv_instead_of_xlsx(client, data, monkeypatch):
    monkeypatch.setattr("hjulet.opendata.views.XLSX_MAX_ROWS", 1)
    response = client.get("/data/initiativ.xlsx")
    assert response.status_code == 302
    assert response["Location"] == "/data/initiativ.csv"


def test_the_open_data_page_lists_collections_and_feeds(client, data):
    page = client.get("/data/").content.decode()
    assert "Sociala innovationsinitiativ i Sverige" in page
    assert "/data/katalog.rdf" in page
    assert "/data/flode/initiativ.atom" in page
