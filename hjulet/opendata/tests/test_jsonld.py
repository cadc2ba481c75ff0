"""schema.org JSON-LD on every public page type: it parses, has a @type, and names the page."""

import json
import re

import pytest

from hjulet.arenas.tests.factories import make_arena, make_challenge, make_event

from .factories import make_open_data

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def data(org_admin, organisation, coordinator):
    return make_open_data(org_admin, organisation, coordinator)


def _json_ld(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    found = [json.loads(text) for text in SCRIPT.findall(response.content.decode())]
    assert found, f"no JSON-LD on {path}"
    nodes = []
    for data in found:
        assert data["@context"] == "https://schema.org"
        nodes.extend(data.get("@graph", [data]))
    assert all(node.get("@type") for node in nodes), path
    return nodes


def test_detail_pages_carry_json_ld(client, data):
    pages = {
        f"/initiativ/{data.initiative.slug}/": "Project",
        f"/metoder/{data.method.slug}/": "HowTo",
        f"/utlysningar/{data.call.slug}/": "MonetaryGrant",
        f"/stod/{data.structure.organisation.slug}/": "Organization",
        f"/organisationer/{data.call.funder.slug}/": "Organization",
        f"/forskarverkstad/kunskap/{data.summary.pk}/": "Article",
        f"/initiativ/{data.initiative.slug}/effekt/rapport/": "Report",
    }
    for path, kind in pages.items():
        nodes = _json_ld(client, path)
        assert nodes[0]["@type"] == kind, path
        assert nodes[0]["url"].endswith(path) or nodes[0]["@id"].endswith(path), path
    call = _json_ld(client, f"/utlysningar/{data.call.slug}/")[0]
    assert call["funder"]["name"] == data.call.funder.name
    assert call["endDate"] == data.call.deadline.isoformat()


def test_a_challenge_page_describes_its_events(client, db):
    arena = make_arena()
    challenge = make_challenge(arena.lead_admin, arena=arena)
    make_event(arena.lead_admin, challenge)
    nodes = _json_ld(client, f"/utmaningar/{challenge.slug}/")
    assert [n["@type"] for n in nodes] == ["CreativeWork", "Event"]
    assert nodes[1]["name"] == "Sammanhack"
    assert nodes[1]["location"]["name"] == "Umeå Folkets hus"
    assert _json_ld(client, f"/arenor/{arena.slug}/")[0]["@type"] == "Organization"


def test_the_start_page_is_a_website_with_a_search_action(client, db):
    site = _json_ld(client, "/")[0]
    assert site["@type"] == "WebSite"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"].endswith("/sok/?q={search_term_string}")


def test_a_draft_impact_report_has_no_json_ld_for_its_partners(as_user, org_admin, data):
    page = as_user(org_admin).get(f"/initiativ/{data.draft_initiative.slug}/effekt/rapport/")
    assert page.status_code == 200
    assert not SCRIPT.findall(page.content.decode())


def test_a_json_ld_text_cannot_close_its_script(client, org_admin, organisation, data):
    data.call.purpose = "</script><script>alert(1)</script>"
    data.call.save()
    page = client.get(f"/utlysningar/{data.call.slug}/").content.decode()
    assert "</script><script>alert(1)" not in page


def test_pages_announce_the_feeds(client, db):
    page = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in page
    assert 'href="/data/flode/initiativ.atom"' in page
