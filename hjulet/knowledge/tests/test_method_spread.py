"""The method page stays bounded however widely a method spread: counts per year with the first
few, the first trees of who adapted it from whom and a page of its own for the whole tree."""

from datetime import date

import pytest
from django.urls import reverse

from hjulet.core.models import Municipality

from .. import selectors, services
from ..models import Adaptation
from ..selectors import spread as spread_selectors
from .factories import make_initiative, make_method

pytestmark = pytest.mark.django_db


@pytest.fixture
def method(member):
    return make_method(member, title="Fritidsbank")


def using(member, method, title: str, started: str, **fields):
    return make_initiative(member, title=title, methods=[method], start_date=started, **fields)


def adapted(member, source, title: str, started: str):
    initiative = make_initiative(
        member,
        title=title,
        start_date=started,
        municipality=Municipality.objects.get(code="2580"),
    )
    services.adaptation_create(
        actor=member,
        initiative=initiative,
        source_initiative=source,
        what_changed=f"{title} ändrade",
    )
    return initiative


def test_the_timeline_counts_each_year_and_names_its_first_three(client, member, method):
    using(member, method, "Tidig", "2019-05-01")
    for month in (9, 3, 7, 1, 11):
        using(member, method, f"Bank {month:02}", f"2021-{month:02}-01")
    using(member, method, "Utan datum", None)
    response = client.get(reverse("knowledge:method-detail", args=[method.slug]))
    spread = response.context["spread"]
    assert spread.total == 7
    assert [(y.year, y.count, y.more) for y in spread.timeline] == [(2019, 1, 0), (2021, 5, 2)]
    assert [i.title for i in spread.timeline[1].examples] == ["Bank 01", "Bank 03", "Bank 07"]
    html = response.content.decode()
    timeline = html[
        html.index('<ol class="timeline">') : html.index(
            "</ol>", html.index('<ol class="timeline">')
        )
    ]
    assert "Bank 01" in timeline and "Bank 09" not in timeline and "Bank 11" not in timeline
    assert "och 2 till" in timeline
    # Every initiative that uses the method, in the list, the latest started first.
    assert f"/initiativ/?method={method.slug}&amp;sort=started" in html


def test_the_page_counts_per_area_in_the_database_including_adaptations_of_adaptations(
    client, member, method
):
    umea = using(member, method, "Umeå", "2015-01-01")
    lulea = adapted(member, umea, "Luleå", "2016-01-01")
    adapted(member, lulea, "Luleå igen", "2017-01-01")
    using(member, method, "Oslo", "2018-01-01", municipality=None, country="NO", place="Oslo")
    spread = client.get(reverse("knowledge:method-detail", args=[method.slug])).context["spread"]
    assert spread.total == 4
    assert spread.municipality_counts == {"2480": 1, "2580": 2}
    assert spread.county_counts == {"24": 1, "25": 2}
    assert spread.international == 1


def test_a_method_used_more_widely_than_the_preview_shows_the_first_trees_and_links_to_all(
    client, member, method
):
    first = using(member, method, "Först", "2010-01-01")
    adapted(member, adapted(member, first, "Andra", "2011-01-01"), "Tredje", "2012-01-01")
    for number in range(spread_selectors.TREE_PREVIEW):
        using(member, method, f"Lånebod {number:02}", "2020-01-01")
    response = client.get(reverse("knowledge:method-detail", args=[method.slug]))
    spread = response.context["spread"]
    assert spread.total == spread_selectors.TREE_PREVIEW + 3
    # The most adapted tree first, whole; then as many as fit.
    assert spread.tree[0]["initiative"] == first
    assert spread.tree[0]["children"][0]["children"][0]["initiative"].title == "Tredje"
    assert len(spread.tree) == spread_selectors.TREE_PREVIEW - 2
    assert spread.tree_more == 3
    html = response.content.decode()
    assert html.count('<ul class="tree">') == 3  # the roots, and two levels under "Först"
    assert f'href="{reverse("knowledge:method-spread", args=[method.slug])}"' in html
    assert "3 initiativ till" in html


def test_the_whole_tree_page_shows_every_initiative_a_number_of_trees_at_a_time(
    client, member, method, monkeypatch
):
    monkeypatch.setattr(selectors, "TREES_PER_PAGE", 2)
    first = using(member, method, "Först", "2010-01-01")
    adapted(member, first, "Andra", "2011-01-01")
    using(member, method, "Ensam", "2009-01-01")
    using(member, method, "Sist", "2019-01-01")
    url = reverse("knowledge:method-spread", args=[method.slug])
    page_one = client.get(url)
    assert page_one.status_code == 200
    assert page_one.context["tree"].total == 4
    html = page_one.content.decode()
    assert html.index("Först") < html.index("Andra") < html.index("Ensam")
    assert "Sist" not in html and "?page=2" in html
    assert "Sist" in client.get(url, {"page": 2}).content.decode()
    for odd in ("abc", "9999", "-1"):
        assert client.get(url, {"page": odd}).status_code == 200
    assert client.get(reverse("knowledge:method-spread", args=["finns-inte"])).status_code == 404


def test_the_whole_tree_page_of_a_method_nobody_used(client, method):
    response = client.get(reverse("knowledge:method-spread", args=[method.slug]))
    assert response.status_code == 200
    assert response.context["tree"].total == 0


def test_initiatives_that_adapted_each_other_in_a_circle_are_still_shown(client, member, method):
    """The services refuse a circle; an older import may hold one."""
    a = using(member, method, "Aby", "2010-01-01")
    b = adapted(member, a, "Bby", "2011-01-01")
    Adaptation.objects.create(initiative=a, source_initiative=b, what_changed="Tillbaka")
    tree = spread_selectors.spread_tree(method)
    assert tree.roots == [a.pk] and tree.nodes(a.pk) == [a.pk, b.pk]
    html = client.get(reverse("knowledge:method-spread", args=[method.slug])).content.decode()
    assert "Aby" in html and "Bby" in html


def test_the_api_still_lists_every_initiative_of_the_spread(client, member, method):
    umea = using(member, method, "Umeå", "2015-01-01")
    adapted(member, umea, "Luleå", "2016-01-01")
    body = client.get(f"/api/v1/methods/{method.slug}/spread").json()
    assert [i["title"] for i in body["initiatives"]] == ["Umeå", "Luleå"]
    assert body["counties"] == {"24": 1, "25": 1}


def test_the_start_dates_order_the_spread(member, method):
    late = using(member, method, "Sen", "2020-01-01")
    early = using(member, method, "Tidig", "2001-01-01")
    tree = spread_selectors.spread_tree(method)
    assert tree.by_start == [early.pk, late.pk]
    assert tree.started[early.pk] == date(2001, 1, 1)
