import csv
import io
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hjulet.core.models import AuditEntry, Municipality, Vocabulary
from hjulet.knowledge import selectors, services
from hjulet.knowledge.models import Initiative

from .factories import make_initiative, make_method, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(member, organisation):
    """A small knowledge bank: a method spread from Umeå to Skellefteå and on to Luleå."""
    method = make_method(
        member,
        title="Fritidsbank",
        summary="Gratis utlåning av sport- och fritidsutrustning.",
        what="Som ett bibliotek, men för skridskor, tält och bollar.",
    )
    umea = make_initiative(
        member,
        title="Fritidsbanken Umeå",
        summary="Lånar ut fritidsutrustning gratis till alla.",
        methods=[method],
        challenges=[term(Vocabulary.CHALLENGE, "ohalsa")],
        start_date="2015-03-01",
    )
    skelleftea = make_initiative(
        member,
        title="Fritidsbanken Skellefteå",
        summary="Utrustning för friluftsliv till barnfamiljer.",
        municipality=Municipality.objects.get(code="2482"),
        start_date="2018-06-01",
    )
    lulea = make_initiative(
        member,
        title="Friluftsbanken Luleå",
        summary="Utrustning för vinteraktiviteter.",
        municipality=Municipality.objects.get(code="2580"),
        stage=term(Vocabulary.STAGE, "etablerad"),
        start_date="2020-01-15",
    )
    services.adaptation_create(
        actor=member,
        initiative=skelleftea,
        source_initiative=umea,
        what_changed="Fokus på friluftsliv",
    )
    services.adaptation_create(
        actor=member,
        initiative=lulea,
        source_initiative=skelleftea,
        what_changed="Vinterutrustning och samarbete med skolor",
    )
    return {"method": method, "umea": umea, "skelleftea": skelleftea, "lulea": lulea}


def test_list_filters_and_facets(client, bank):
    page = client.get(reverse("knowledge:initiative-list"), {"county": "24"})
    assert page.status_code == 200
    names = [i.title for i in page.context["initiatives"]]
    assert sorted(names) == ["Fritidsbanken Skellefteå", "Fritidsbanken Umeå"]
    counties = {f["value"]: f["count"] for f in page.context["facets"]["county"]}
    assert counties == {"24": 2}
    by_challenge = client.get(reverse("knowledge:initiative-list"), {"challenge": "ohalsa"})
    assert [i.title for i in by_challenge.context["initiatives"]] == ["Fritidsbanken Umeå"]
    by_stage = client.get(
        reverse("knowledge:initiative-list"), {"stage": ["etablerad", "test"], "county": ["25"]}
    )
    assert [i.title for i in by_stage.context["initiatives"]] == ["Friluftsbanken Luleå"]


def test_search_with_an_inflected_word_and_highlight(client, bank):
    page = client.get(reverse("knowledge:initiative-list"), {"q": "fritidsbankerna"})
    titles = [i.title for i in page.context["initiatives"]]
    assert "Fritidsbanken Umeå" in titles
    assert "<mark>" in page.content.decode()


