"""Atom feeds, sitemap.xml and robots.txt: they parse, hold what they must and nothing that
is not public."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from hjulet.support.tests.factories import make_call

from .factories import make_open_data

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def data(org_admin, organisation, coordinator):
    return make_open_data(org_admin, organisation, coordinator)


def _atom(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
        assert feed.find(f"{ATOM}{name}").text, name
    datetime.datetime.fromisoformat(feed.find(f"{ATOM}updated").text)
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    return feed


def _titles(feed: ET.Element) -> list[str]:
    return [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]


def test_the_initiatives_feed_is_valid_atom_newest_first(client, data):
    feed = _atom(client, "/data/flode/initiativ.atom")
    assert _titles(feed) == ["Språkvänner i Holmsund", "Fritidsbanken Ersboda"]


def test_the_calls_feed_holds_only_calls_open_now(client, data, org_admin, organisation):
    today = timezone.localdate()
    make_call(
        org_admin,
        organisation,
        title="Stängd utlysning",
        opens_on=today - datetime.timedelta(days=60),
        deadline=today - datetime.timedelta(days=1),
    )
    make_call(
        org_admin,
        organisation,
        title="Kommande utlysning",
        opens_on=today + datetime.timedelta(days=5),
        deadline=today + datetime.timedelta(days=60),
    )
    feed = _atom(client, "/data/flode/utlysningar.atom")
    assert _titles(feed) == ["Lokala idéer 2027"]


def test_empty_feeds_are_valid_too(client, db):
    assert _titles(_atom(client, "/data/flode/initiativ.atom")) == []
    assert _titles(_atom(client, "/data/flode/utlysningar.atom")) == []


def _xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _sitemap_paths(client) -> set[str]:
    """Every address of every sitemap the index at /sitemap.xml names."""
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = []
    for entry in index.findall(f"{SITEMAP}sitemap"):
        part = _xml(client, entry.find(f"{SITEMAP}loc").text.removeprefix("http://testserver"))
        assert part.tag == f"{SITEMAP}urlset"
        locations += [u.find(f"{SITEMAP}loc").text for u in part.findall(f"{SITEMAP}url")]
    assert all(loc.startswith("http://testserver/") for loc in locations)
    assert len(locations) == len(set(locations))
    return {loc.removeprefix("http://testserver") for loc in locations}


def test_the_sitemap_holds_public_pages_and_only_published_objects(client, data):
    paths = _sitemap_paths(client)
    assert {"/", "/initiativ/", "/utlysningar/", "/data/"} <= paths
    assert f"/initiativ/{data.initiative.slug}/" in paths
    assert f"/metoder/{data.method.slug}/" in paths
    assert f"/utlysningar/{data.call.slug}/" in paths
    assert f"/stod/{data.structure.organisation.slug}/" in paths
    assert f"/forskarverkstad/kunskap/{data.summary.pk}/" in paths
    assert f"/initiativ/{data.initiative.slug}/effekt/rapport/" in paths
    # The draft impact report is not there, nor anything behind a login.
    assert f"/initiativ/{data.draft_initiative.slug}/effekt/rapport/" not in paths
    assert not [p for p in paths if p.startswith(("/konto/", "/admin/", "/api/", "/export/"))]


def test_a_large_kind_is_split_into_pages(client, data, monkeypatch):
    monkeypatch.setattr("hjulet.opendata.sitemaps.ObjectsSitemap.limit", 1)
    index = _xml(client, "/sitemap.xml")
    parts = [e.find(f"{SITEMAP}loc").text for e in index.findall(f"{SITEMAP}sitemap")]
    assert "http://testserver/sitemap-initiatives.xml?p=2" in parts
    assert client.get("/sitemap-okand.xml").status_code == 404


def test_every_sitemap_address_answers_to_anyone(client, data):
    for path in sorted(_sitemap_paths(client)):
        assert client.get(path).status_code == 200, path


def test_robots_txt_keeps_crawlers_out_of_private_parts_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/konto/", "/export/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
