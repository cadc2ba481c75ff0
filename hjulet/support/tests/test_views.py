"""The pages: directory, calls, advice requests, exports; permissions per persona."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from hjulet.core.models import Municipality
from hjulet.knowledge.tests.factories import make_initiative
from hjulet.support import services
from hjulet.support.models import AdviceRequest, CallFollow, FundingCall

from .factories import make_call, make_structure, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(resident, coordinator):
    adviser_office = make_structure("Vännäs företagsam", municipalities=["2460"])
    funder = make_structure(
        "Coompanion Västerbotten",
        scope="county",
        counties=["24"],
        services_offered=["advice", "funding"],
    )
    call = make_call(
        funder.admin,
        funder.organisation,
        title="Bygdepengar 2026",
        scope="county",
        counties=[Municipality.objects.get(code="2460").county],
    )
    request = services.request_create(
        actor=resident,
        title="Cykelkök",
        description="Grannar lagar cyklar.",
        municipality=Municipality.objects.get(code="2460"),
        needs=["advice"],
    )
    return {"office": adviser_office, "funder": funder, "call": call, "request": request}


def test_public_pages_render_for_anonymous(client, setup):
    for url in (
        "/stod/",
        "/stod/?municipality=2460&need=advice&audience=residents",
        "/stod/vannas-foretagsam/",
        "/utlysningar/",
        "/utlysningar/?open_now=on&municipality=2460&audience=residents&challenge=",
        "/utlysningar/bygdepengar-2026/",
        "/radgivning/fraga/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/stod/?municipality=2460").content.decode()
    assert "Vännäs företagsam" in page and "Coompanion Västerbotten" in page
    assert "Bygdepengar 2026" in page  # open calls for the place
    assert '<svg class="map"' in page and "<table>" in page
    assert "Coompanion" not in client.get("/stod/?municipality=2514").content.decode()


def test_an_unknown_municipality_filter_is_ignored_not_an_error(client, setup):
    assert client.get("/stod/?municipality=9999&need=magic").status_code == 200
    assert client.get("/utlysningar/?municipality=abc").status_code == 200


def test_private_pages_need_login(client, setup):
    for url in (
        "/radgivning/",
        f"/radgivning/{setup['request'].pk}/",
        "/stod/ny/",
        "/utlysningar/ny/",
    ):
        assert client.get(url).status_code == 302, url


def test_requests_are_seen_only_by_asker_handlers_and_coordinators(
    as_user, setup, resident, coordinator, outsider, member
):
    url = f"/radgivning/{setup['request'].pk}/"
    assert as_user(resident).get(url).status_code == 200
    assert "note-form" not in as_user(resident).get(url).content.decode()
    assert "note-form" in as_user(setup["office"].admin).get(url).content.decode()
    assert as_user(coordinator).get(url).status_code == 200
    for persona in (outsider, member, setup["funder"].admin):
        assert as_user(persona).get(url).status_code == 404
    inbox = as_user(setup["office"].admin).get("/radgivning/").content.decode()
    assert "Cykelkök" in inbox
    assert "Cykelkök" not in as_user(setup["funder"].admin).get("/radgivning/").content.decode()


def test_ask_for_advice_through_the_form(as_user, setup, outsider):
    client = as_user(outsider)
    response = client.post(
        "/radgivning/fraga/",
        {
            "title": "Läxhjälp",
            "description": "Vi vill hjälpa barn.",
            "municipality": "2514",
            "needs": ["premises"],
        },
    )
    created = AdviceRequest.objects.get(title="Läxhjälp")
    assert response.status_code == 302 and response.url == f"/radgivning/{created.pk}/"
    assert created.to_coordinators
    bad = client.post("/radgivning/fraga/", {"title": "", "municipality": "2514"})
    assert bad.status_code == 400
    assert "error-summary" in bad.content.decode()


def test_handle_a_request_on_its_page(as_user, setup, member):
    office = setup["office"]
    advice = setup["request"]
    client = as_user(office.admin)
    base = f"/radgivning/{advice.pk}/"
    client.post(base + "radgivare/", {"adviser": office.admin.pk, "version": 1})
    client.post(
        base + "anteckning/",
        {"note-kind": "meeting", "note-text": "Möte", "note-met_on": today().isoformat()},
    )
    response = client.post(
        base + "avsluta/", {"close-outcome": "referred", "close-note": ""}, follow=True
    )
    assert "Ange vart" in response.content.decode()
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.IN_PROGRESS
    client.post(
        base + "avsluta/",
        {
            "close-outcome": "science_shop",
            "close-note": "Fråga till forskarverkstaden om cyklar",
            "close-version": advice.version,
        },
    )
    advice.refresh_from_db()
    assert (advice.status, advice.outcome) == ("closed", "science_shop")
    assert advice.notes.get().kind == "meeting"


def test_outsider_cannot_post_handling_actions(as_user, setup, outsider):
    base = f"/radgivning/{setup['request'].pk}/"
    assert (
        as_user(outsider).post(base + "avsluta/", {"close-outcome": "advice_given"}).status_code
        == 404
    )
    assert AdviceRequest.objects.get(pk=setup["request"].pk).status == "new"


def test_follow_and_unfollow_on_the_page(as_user, setup, resident):
    client = as_user(resident)
    url = "/utlysningar/bygdepengar-2026/folj/"
    client.post(url, {"follow": "1"})
    response = client.post(url, {"follow": "1"}, follow=True)
    assert "Du följer redan" in response.content.decode()
    assert CallFollow.objects.filter(user=resident).count() == 1
    client.post(url, {"follow": "0"})
    assert not CallFollow.objects.exists()
    assert as_user(None).post(url).status_code == 302  # to the login page


def test_publish_a_call_with_a_bad_date_range_shows_the_message(as_user, setup):
    funder = setup["funder"]
    response = as_user(funder.admin).post(
        "/utlysningar/ny/",
        {
            "funder": funder.organisation.pk,
            "title": "Fel datum",
            "purpose": "x",
            "scope": "national",
            "audiences": ["residents"],
            "opens_on": "2026-06-01",
            "deadline": "2026-05-01",
            "amount_min": "500",
            "amount_max": "100",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sista ansökningsdag kan inte vara före öppningsdagen." in page
    assert "Det minsta bidraget kan inte vara större än det största." in page
    assert not FundingCall.objects.filter(title="Fel datum").exists()


def test_the_organisation_edits_its_entry_others_cannot(as_user, setup, outsider):
    office = setup["office"]
    url = "/stod/vannas-foretagsam/andra/"
    assert as_user(outsider).get(url).status_code == 403
    response = as_user(office.admin).post(
        url,
        {
            "summary": "Ny text",
            "services": ["advice", "training"],
            "audiences": ["residents"],
            "scope": "municipality",
            "municipalities": ["2460", "2480"],
            "contact_email": "ny@vannas.se",
            "version": 1,
        },
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.summary == "Ny text" and office.services == ["advice", "training"]
    assert office.municipalities.count() == 2


def test_an_admin_adds_their_organisation_to_the_directory(as_user, org_admin, organisation):
    response = as_user(org_admin).post(
        "/stod/ny/",
        {
            "organisation": organisation.pk,
            "summary": "Vi lånar ut saker.",
            "services": ["premises"],
            "audiences": ["residents"],
            "scope": "national",
            "contact_email": "hej@fritid.se",
        },
    )
    assert response.status_code == 302
    assert organisation.support_structure.services == ["premises"]


def test_exports(client, setup):
    csv = client.get("/stod/export.csv?municipality=2460").getvalue().decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("organisation,summary,services")
    assert "Vännäs företagsam" in csv
    xlsx = client.get("/utlysningar/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.values)
    assert rows[0][0] == "title" and rows[1][0] == "Bygdepengar 2026"
    assert client.get("/stod/export.pdf").status_code == 404


def test_calls_for_an_initiative_fragment(client, setup, member):
    initiative = make_initiative(member, municipality=Municipality.objects.get(code="2480"))
    page = client.get(f"/utlysningar/for-initiativ/{initiative.slug}/").content.decode()
    assert "Bygdepengar 2026" in page
    elsewhere = make_initiative(
        member, title="I Kalix", municipality=Municipality.objects.get(code="2514")
    )
    page = client.get(f"/utlysningar/for-initiativ/{elsewhere.slug}/").content.decode()
    assert "Bygdepengar 2026" not in page
    assert client.get("/utlysningar/for-initiativ/finns-inte/").status_code == 404


def test_the_initiative_page_loads_the_fitting_calls(client, setup, member):
    initiative = make_initiative(member)
    page = client.get(f"/initiativ/{initiative.slug}/").content.decode()
    assert f'hx-get="/utlysningar/for-initiativ/{initiative.slug}/"' in page


def test_anonymous_visitors_are_asked_to_log_in_to_follow(client, setup):
    page = client.get("/utlysningar/bygdepengar-2026/").content.decode()
    assert "/konto/logga-in/?next=/utlysningar/bygdepengar-2026/" in page


def test_forward_on_the_page(as_user, setup, coordinator, outsider):
    base = f"/radgivning/{setup['request'].pk}/skicka-vidare/"
    funder = setup["funder"]
    as_user(outsider).post(base, {"forward-structure": funder.pk})
    assert setup["request"].routed_to.count() == 1
    as_user(coordinator).post(base, {"forward-structure": funder.pk})
    assert setup["request"].routed_to.count() == 2


def test_open_now_for_me_uses_my_organisations_place(as_user, setup, member, resident):
    # the member's organisation (Fritidsbanken Umeå, idéburen) is in Umeå, Västerbotten
    response = as_user(member).get("/utlysningar/?for_me=1")
    assert response.url == "/utlysningar/?open_now=on&audience=ideburen&municipality=2480"
    page = as_user(member).get(response.url).content.decode()
    assert "Bygdepengar 2026" in page
    assert as_user(resident).get("/utlysningar/?for_me=1").url == (
        "/utlysningar/?open_now=on&audience=residents"
    )


def test_ask_for_advice_from_the_directory_keeps_place_and_need(as_user, setup, resident):
    page = as_user(resident).get("/stod/?municipality=2460&need=funding").content.decode()
    assert 'href="/radgivning/fraga/?municipality=2460&amp;needs=funding"' in page
    form = as_user(resident).get("/radgivning/fraga/?municipality=2460&needs=funding")
    html = form.content.decode()
    assert '<option value="2460" selected>' in html
    assert 'value="funding" id="id_needs_1" checked' in html


def test_closed_calls_only_when_asked(client, setup):
    funder = setup["funder"]
    make_call(
        funder.admin,
        funder.organisation,
        title="Förra årets bygdepengar",
        opens_on=today() - datetime.timedelta(days=400),
        deadline=today() - datetime.timedelta(days=300),
    )
    assert "Förra årets" not in client.get("/utlysningar/").content.decode()
    assert "Förra årets" in client.get("/utlysningar/?include_closed=on").content.decode()
    csv = client.get("/utlysningar/export.csv?include_closed=on").getvalue().decode("utf-8-sig")
    assert "Förra årets" in csv
