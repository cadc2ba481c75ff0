"""The facet index (``selectors.facet_index``) lets through what the SQL filters do and
counts what a plain count counts, and follows every change."""

from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hjulet.accounts import services as accounts
from hjulet.core import audit
from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.knowledge import selectors, services
from hjulet.knowledge.models import Initiative

from .factories import make_initiative, make_method, term
from .test_views import plain_facet_counts

pytestmark = pytest.mark.django_db

F = selectors.InitiativeFilters


@pytest.fixture
def varied(member, partner_admin):
    """Initiatives with every kind of facet value, in Sweden and abroad, led by
    organisations of two sectors."""
    fritidsbank = make_method(member, title="Fritidsbank")
    sprakcafe = make_method(member, title="Språkcafé")
    ohalsa = term(Vocabulary.CHALLENGE, "ohalsa")
    integration = term(Vocabulary.CHALLENGE, "integration")
    place = Municipality.objects.get
    made = [
        make_initiative(
            member,
            title="Fritidsbanken Umeå",
            challenges=[ohalsa],
            target_groups=[term(Vocabulary.TARGET_GROUP, "barn")],
            methods=[fritidsbank],
        ),
        make_initiative(
            member,
            title="Fritidsbanken Skellefteå",
            municipality=place(code="2482"),
            challenges=[ohalsa, integration],
            sdgs=[term(Vocabulary.SDG, "4")],
        ),
        make_initiative(
            member,
            title="Friluftsbanken Luleå",
            municipality=place(code="2580"),
            stage=term(Vocabulary.STAGE, "etablerad"),
            methods=[fritidsbank, sprakcafe],
        ),
        make_initiative(
            member,
            title="Språkcafé i Göteborg",
            municipality=place(code="1480"),
            target_groups=[term(Vocabulary.TARGET_GROUP, "nyanlanda")],
            sdgs=[term(Vocabulary.SDG, "10"), term(Vocabulary.SDG, "4")],
            methods=[sprakcafe],
        ),
        make_initiative(
            member, title="Språkkafé i Oslo", municipality=None, country="NO", place="Oslo"
        ),
        make_initiative(
            member,
            title="Sprachcafé Berlin",
            municipality=None,
            country="DE",
            place="Berlin",
            challenges=[integration],
        ),
        make_initiative(
            partner_admin,
            title="Forskning om trygghet",
            municipality=place(code="0180"),
            challenges=[ohalsa],
            stage=term(Vocabulary.STAGE, "ide"),
        ),
    ]
    return made


#: One value of each facet and kind of value: present, absent, unknown, several at once.
SINGLE_FILTERS = [
    {"challenge": ["ohalsa"]},
    {"challenge": ["integration", "segregation"]},
    {"challenge": ["finns-inte"]},
    {"target_group": ["barn"]},
    {"target_group": ["barn", "nyanlanda"]},
    {"sdg": ["4"]},
    {"stage": ["test"]},
    {"stage": ["etablerad", "ide"]},
    {"county": ["24"]},
    {"county": ["14", "01"]},
    {"municipality": ["2482"]},
    {"country": ["international"]},
    {"country": ["no"]},
    {"country": ["SE", "DE"]},
    {"sector": ["akademi"]},
    {"sector": ["ideburen", "offentlig"]},
    {"method": ["fritidsbank"]},
    {"method": ["sprakcafe", "finns-inte"]},
]


def every_filter():
    """Each filter alone and every two of them of different facets together."""
    yield F()
    for chosen in SINGLE_FILTERS:
        yield F(**chosen)
    for first, second in combinations(SINGLE_FILTERS, 2):
        if set(first).isdisjoint(second):
            yield F(**first, **second)


def test_the_index_lets_through_what_the_sql_filters_do(varied):
    index = selectors.facet_index()
    assert sorted(index.ids.tolist()) == sorted(i.pk for i in varied)
    seen_sizes = set()
    for filters in every_filter():
        expected = set(selectors.filter_initiatives(filters).values_list("pk", flat=True))
        found = set(index.ids[index.matching(filters)].tolist())
        assert found == expected, filters
        seen_sizes.add(len(found))
    # The filters are not all empty or all everything: the comparison means something.
    assert {0, 1, len(varied)} < seen_sizes


def test_a_filtered_list_is_in_the_order_the_database_sorts_it(varied):
    from datetime import date

    for days, initiative in enumerate(varied[:4]):
        Initiative.objects.filter(pk=initiative.pk).update(start_date=date(2020, 1, 1 + days))
    orders_seen = set()
    for sort, order in selectors.SORTS.items():
        if not order:
            continue
        for chosen in [{"challenge": ["ohalsa"]}, {"country": ["SE"]}, {"stage": ["test"]}]:
            filters = F(**chosen, sort=sort)
            in_sql = list(
                selectors.filter_initiatives(filters).order_by(*order).values_list("pk", flat=True)
            )
            assert list(selectors.search_initiatives(filters).ids) == in_sql, (sort, chosen)
            orders_seen.add(tuple(in_sql))
    # The orders differ from each other: the comparison checks the order, not only the set.
    assert len(orders_seen) > 3


def test_a_new_initiative_joins_the_filtered_list_in_its_place(varied, member):
    filters = F(challenge=["ohalsa"], sort="title")
    before = list(selectors.search_initiatives(filters).ids)
    added = make_initiative(
        member, title="Aaa först i bokstavsordning", challenges=[Term.objects.get(code="ohalsa")]
    )
    after = list(selectors.search_initiatives(filters).ids)
    assert after == [added.pk, *before]


