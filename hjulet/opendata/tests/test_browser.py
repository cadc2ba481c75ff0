"""The open data page in a real browser: no serious axe violations, no horizontal scrolling
on a phone, and screenshots at 375 and 1280 px (in screenshots/, not committed)."""

from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    SCREENSHOTS,
    assert_no_serious_axe_violations,
)

from .factories import make_open_data

pytestmark = BROWSER_TESTS


def test_the_open_data_page_reads_well_on_a_phone_and_a_desktop(
    page, live_server, reference_data, org_admin, organisation, coordinator
):
    make_open_data(org_admin, organisation, coordinator)
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/data/")
        assert page.get_attribute("html", "lang") == "sv"
        assert page.locator("h1").inner_text() == "Öppna data"
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"horizontal scrolling at {width} px"
        page.screenshot(path=str(SCREENSHOTS / f"opendata-{width}.png"), full_page=True)
        assert_no_serious_axe_violations(page, f"/data/ at {width} px")
    page.get_by_role("link", name="Turtle").click()
    assert "dcat:Dataset" in page.content()
