"""The challenges and the arenas a page at a time: the page links keep the filter, the pages
neither repeat nor skip a row, and a bad page number is a page, not an error."""

import re

import pytest

from hjulet.arenas import views
from hjulet.arenas.models import Challenge

from .factories import make_arena, make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)


@pytest.fixture
def challenges(arena):
    """Five challenges, the newest first: Utmaning 5 … Utmaning 1; Utmaning 2 is closed."""
    made = [
        make_challenge(arena.lead_admin, arena=arena, title=f"Utmaning {n}") for n in range(1, 6)
    ]
    Challenge.objects.filter(pk=made[1].pk).update(is_open=False)
    return made


def titles(html: str, list_id: str) -> list[str]:
    block = re.search(rf'id="{list_id}">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'<h2 class="card-title"><a[^>]*>([^<]+)</a>', block)


def test_the_challenges_a_page_at_a_time_without_repeats(client, small_pages, challenges):
    first = client.get("/utmaningar/").content.decode()
    assert titles(first, "challenges") == ["Utmaning 5", "Utmaning 4"]
    assert "Sida 1 av 3" in first and 'href="?page=2">Nästa' in first
    shown = []
    for number in (1, 2, 3):
        shown += titles(client.get(f"/utmaningar/?page={number}").content.decode(), "challenges")
    assert shown == [f"Utmaning {n}" for n in (5, 4, 3, 2, 1)]


def test_the_open_filter_survives_in_the_page_links(client, small_pages, challenges):
    first = client.get("/utmaningar/?oppna=1").content.decode()
    assert 'href="?oppna=1&amp;page=2">Nästa' in first
    second = client.get("/utmaningar/?oppna=1&page=2").content.decode()
    assert titles(second, "challenges") == ["Utmaning 3", "Utmaning 1"]  # 2 is closed
    assert "Sida 2 av 2" in second and "Nästa" not in second
    assert 'href="?oppna=1&amp;page=1">Föregående' in second


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("0", 3), ("99999", 3), ("", 1)])
def test_a_bad_page_of_challenges_is_the_first_or_the_last(
    client, small_pages, challenges, page, shown
):
    response = client.get(f"/utmaningar/?page={page}")
    assert response.status_code == 200
    assert f"Sida {shown} av 3" in response.content.decode()


def test_a_single_page_has_no_page_links(client, challenges):
    html = client.get("/utmaningar/").content.decode()
    assert len(titles(html, "challenges")) == 5
    assert 'class="pagination"' not in html


def test_the_arenas_a_page_at_a_time(client, small_pages):
    for name in ("Cedra", "Alfa", "Bravo"):
        make_arena(name=f"{name}arenan")
    first = client.get("/arenor/?hela_sverige=1").content.decode()
    assert titles(first, "arenas") == ["Alfaarenan", "Bravoarenan"]
    assert 'href="?hela_sverige=1&amp;page=2">Nästa' in first
    last = client.get("/arenor/?page=99999").content.decode()
    assert titles(last, "arenas") == ["Cedraarenan"]
    assert client.get("/arenor/?page=abc").status_code == 200