def test_the_counts_of_every_filter_equal_a_plain_count(varied):
    for filters in [F(), *(F(**chosen) for chosen in SINGLE_FILTERS)]:
        listed = selectors.list_facets(filters, selectors.search_initiatives(filters))
        chosen = selectors.filter_initiatives(filters)
        assert listed.total == chosen.count()
        found = {
            name: {value["value"]: value["count"] for value in values}
            for name, values in listed.facets.items()
        }
        # The country facet is "international examples" and the countries (tested below).
        assert {**found, "country": {}} == plain_facet_counts(chosen), filters


def test_the_country_facet_counts_every_country(varied):
    listed = selectors.list_facets(F(), selectors.search_initiatives(F()))
    assert {value["value"]: value["count"] for value in listed.facets["country"]} == {
        "international": 2,
        "DE": 1,
        "NO": 1,
        "SE": 5,
    }


def test_the_list_and_the_api_count_with_the_index(client, varied):
    page = client.get(reverse("knowledge:initiative-list"), {"county": ["24", "25"]})
    assert page.context["total"] == 3
    assert {i.title for i in page.context["initiatives"]} == {
        "Fritidsbanken Umeå",
        "Fritidsbanken Skellefteå",
        "Friluftsbanken Luleå",
    }
    body = client.get("/api/v1/initiatives", {"country": "international"}).json()
    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {"Språkkafé i Oslo", "Sprachcafé Berlin"}
    searched = client.get(reverse("knowledge:initiative-list"), {"q": "fritidsbanken"})
    counts = {f["value"]: f["count"] for f in searched.context["facets"]["county"]}
    assert counts == {"24": 2}


def test_ids_the_index_does_not_hold_are_passed_over(varied):
    index = selectors.facet_index()
    known = varied[0].pk
    mask = index.of_ids([known, max(index.ids.tolist()) + 1, -5])
    assert index.ids[mask].tolist() == [known]
    assert not index.of_ids([]).any()


def test_the_index_is_read_once_until_something_changes(varied, member, after_commit):
    first = selectors.facet_index()
    with CaptureQueriesContext(connection) as again:
        assert selectors.facet_index() is first
    assert len(again.captured_queries) == 1  # the content generation
    with after_commit():
        make_initiative(
            member,
            title="Läxhjälp i Ersboda",
            challenges=[term(Vocabulary.CHALLENGE, "segregation")],
        )
    changed = selectors.facet_index()
    assert changed is not first
    assert changed.size == first.size + 1
    assert changed.matching(F(challenge=["segregation"])).sum() == 1


def test_the_sector_counts_follow_a_partner_accepting_and_leaving(
    varied, member, partner_admin, after_commit
):
    def academia() -> int:
        listed = selectors.list_facets(F(), selectors.search_initiatives(F()))
        return {v["value"]: v["count"] for v in listed.facets["sector"]}.get("akademi", 0)

    assert academia() == 1
    umea = Initiative.objects.get(title="Fritidsbanken Umeå")
    with after_commit():
        asked = services.partnership_set(
            actor=member,
            initiative=umea,
            organisation=partner_admin.memberships.get().organisation,
            role="partner",
        )
    assert academia() == 1  # a request waiting for an answer is not shown
    with after_commit():
        services.partnership_accept(actor=partner_admin, partnership=asked)
    assert academia() == 2
    assert selectors.facet_index().matching(F(sector=["akademi"])).sum() == 2
    with after_commit():
        services.partnership_remove(actor=partner_admin, partnership=asked)
    assert academia() == 1


def test_an_empty_bank_has_an_empty_index(client, db):
    index = selectors.facet_index()
    assert index.size == 0
    assert not index.matching(F(challenge=["ohalsa"], country=["international"])).any()
    page = client.get(reverse("knowledge:initiative-list"), {"county": "24"})
    assert page.status_code == 200
    assert page.context["total"] == 0
    assert client.get("/api/v1/initiatives").json()["count"] == 0


def test_a_write_elsewhere_leaves_the_index_and_an_organisation_s_sector_moves_it(
    varied, member, org_admin, after_commit
):
    first = selectors.facet_index()
    with after_commit():
        audit.record(actor=member, action="test.write", target=member)  # not in the index
    assert selectors.facet_index() is first
    organisation = org_admin.memberships.get().organisation
    with after_commit():
        accounts.organisation_update(
            actor=org_admin,
            organisation=organisation,
            sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code="offentlig"),
        )
    moved = selectors.facet_index()
    assert moved is not first
    assert moved.matching(F(sector=["offentlig"])).sum() == 6
    assert moved.matching(F(sector=["ideburen"])).sum() == 0


def test_a_search_keeps_the_hits_the_filters_allow(client, varied):
    for filters in [
        F(q="fritidsbanken", county=["24"]),
        F(q="fritidsbanken", stage=["etablerad"]),
        F(q="språkcafé", country=["international"]),
        F(q="språkcafé", method=["sprakcafe"]),
        F(q="fritidsbanken", challenge=["finns-inte"]),
    ]:
        found = selectors.search_initiatives(filters).ids
        searched = selectors.search_initiatives(F(q=filters.q)).ids
        allowed = set(selectors.filter_initiatives(filters).values_list("pk", flat=True))
        assert found == [pk for pk in searched if pk in allowed], filters
