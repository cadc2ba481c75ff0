"""An editor finds a partner organisation by name on the initiative's page and asks it to
be a partner, in a real browser, at phone and desktop widths (screenshots for review)."""

import os

import pytest

from hjulet.accounts.tests.factories import OrganisationFactory, organisation_admin
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    log_in,
)
from hjulet.knowledge.tests.factories import make_initiative

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("width", [375, 1280])
def test_search_and_ask_a_partner(page, live_server, reference_data, width):
    admin, lead = organisation_admin("admin@exempel.se", "Vännäs idrottsallians", "2460")
    OrganisationFactory(name="Hembygdsföreningen Väster")
    OrganisationFactory(name="Hembygdsföreningen Öster")
    initiative = make_initiative(admin, lead=lead, title="Fritidsbanken Vännäs")
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(30_000)  # a busy machine; the page itself is small
    log_in(page.context, live_server, admin)
    page.goto(f"{live_server.url}/initiativ/{initiative.slug}/")
    page.fill("#id_partner_q", "hembygd")
    page.click("#id_partner_q ~ button, form:has(#id_partner_q) button[type=submit]")
    page.wait_for_url("**partner_q=hembygd**")
    options = page.locator("#id_organisation option").all_inner_texts()
    assert [o for o in options if "Hembygd" in o] == [
        "Hembygdsföreningen Väster",
        "Hembygdsföreningen Öster",
    ]
    if os.environ.get("HJULET_SCREENSHOTS"):
        page.locator("#add-partner").scroll_into_view_if_needed()
        page.screenshot(path=f"{os.environ['HJULET_SCREENSHOTS']}/partner-search-{width}.png")
    assert_no_serious_axe_violations(page, "the partner search")
    page.select_option("#id_organisation", label="Hembygdsföreningen Öster")
    page.locator("form[action$='/partner/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert initiative.partnerships.filter(organisation__name="Hembygdsföreningen Öster").exists()