def test_htmx_request_returns_only_results(client, bank):
    response = client.get(
        reverse("knowledge:initiative-list"), {"q": "umeå"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    assert "Fritidsbanken Umeå" in response.content.decode()


def test_sort_and_unknown_parameters_are_harmless(client, bank):
    page = client.get(
        reverse("knowledge:initiative-list"),
        {"sort": "title", "page": "999", "county": "99", "junk": "x"},
    )
    assert page.status_code == 200
    titled = client.get(reverse("knowledge:initiative-list"), {"sort": "title"})
    assert [i.title for i in titled.context["initiatives"]] == sorted(
        i.title for i in titled.context["initiatives"]
    )


def test_detail_page_shows_facts_similar_and_json_ld(client, bank):
    response = client.get(reverse("knowledge:initiative-detail", args=[bank["umea"].slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "application/ld+json" in page
    data = json.loads(page.split('application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "Project" and data["location"]["name"] == "Umeå"
    similar = response.context["similar"]["initiatives"]
    assert bank["skelleftea"] in similar
    assert bank["umea"] not in similar
    assert response.context["completeness"].percent < 100


def test_the_public_change_history_names_people_without_their_addresses(client, member):
    initiative = make_initiative(member, title="Läxhjälp i Ersboda")
    services.initiative_update(
        actor=member, initiative=initiative, summary="Nu tre kvällar i veckan."
    )
    page = client.get(reverse("knowledge:initiative-detail", args=[initiative.slug]))
    html = page.content.decode()
    assert member.name and member.name in html
    assert member.email not in html
    assert "@" not in html.split('class="history"')[1].split("</details>")[0]


def test_json_ld_cannot_break_out_of_its_script(client, member):
    initiative = make_initiative(member, title="Test</script><script>alert(1)</script>")
    page = client.get(reverse("knowledge:initiative-detail", args=[initiative.slug]))
    assert "<script>alert(1)" not in page.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get("/initiativ/finns-inte/").status_code == 404
    assert client.get("/metoder/finns-inte/").status_code == 404


def test_similar_panel_while_typing(client, bank):
    response = client.get(
        reverse("knowledge:similar"),
        {"title": "Fritidsbank i Vännäs", "summary": "låna utrustning"},
    )
    page = response.content.decode()
    assert "Fritidsbanken Umeå" in page
    assert "<html" not in page
    empty = client.get(reverse("knowledge:similar"), {"title": "", "summary": ""})
    assert "Fritidsbanken" not in empty.content.decode()


def test_register_through_the_form(as_user, member, organisation):
    client = as_user(member)
    form = client.get(reverse("knowledge:initiative-create"))
    assert form.status_code == 200
    response = client.post(
        reverse("knowledge:initiative-create"),
        {
            "lead": organisation.pk,
            "title": "Språkcafé på biblioteket",
            "summary": "Samtal på svenska varje onsdag.",
            "municipality": "2480",
            "stage": term(Vocabulary.STAGE, "ide").pk,
            "challenges": [term(Vocabulary.CHALLENGE, "integration").pk],
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Språkcafé på biblioteket")
    assert response["Location"] == reverse("knowledge:initiative-detail", args=[initiative.slug])
    assert [t.code for t in initiative.challenges.all()] == ["integration"]


def test_form_lists_only_own_organisations_as_lead(as_user, member, organisation):
    from hjulet.accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Någon annans förening")
    response = as_user(member).post(
        reverse("knowledge:initiative-create"),
        {
            "lead": other.pk,
            "title": "X",
            "summary": "Y",
            "municipality": "2480",
            "stage": term(Vocabulary.STAGE, "ide").pk,
        },
    )
    assert response.status_code == 400
    assert not Initiative.objects.exists()


def test_person_without_organisation_is_sent_to_register_one(as_user, outsider):
    response = as_user(outsider).get(reverse("knowledge:initiative-create"))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:organisation-create") + "?next=%2Finitiativ%2Fnytt%2F"
    )


def test_registering_an_organisation_returns_to_the_initiative_form_with_it_chosen(
    as_user, outsider
):
    from hjulet.accounts.models import Organisation
    from hjulet.accounts.tests.test_organisations import form_data

    client = as_user(outsider)
    to_register = client.get(reverse("knowledge:initiative-create"))["Location"]
    page = client.get(to_register).content.decode()
    assert '<input type="hidden" name="next" value="/initiativ/nytt/">' in page
    response = client.post(to_register, {**form_data(), "next": "/initiativ/nytt/"})
    organisation = Organisation.objects.get(name="Språkcafé Gävle")
    assert response["Location"] == f"/initiativ/nytt/?organisation={organisation.pk}"
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{organisation.pk}" selected>Språkcafé Gävle</option>' in form
    assert "Språkcafé Gävle är registrerad" in form


def test_the_initiative_form_links_to_registering_an_organisation(as_user, member):
    page = as_user(member).get(reverse("knowledge:initiative-create")).content.decode()
    assert 'href="/organisationer/ny/?next=%2Finitiativ%2Fnytt%2F"' in page


def test_only_ones_own_organisation_is_chosen_from_the_address(as_user, member, organisation):
    from hjulet.accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Någon annans förening")
    client = as_user(member)
    url = reverse("knowledge:initiative-create")
    for chosen in (other.pk, "x", ""):
        page = client.get(url, {"organisation": chosen}).content.decode()
        assert '<option value="" selected>' in page  # "Choose organisation"
    page = client.get(url, {"organisation": organisation.pk}).content.decode()
    assert f'<option value="{organisation.pk}" selected>' in page


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/"])
def test_registering_an_organisation_never_leaves_the_site(as_user, outsider, elsewhere):
    from hjulet.accounts.models import Organisation
    from hjulet.accounts.tests.test_organisations import form_data

    response = as_user(outsider).post(
        reverse("accounts:organisation-create"), {**form_data(), "next": elsewhere}
    )
    organisation = Organisation.objects.get(name="Språkcafé Gävle")
    assert response["Location"] == reverse("accounts:organisation-detail", args=[organisation.slug])


def test_end_before_start_is_explained(as_user, member, organisation):
    response = as_user(member).post(
        reverse("knowledge:initiative-create"),
        {
            "lead": organisation.pk,
            "title": "X",
            "summary": "Y",
            "municipality": "2480",
            "stage": term(Vocabulary.STAGE, "ide").pk,
            "start_date": "2024-05-01",
            "end_date": "2023-01-01",
        },
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Initiative.objects.exists()


def test_edit_page_permissions(as_user, member, outsider, bank):
    url = reverse("knowledge:initiative-update", args=[bank["umea"].slug])
    assert as_user(outsider).get(url).status_code == 403
    assert as_user(member).get(url).status_code == 200


def test_method_page_shows_spread_map_timeline_and_tree(client, bank):
    services.adaptation_create(
        actor=bank["umea"].created_by,
        initiative=bank["umea"],
        source_method=bank["method"],
        what_changed="Första i Sverige",
    )
    response = client.get(reverse("knowledge:method-detail", args=[bank["method"].slug]))
    assert response.status_code == 200
    spread = response.context["spread"]
    assert spread.county_counts == {"24": 2, "25": 1}
    assert spread.total == 3
    assert [(y.year, y.count, y.examples) for y in spread.timeline] == [
        (2015, 1, [bank["umea"]]),
        (2018, 1, [bank["skelleftea"]]),
        (2020, 1, [bank["lulea"]]),
    ]
    root = spread.tree[0]
    assert root["initiative"] == bank["umea"]
    assert root["adaptation"].what_changed == "Första i Sverige"
    assert root["children"][0]["initiative"] == bank["skelleftea"]
    assert root["children"][0]["adaptation"].what_changed == "Fokus på friluftsliv"
    assert root["children"][0]["children"][0]["initiative"] == bank["lulea"]
    assert spread.tree_more == 0
    page = response.content.decode()
    assert "<svg" in page and "<table" in page
    # All of it is shown: no link to the whole tree.
    assert reverse("knowledge:method-spread", args=[bank["method"].slug]) not in page


def test_map_by_county_and_municipality(client, bank):
    sweden = client.get(reverse("knowledge:map"))
    counts = {a.code: a.count for a in sweden.context["areas"]}
    assert counts["24"] == 2 and counts["25"] == 1 and counts["01"] == 0
    county = client.get(reverse("knowledge:map"), {"lan": "24"})
    counts = {a.code: a.count for a in county.context["areas"]}
    assert counts == {**{code: 0 for code in counts}, "2480": 1, "2482": 1}


def test_export_formats_follow_the_filters(client, member, bank):
    make_initiative(member, title='=HYPERLINK("http://evil.example")', summary="Formel i titeln")
    base = {"county": "24"}
    csv_response = client.get(reverse("knowledge:initiative-export", args=["csv"]), base)
    rows = list(csv.DictReader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    assert {r["title"] for r in rows} >= {"Fritidsbanken Umeå", "Fritidsbanken Skellefteå"}
    assert "Friluftsbanken Luleå" not in {r["title"] for r in rows}
    evil = next(r for r in rows if "HYPERLINK" in r["title"])
    assert evil["title"].startswith("'=")
    xlsx = client.get(reverse("knowledge:initiative-export", args=["xlsx"]), base)
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.cell(1, 1).value == "title"
    assert sheet.max_row == len(rows) + 1
    as_json = json.loads(
        client.get(reverse("knowledge:initiative-export", args=["json"]), base).getvalue()
    )
    assert {r["municipality_code"] for r in as_json} == {"2480", "2482"}
    assert client.get(reverse("knowledge:initiative-export", args=["pdf"])).status_code == 404


def test_coordinator_reviews_from_the_page(as_user, coordinator, member, bank):
    url = reverse("knowledge:review", args=["initiativ", bank["umea"].slug])
    assert as_user(member).post(url, {"reviewed": "1"}).status_code == 403
    response = as_user(coordinator).post(
        url, {"reviewed": "1", "featured": "1", "next": "/initiativ/"}
    )
    assert response.status_code == 302
    bank["umea"].refresh_from_db()
    assert bank["umea"].is_reviewed and bank["umea"].is_featured


def county_counts(page) -> dict[str, int]:
    return {f["value"]: f["count"] for f in page.context["facets"]["county"]}


def test_unfiltered_facets_are_cached_until_a_change_commits(client, member, after_commit):
    with after_commit():
        make_initiative(member, title="Språkcafé i Umeå")
    url = reverse("knowledge:initiative-list")
    assert county_counts(client.get(url)) == {"24": 1}
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    with after_commit():
        make_initiative(
            member,
            title="Språkcafé i Göteborg",
            municipality=Municipality.objects.get(code="1480"),
        )
    with CaptureQueriesContext(connection) as refreshed:
        page = client.get(url)
    assert county_counts(page) == {"24": 1, "14": 1}
    assert len(cached.captured_queries) < len(refreshed.captured_queries)


def test_a_filtered_list_in_an_order_counts_what_it_shows(client, bank):
    response = client.get(
        reverse("knowledge:initiative-list"), {"county": ["24", "25"], "sort": "title"}
    )
    titles = [i.title for i in response.context["initiatives"]]
    assert titles == ["Friluftsbanken Luleå", "Fritidsbanken Skellefteå", "Fritidsbanken Umeå"]
    assert response.context["total"] == 3
    counties = {f["value"]: f["count"] for f in response.context["facets"]["county"]}
    assert counties == {"24": 2, "25": 1}


def test_filtered_totals_and_facets_are_cached_per_combination(client, bank, monkeypatch):
    counted = []
    real_listed = selectors.facets._listed

    def listed(filters):
        counted.append(filters)
        return real_listed(filters)

    monkeypatch.setattr(selectors.facets, "_listed", listed)
    url = reverse("knowledge:initiative-list")
    first = client.get(url, {"county": ["24", "25"]})
    second = client.get(url, {"county": ["25", "24"]})  # the same filters
    third = client.get(url, {"county": ["24"]})
    assert first.context["facets"] == second.context["facets"]
    assert first.context["total"] == second.context["total"] == 3
    assert third.context["total"] == 2
    assert [filters.county for filters in counted] == [["24", "25"], ["24"]]


def test_a_form_sent_twice_registers_one_initiative(as_user, member, organisation):
    client = as_user(member)
    form = client.get(reverse("knowledge:initiative-create")).context["form"]
    data = {
        "submission": form["submission"].value(),
        "lead": organisation.pk,
        "title": "Läxhjälp i Morjärv",
        "summary": "Frivilliga hjälper till med läxor i byskolan.",
        "municipality": "2514",
        "stage": term(Vocabulary.STAGE, "ide").pk,
    }
    first = client.post(reverse("knowledge:initiative-create"), data)
    again = client.post(reverse("knowledge:initiative-create"), data)
    initiative = Initiative.objects.get()
    detail = reverse("knowledge:initiative-detail", args=[initiative.slug])
    assert (first.status_code, first["Location"]) == (302, detail)
    assert (again.status_code, again["Location"]) == (302, detail)
    assert AuditEntry.objects.filter(action="initiative.create").count() == 1
    # A new form (a new token) registers another one.
    data["submission"] = (
        client.get(reverse("knowledge:initiative-create")).context["form"]["submission"].value()
    )
    client.post(reverse("knowledge:initiative-create"), data)
    assert Initiative.objects.count() == 2


def test_a_form_refused_by_the_service_can_be_corrected_and_sent_again(
    as_user, member, organisation
):
    client = as_user(member)
    token = client.get(reverse("knowledge:initiative-create")).context["form"]["submission"]
    data = {
        "submission": token.value(),
        "lead": organisation.pk,
        "title": "Läxhjälp",
        "summary": "Läxor.",
        "municipality": "2514",
        "stage": term(Vocabulary.STAGE, "ide").pk,
        "start_date": "2026-05-01",
        "end_date": "2026-01-01",
    }
    refused = client.post(reverse("knowledge:initiative-create"), data)
    assert refused.status_code == 400 and not Initiative.objects.exists()
    data["end_date"] = "2026-12-01"
    assert client.post(reverse("knowledge:initiative-create"), data).status_code == 302
    assert Initiative.objects.count() == 1


def test_an_edit_sent_twice_is_saved_once_without_a_false_conflict(as_user, member, bank):
    initiative = bank["umea"]
    client = as_user(member)
    url = reverse("knowledge:initiative-update", args=[initiative.slug])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["summary"] = "Lånar ut allt från skidor till tält, gratis."
    responses = [client.post(url, data) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    initiative.refresh_from_db()
    assert initiative.summary == "Lånar ut allt från skidor till tält, gratis."
    assert (
        AuditEntry.objects.filter(action="initiative.update", target_id=str(initiative.pk)).count()
        == 1
    )


def similar_titles(page) -> list[str]:
    return [i.title for i in page.context["similar"]["initiatives"]]


@override_settings(PAGE_CACHE_SECONDS=0)  # the panel's own cache, not the whole page's
def test_similar_entries_of_a_detail_page_are_cached_until_a_change_commits(
    client, member, after_commit
):
    with after_commit():
        umea = make_initiative(
            member, title="Fritidsbanken Umeå", summary="Lånar ut fritidsutrustning gratis."
        )
        make_initiative(member, municipality=Municipality.objects.get(code="1480"))
    url = reverse("knowledge:initiative-detail", args=[umea.slug])
    with CaptureQueriesContext(connection) as first:
        assert similar_titles(client.get(url)) == []
    with CaptureQueriesContext(connection) as cached:
        assert similar_titles(client.get(url)) == []
    assert len(cached.captured_queries) < len(first.captured_queries)

    with after_commit():
        skelleftea = make_initiative(
            member,
            title="Fritidsbanken Skellefteå",
            summary="Lånar ut fritidsutrustning till barnfamiljer.",
            municipality=Municipality.objects.get(code="2482"),
        )
    assert similar_titles(client.get(url)) == ["Fritidsbanken Skellefteå"]

    with after_commit():
        services.initiative_update(
            actor=member,
            initiative=skelleftea,
            title="Läxhjälp i Skellefteå",
            summary="Frivilliga hjälper barnen med läxorna.",
        )
    assert similar_titles(client.get(url)) == []


def test_similar_entries_of_a_method_page_follow_changes(client, member, after_commit):
    with after_commit():
        method = make_method(
            member, title="Fritidsbank", summary="Gratis lån av fritidsutrustning."
        )
    url = reverse("knowledge:method-detail", args=[method.slug])
    assert client.get(url).context["similar"]["initiatives"] == []
    with after_commit():
        make_initiative(
            member, title="Fritidsbanken Umeå", summary="Lånar ut fritidsutrustning gratis."
        )
    assert [i.title for i in client.get(url).context["similar"]["initiatives"]] == [
        "Fritidsbanken Umeå"
    ]


def plain_facet_counts(initiatives) -> dict[str, dict[str, int]]:
    """The facets counted one initiative at a time, the straightforward way."""
    counts: dict[str, dict[str, int]] = {name: {} for name in selectors.FACET_FIELDS}

    def add(name: str, values) -> None:
        for value in set(values):
            counts[name][value] = counts[name].get(value, 0) + 1

    for initiative in initiatives:
        add("challenge", [t.code for t in initiative.challenges.all()])
        add("target_group", [t.code for t in initiative.target_groups.all()])
        add("sdg", [t.code for t in initiative.sdgs.all()])
        add("stage", [initiative.stage.code])
        add("county", [initiative.municipality.county_id] if initiative.municipality else [])
        add(
            "sector",
            [
                p.organisation.sector.code
                for p in initiative.partnerships.all()
                if p.organisation.sector
            ],
        )
        add("method", [m.slug for m in initiative.methods.all()])
    return counts


def test_facet_counts_equal_a_plain_count(bank, member):
    make_initiative(
        member,
        title="Språkcafé i Göteborg",
        municipality=Municipality.objects.get(code="1480"),
        methods=[bank["method"]],
        challenges=[
            term(Vocabulary.CHALLENGE, "integration"),
            term(Vocabulary.CHALLENGE, "ohalsa"),
        ],
        target_groups=[term(Vocabulary.TARGET_GROUP, "nyanlanda")],
        sdgs=[term(Vocabulary.SDG, "4"), term(Vocabulary.SDG, "10")],
    )
    everything = Initiative.objects.all()
    some = list(
        everything.filter(municipality__county_id__in=["14", "24"]).values_list("pk", flat=True)
    )
    assert 1 < len(some) < everything.count()
    for ids, chosen in [
        (None, everything),
        (some, everything.filter(pk__in=some)),
        (
            everything.filter(municipality__county_id="24").values_list("pk", flat=True),
            everything.filter(municipality__county_id="24"),
        ),
        ([], everything.none()),
    ]:
        facets = selectors.facet_counts(ids)
        found = {name: {f["value"]: f["count"] for f in values} for name, values in facets.items()}
        assert found == plain_facet_counts(chosen)


def test_method_list_and_api_come_in_pages(client, member):
    for number in range(23):
        make_method(member, title=f"Metod {number:02d}")
    first = client.get("/metoder/")
    titles = [m.title for m in first.context["methods"]]
    assert titles == [f"Metod {number:02d}" for number in range(20)]
    assert "?page=2" in first.content.decode()
    second = client.get("/metoder/?page=2")
    assert [m.title for m in second.context["methods"]] == ["Metod 20", "Metod 21", "Metod 22"]
    assert client.get("/metoder/?page=99").context["page"].number == 2
    body = client.get("/api/v1/methods", {"limit": 5, "offset": 20}).json()
    assert body["count"] == 23
    assert [m["title"] for m in body["items"]] == ["Metod 20", "Metod 21", "Metod 22"]


def test_the_method_api_shows_each_method_s_own_terms(client, member):
    make_method(
        member,
        title="Språkcafé",
        challenges=[term(Vocabulary.CHALLENGE, "integration")],
        target_groups=[term(Vocabulary.TARGET_GROUP, "nyanlanda")],
        sdgs=[term(Vocabulary.SDG, "10"), term(Vocabulary.SDG, "4")],
    )
    make_method(member, title="Fritidsbank", challenges=[term(Vocabulary.CHALLENGE, "ohalsa")])
    for query in ({}, {"q": "språkcafé fritidsbank"}):
        items = {m["title"]: m for m in client.get("/api/v1/methods", query).json()["items"]}
        codes = {
            title: [
                [t["code"] for t in item[name]] for name in ("challenges", "target_groups", "sdgs")
            ]
            for title, item in items.items()
        }
        assert codes["Fritidsbank"] == [["ohalsa"], [], []]
        assert codes["Språkcafé"][:2] == [["integration"], ["nyanlanda"]]
        assert sorted(codes["Språkcafé"][2]) == ["10", "4"]


def test_a_method_search_reads_only_the_methods_of_its_page(client, member):
    for number in range(23):
        make_method(member, title=f"Språkcafé {number:02d}")
    every = client.get("/api/v1/methods", {"q": "språkcafé", "limit": 100}).json()
    assert every["count"] == 23
    ranked = [m["title"] for m in every["items"]]
    with CaptureQueriesContext(connection) as queries:
        window = client.get("/api/v1/methods", {"q": "språkcafé", "limit": 5, "offset": 20})
    assert window.json()["count"] == 23
    assert [m["title"] for m in window.json()["items"]] == ranked[20:]
    read = [q["sql"] for q in queries.captured_queries if "initiative_count" in q["sql"]]
    assert len(read) == 1
    # The logged statement holds its parameters: the ids asked for are the page's three.
    asked = read[0].split('"knowledge_method"."id" IN (')[1].split(")")[0]
    assert len(asked.split(",")) == 3
    page = client.get("/metoder/", {"q": "språkcafé", "page": 2})
    assert [m.title for m in page.context["methods"]] == ranked[20:]
    assert page.context["page"].paginator.count == 23


def test_method_list_counts_initiatives_and_adaptations(client, member):
    method = make_method(member, title="Läxhjälp")
    make_method(member, title="Oanvänd metod")
    first = make_initiative(member, title="Läxhjälp i Umeå", methods=[method])
    make_initiative(member, title="Läxhjälp i Luleå", methods=[method])
    third = make_initiative(member, title="Läxhjälp i Kiruna")
    services.adaptation_create(
        actor=member, initiative=third, source_method=method, what_changed="På distans"
    )
    shown = {m.title: m for m in client.get("/metoder/").context["methods"]}
    assert shown["Läxhjälp"].initiative_count == method.initiatives.count() >= 2
    assert shown["Läxhjälp"].adaptation_count == method.adaptations.count() == 1
    assert (shown["Oanvänd metod"].initiative_count, shown["Oanvänd metod"].adaptation_count) == (
        0,
        0,
    )
    assert first in method.initiatives.all()


def test_htmx_answer_carries_the_filters_count_and_summary_out_of_band(client, bank):
    response = client.get(
        reverse("knowledge:initiative-list"), {"county": "24"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert '<p id="result-status" hx-swap-oob="innerHTML">' in html
    assert '<div id="facet-fields" hx-swap-oob="innerHTML">' in html
    assert '<span id="filter-summary" hx-swap-oob="true">' in html
    assert 'id="f-county-24" checked' in html


def test_history_restore_gets_the_whole_page(client, bank):
    # htmx asks for the whole page when going back (the list keeps no history snapshot).
    response = client.get(
        reverse("knowledge:initiative-list"),
        {"county": "24"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_empty_result_offers_to_remove_each_filter_ask_for_advice_and_register(client, bank):
    response = client.get(
        reverse("knowledge:initiative-list"),
        {"q": "fritidsbank", "county": ["01", "99"], "challenge": "ohalsa"},
    )
    assert response.context["total"] == 0
    active = [(a["filter"].name, a["filter"].label) for a in response.context["active_filters"]]
    # Labels from the vocabularies; an unknown code is listed as it is, to be removable.
    assert active == [("challenge", "Ohälsa"), ("county", "Stockholms län"), ("county", "99")]
    html = response.content.decode()
    assert 'href="?q=fritidsbank&amp;county=01&amp;county=99"' in html  # without ohälsa
    assert 'href="?q=fritidsbank&amp;county=99&amp;challenge=ohalsa"' in html  # without 01
    assert 'href="?county=01&amp;county=99&amp;challenge=ohalsa"' in html  # without the text
    assert reverse("support:request-create") in html
    assert reverse("knowledge:initiative-create") in html
    # The chosen boxes stay, with a count of 0, so that they can be unticked.
    counties = {f["value"]: f["count"] for f in response.context["facets"]["county"]}
    assert counties == {"01": 0, "99": 0}
    assert 'id="f-challenge-ohalsa" checked' in html


def test_the_method_facet_shows_the_most_used_methods_and_any_chosen_one(
    client, bank, member, monkeypatch
):
    rare = make_method(member, title="Läxhjälp", summary="Hjälp med läxor.")
    make_initiative(member, title="Läxhjälp i Ersboda", methods=[rare])
    monkeypatch.setattr(selectors.facets, "LIST_METHOD_FACET_LIMIT", 1)
    url = reverse("knowledge:initiative-list")
    shown = client.get(url, {"q": "läxhjälp fritidsbank"}).context["facets"]["method"]
    assert [m["value"] for m in shown] == [bank["method"].slug]  # used by three, rare by one
    chosen = client.get(url, {"method": rare.slug}).context["facets"]["method"]
    assert [(m["value"], m["checked"]) for m in chosen] == [(rare.slug, True)]
