"""Issue #22, the last piece: inside a regional hub the site-wide search (/sok/ and, with
``hub=<slug>``, /api/v1/search) and the initiative map put the hub's area first, the national
order one click away (``?hela_sverige=1``)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.core import site_search
from hjulet.core.models import Municipality
from hjulet.core.search import Hit
from hjulet.core.search.registry import rebuild_all
from hjulet.knowledge.tests.factories import make_initiative, make_method
from hjulet.regions.tests.factories import make_hub

MALMO, LULEA = "1280", "2580"
SEARCH = reverse("site:search") + "?q=fixarverkstad"
API = "/api/v1/search?q=fixarverkstad"


@pytest.fixture
def found(db, skane_hub, north_hub):
    """Three hits for "fixarverkstad": an initiative in Luleå that ranks best, a method (no
    place) and an initiative in Malmö that only mentions the word once."""
    organisation = OrganisationFactory(name="Lagaföreningen", municipality_id=MALMO)
    admin = UserFactory(email="laga@exempel.se")
    MembershipFactory(user=admin, organisation=organisation, role="admin")
    lulea = make_initiative(
        admin,
        title="Fixarverkstad fixarverkstad i Luleå",
        summary="Fixarverkstad: vi lagar cyklar i vår fixarverkstad, en fixarverkstad för alla.",
        municipality=Municipality.objects.get(code=LULEA),
    )
    method = make_method(admin, title="Fixarverkstad som metod", what="En fixarverkstad.")
    malmo = make_initiative(
        admin,
        title="Lagning i Malmö",
        summary="Grannar lagar saker; ibland kallas det en fixarverkstad.",
        municipality=Municipality.objects.get(code=MALMO),
    )
    rebuild_all()  # the index follows commits, which a test's transaction never makes
    return lulea, method, malmo


def _order(content: str, *objects) -> list:
    urls = {
        obj: reverse(
            "knowledge:method-detail" if hasattr(obj, "what") else "knowledge:initiative-detail",
            args=[obj.slug],
        )
        for obj in objects
    }
    assert all(url in content for url in urls.values())
    return sorted(objects, key=lambda obj: content.index(f'href="{urls[obj]}"'))


def test_inside_a_hub_the_site_search_puts_the_area_first_and_keeps_placeless_kinds(client, found):
    lulea, method, malmo = found
    national = _order(client.get(SEARCH).content.decode(), *found)
    assert national.index(lulea) < national.index(malmo)  # the better hit, outside a hub

    client.get(reverse("regions:hub-start", args=["skane"]))
    response = client.get(SEARCH)
    content = response.content.decode()
    in_hub = _order(content, *found)
    assert in_hub.index(malmo) < in_hub.index(lulea)
    assert in_hub.index(method) == national.index(method)  # a kind without a place stays
    assert 'id="hub-notice"' in content and "hela_sverige=1" in content
    assert response.context["found"].total == 3  # nothing hidden

    as_before = client.get(SEARCH + "&hela_sverige=1")
    assert _order(as_before.content.decode(), *found) == national
    assert 'name="hela_sverige" value="1"' in as_before.content.decode()  # a new search too

    client.get(reverse("regions:hub-start", args=["norr"]))  # another hub: its order
    assert _order(client.get(SEARCH).content.decode(), *found) == national


def test_the_kind_filter_and_htmx_follow_the_hub(client, found):
    lulea, _method, malmo = found
    client.get(reverse("regions:hub-start", args=["skane"]))
    filtered = client.get(SEARCH + "&kind=initiative", HTTP_HX_REQUEST="true")
    assert [r.pk for r in filtered.context["found"].results] == [malmo.pk, lulea.pk]
    assert 'id="hub-notice"' in filtered.content.decode()


def test_the_api_puts_a_hub_s_area_first_only_when_asked(client, found):
    lulea, method, malmo = found
    client.get(reverse("regions:hub-start", args=["skane"]))  # the API ignores the session
    national = [(h["kind"], h["id"]) for h in client.get(API).json()["hits"]]
    assert national.index(("initiative", lulea.pk)) < national.index(("initiative", malmo.pk))

    response = client.get(API + "&hub=skane")
    assert response.status_code == 200
    in_hub = [(h["kind"], h["id"]) for h in response.json()["hits"]]
    assert in_hub.index(("initiative", malmo.pk)) < in_hub.index(("initiative", lulea.pk))
    assert in_hub.index(("method", method.pk)) == national.index(("method", method.pk))
    assert sorted(in_hub) == sorted(national)


def test_an_unknown_hub_on_the_api_is_a_404_with_a_swedish_message(client, found):
    with translation.override("sv"):
        expected = gettext("Not found.")
    assert expected == "Hittades inte."
    response = client.get(API + "&hub=atlantis", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": expected}
    assert client.get(API + "&hub=" + "x" * 300).status_code == 404  # never a 500


def test_area_first_moves_only_kinds_with_a_place(db, skane_hub, found):
    lulea, method, malmo = found

    def hit(kind, pk):
        return Hit(kind=kind, pk=pk, score=1.0, title_html="", snippet_html="")

    hits = [hit("initiative", lulea.pk), hit("method", method.pk), hit("initiative", malmo.pk)]
    ordered = site_search._area_first(hits, skane_hub.area())
    assert [(h.kind, h.pk) for h in ordered] == [
        ("initiative", malmo.pk),
        ("method", method.pk),
        ("initiative", lulea.pk),
    ]
    assert site_search._area_first(hits, None) == hits
    empty_hub = make_hub("Tom nod", "tom", municipalities=["0180"])
    assert site_search._area_first(hits, empty_hub.area()) == hits


def test_the_map_table_shows_the_hub_s_counties_first(client, found):
    client.get(reverse("regions:hub-start", args=["skane"]))
    response = client.get(reverse("knowledge:map"))
    codes = [area.code for area in response.context["areas"]]
    assert codes[0] == "12"
    assert sorted(codes) == sorted(
        a.code for a in client.get(reverse("knowledge:map") + "?hela_sverige=1").context["areas"]
    )
    assert 'id="hub-notice"' in response.content.decode()
    county = client.get(reverse("knowledge:map") + "?lan=12")
    assert county.context["areas"][0].code.startswith("12")
    national = client.get(reverse("knowledge:map") + "?lan=12&hela_sverige=1")
    assert national.context["hub_notice"]["hub_url"] == reverse("knowledge:map") + "?lan=12"


def test_outside_a_hub_the_map_and_search_have_no_hub_notice(client, found):
    assert 'id="hub-notice"' not in client.get(SEARCH).content.decode()
    assert 'id="hub-notice"' not in client.get(reverse("knowledge:map")).content.decode()
