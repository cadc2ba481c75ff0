"""The knowledge bank's list in a real browser: filters apply as soon as they change (htmx,
the URL follows and the back button restores the state), on a phone the results come before
the filters, which open in a panel; an empty result proposes next steps; axe-core at both
widths."""

import pytest
from playwright.sync_api import expect

from hjulet.accounts.tests.factories import organisation_admin
from hjulet.core.models import Municipality, Vocabulary
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    focused_matches,
    tab_to,
)
from hjulet.knowledge.tests.factories import make_initiative, term

pytestmark = BROWSER_TESTS


@pytest.fixture
def bank(reference_data):
    """Three initiatives: two in Västerbotten (one about health), one in Stockholm."""
    member, _association = organisation_admin("medlem@exempel.se", "Vännäs idrottsallians", "2460")
    umea = make_initiative(
        member,
        title="Fritidsbanken Umeå",
        summary="Lånar ut fritidsutrustning gratis till barnfamiljer.",
        challenges=[term(Vocabulary.CHALLENGE, "ohalsa")],
    )
    make_initiative(
        member,
        title="Läxhjälp i Ersboda",
        challenges=[term(Vocabulary.CHALLENGE, "integration")],
    )
    make_initiative(
        member,
        title="Språkcafé i Rinkeby",
        summary="Samtal på svenska över en kopp kaffe.",
        municipality=Municipality.objects.get(code="0180"),
        challenges=[term(Vocabulary.CHALLENGE, "integration")],
    )
    return {"member": member, "umea": umea}


def titles(page) -> list[str]:
    return page.locator("#results .card-title a").all_inner_texts()


def watch_console_errors(page) -> list[str]:
    """htmx reports a malformed trigger (htmx:syntax:error) on the console, not as an
    uncaught error: collect console errors too."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_a_ticked_filter_applies_at_once_and_the_back_button_restores(page, live_server, bank):
    errors = watch_console_errors(page)
    page.goto(live_server.url + "/initiativ/")
    assert page.locator("details#filters").evaluate("d => d.open")  # wide: beside the results
    assert len(titles(page)) == 3

    page.check("#f-county-24")  # no button pressed
    page.wait_for_url("**/initiativ/?*county=24*")
    expect(page.locator("#results .card")).to_have_count(2)
    assert sorted(titles(page)) == ["Fritidsbanken Umeå", "Läxhjälp i Ersboda"]
    assert page.locator("#result-status").inner_text().startswith("2 ")
    assert "(1 " in page.locator("#filter-summary").inner_text()
    # The counts of the other facets follow the result; focus stays on the box just ticked.
    assert "(1)" in page.locator("label[for=f-challenge-ohalsa]").inner_text()
    assert focused_matches(page, "#f-county-24")

    page.check("#f-challenge-ohalsa")  # a box from the refreshed filters works as well
    page.wait_for_url("**challenge=ohalsa*")
    expect(page.locator("#results .card")).to_have_count(1)
    assert titles(page) == ["Fritidsbanken Umeå"]

    page.go_back()
    expect(page.locator("#results .card")).to_have_count(2)
    assert "challenge" not in page.url and "county=24" in page.url
    assert page.is_checked("#f-county-24") and not page.is_checked("#f-challenge-ohalsa")
    page.go_back()
    expect(page.locator("#results .card")).to_have_count(3)
    assert not page.is_checked("#f-county-24")
    assert not errors, f"console errors: {errors}"


def test_an_empty_result_proposes_next_steps(page, live_server, bank):
    errors = watch_console_errors(page)
    page.goto(live_server.url + "/initiativ/?county=01&challenge=ohalsa")
    empty = page.locator(".empty-result")
    assert empty.locator("h3").is_visible()
    assert page.locator("#result-status").inner_text().startswith("0 ")
    # Both chosen boxes are still there to untick, with a count of 0.
    assert page.is_checked("#f-county-01") and page.is_checked("#f-challenge-ohalsa")
    assert empty.locator("a[href='/radgivning/fraga/']").count() == 1
    assert empty.locator("a[href='/initiativ/nytt/']").count() == 1
    assert "Stockholms län" in empty.locator("a[href='?challenge=ohalsa']").inner_text()
    empty.locator("a[href='?challenge=ohalsa']").click()
    page.wait_for_url("**/initiativ/?challenge=ohalsa")
    assert titles(page) == ["Fritidsbanken Umeå"]
    assert not errors, f"console errors: {errors}"


def test_on_a_phone_the_results_come_first_and_the_filters_open_in_a_panel(page, live_server, bank):
    errors = watch_console_errors(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/initiativ/")
    summary = page.locator("#filters > summary")
    assert summary.is_visible()
    assert not page.locator("#filters fieldset").first.is_visible()
    first_result = page.locator("#results .card").first.bounding_box()
    assert first_result["y"] < 800, "the first result should be on the first screen"
    assert summary.bounding_box()["height"] >= 44  # a touch target
    assert_no_serious_axe_violations(page, "/initiativ/ at 375 px")

    # The keyboard opens the panel; ticking a filter keeps it open and updates the results.
    tab_to(page, "#filters > summary", limit=40)
    page.keyboard.press("Enter")
    assert page.locator("#filters fieldset").first.is_visible()
    assert page.locator("#filters fieldset").first.bounding_box()["y"] < first_result["y"] + 1000
    page.check("#f-county-01")
    expect(page.locator("#results .card")).to_have_count(1)
    assert page.locator("#filters").evaluate("d => d.open")
    assert "(1 " in page.locator("#filter-summary").inner_text()
    assert_no_serious_axe_violations(page, "/initiativ/ at 375 px with the filters open")
    assert not errors, f"console errors: {errors}"


def test_the_skip_link_moves_focus_to_the_results(page, live_server, bank):
    page.goto(live_server.url + "/initiativ/")
    tab_to(page, "a.skip-results", limit=30)
    assert page.locator("a.skip-results").bounding_box()["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert focused_matches(page, "#search-results")
    page.keyboard.press("Tab")
    assert focused_matches(page, "#search-results a, #search-results select")
