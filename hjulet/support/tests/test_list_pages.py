"""The directory and the funding calls a page at a time: the page links keep the filters, the
count heading and the exports cover every match, the nearest structures come first across the
pages, and a bad page number is a page, not an error."""

import re

import pytest

from hjulet.core.models import Municipality
from hjulet.support import views

from .factories import make_call, make_structure

pytestmark = pytest.mark.django_db

NEAREST_FIRST = [
    # serving Vännäs (2460) itself, by name
    "Bygdestöd Vännäs",
    "Vännäs företagsam",
    "Ö-stöd Vännäs",
    # serving the län, by name
    "Almi Västerbotten",
    "Coompanion Västerbotten",
    # serving all of Sweden
    "Aaa Riksstöd",
]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)


@pytest.fixture
def directory():
    for name in NEAREST_FIRST[:3]:
        make_structure(name, municipalities=["2460"])
    for name in NEAREST_FIRST[3:5]:
        make_structure(name, scope="county", counties=["24"])
    make_structure(NEAREST_FIRST[5], scope="national")
    make_structure("Kalixstödet", municipalities=["2514"])  # Norrbotten: not for Vännäs


def listed(html: str, list_id: str) -> list[str]:
    """The titles of the cards in the list with ``list_id``, in their order."""
    block = re.search(rf'id="{list_id}">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'<h3 class="card-title"><a[^>]*>([^<]+)</a>', block)


def test_the_directory_shows_a_page_and_a_link_to_the_next_with_the_filters(
    client, small_pages, directory
):
    html = client.get("/stod/?municipality=2460&need=advice&audience=residents").content.decode()
    assert listed(html, "structures") == NEAREST_FIRST[:2]
    assert "6 stödstrukturer finns för Vännäs" in html  # the count is every match, not the page
    assert "Sida 1 av 3" in html
    assert 'href="?municipality=2460&amp;need=advice&amp;audience=residents&amp;page=2"' in html
    assert "Föregående" not in html


def test_the_nearest_come_first_across_the_pages(client, small_pages, directory):
    shown = []
    for number in (1, 2, 3):
        html = client.get(f"/stod/?municipality=2460&page={number}").content.decode()
        shown += listed(html, "structures")
        assert "6 stödstrukturer finns för Vännäs" in html
    assert shown == NEAREST_FIRST
    last = client.get("/stod/?municipality=2460&page=3").content.decode()
    assert 'href="?municipality=2460&amp;page=2">Föregående' in last
    assert "Nästa" not in last


def test_without_a_place_every_structure_by_name_over_the_pages(client, small_pages, directory):
    shown = []
    for number in (1, 2, 3, 4):
        shown += listed(client.get(f"/stod/?page={number}").content.decode(), "structures")
    assert shown == sorted([*NEAREST_FIRST, "Kalixstödet"])


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", 1), ("0", 3), ("-1", 3), ("99999", 3), ("", 1), ("1.5", 1), ("9" * 40, 3)],
)
def test_a_bad_page_number_is_the_first_or_the_last_page(
    client, small_pages, directory, page, shown
):
    response = client.get(f"/stod/?municipality=2460&page={page}")
    assert response.status_code == 200
    assert f"Sida {shown} av 3" in response.content.decode()


def test_the_exports_and_the_maps_cover_every_match_not_the_page(client, small_pages, directory):
    html = client.get("/stod/?municipality=2460&page=2").content.decode()
    assert 'href="/stod/export.csv?municipality=2460"' in html
    csv = client.get("/stod/export.csv?municipality=2460").getvalue().decode("utf-8-sig")
    assert len(csv.splitlines()) == 1 + len(NEAREST_FIRST)
    # the county table counts every regional and local structure, not those of the page
    counts = dict(re.findall(r'<tr><td>([^<]+)</td><td class="num">(\d+)</td></tr>', html))
    assert counts["Västerbottens län"] == "5" and counts["Norrbottens län"] == "1"
    assert "Utöver dem på kartan finns 1 stödstruktur för hela Sverige." in html


def test_the_funding_calls_a_page_at_a_time_with_the_filters(client, small_pages, directory):
    funder = make_structure("Bygdefonden", scope="county", counties=["24"])
    county = Municipality.objects.get(code="2460").county
    titles = [f"Utlysning {n}" for n in range(1, 6)]
    for title in titles:
        make_call(funder.admin, funder.organisation, title=title, scope="county", counties=[county])
    query = "open_now=on&municipality=2460&audience=residents"
    html = client.get(f"/utlysningar/?{query}").content.decode()
    assert "5 utlysningar" in html
    assert re.findall(r">(Utlysning \d)</a>", html) == titles[:2]
    assert f'href="?{query.replace("&", "&amp;")}&amp;page=2"' in html
    assert f'href="/utlysningar/export.csv?{query.replace("&", "&amp;")}"' in html
    last = client.get(f"/utlysningar/?{query}&page=99999")
    assert last.status_code == 200
    assert re.findall(r">(Utlysning \d)</a>", last.content.decode()) == titles[4:]
    assert client.get(f"/utlysningar/?{query}&page=abc").status_code == 200
    elsewhere = client.get("/utlysningar/?municipality=2514").content.decode()
    assert "0 utlysningar" in elsewhere and "Sida" not in elsewhere
