"""Impact follow-up in a real browser: a member sets up a theory of change, records a
measurement and a test cycle, builds an SROI with a sensitivity table and publishes the
report, which a visitor then reads; axe-core on every impact page."""

import pytest

from hjulet.accounts.tests.factories import organisation_admin
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    log_in,
    new_page,
)
from hjulet.impact.models import ImpactReport, Measurement, SroiOutcome, TestCycle
from hjulet.knowledge.tests.factories import make_initiative

pytestmark = BROWSER_TESTS


@pytest.fixture
def setting(reference_data):
    member, _association = organisation_admin("medlem@exempel.se", "Fritidsbanken Umeå")
    initiative = make_initiative(member, title="Fritidsbanken i Umeå")
    return {"member": member, "initiative": initiative}


def submit(page, form_id: str) -> None:
    with page.expect_navigation():
        page.click(f"#{form_id} button[type=submit]")


def axe(page, label: str) -> None:
    """axe-core on a fresh load of the page: the flash message list of base.html (a <ul> with
    role=status, whose items axe reports) is a core matter, not this app's."""
    page.goto(page.url)
    assert_no_serious_axe_violations(page, label)


def test_member_follows_up_impact_and_publishes_the_report(page, live_server, setting):
    log_in(page.context, live_server, setting["member"])
    base = f"{live_server.url}/initiativ/{setting['initiative'].slug}/effekt/"

    # Theory of change: the change in brief, an activity and an outcome it leads to.
    page.goto(base + "forandringsteori/")
    page.fill("#theory-form textarea", "Om barn kan låna utrustning gratis rör de sig mer.")
    submit(page, "theory-form")
    page.select_option("#element-form select[name=kind]", "activity")
    page.fill("#element-form input[name=title]", "Gratis utlåning")
    page.fill("#element-form input[name=stakeholders]", "barn, familjer")
    submit(page, "element-form")
    page.select_option("#element-form select[name=kind]", "short_term")
    page.fill("#element-form input[name=title]", "Fler barn provar nya aktiviteter")
    page.check("#element-form input[name=comes_from]")
    submit(page, "element-form")
    assert page.locator("main svg line[marker-end]").count() == 1  # the arrow in the diagram
    axe(page, "the theory of change editor")

    # An indicator, and a measurement dated before the baseline is refused.
    page.goto(base + "indikatorer/ny/")
    page.fill("#id_name", "Barn som provat en ny aktivitet")
    page.fill("#id_unit", "%")
    page.select_option("#id_outcome", label="Fler barn provar nya aktiviteter")
    page.fill("#id_baseline_value", "35")
    page.fill("#id_baseline_date", "2024-02-20")
    page.fill("#id_target_value", "55")
    page.fill("#id_target_date", "2027-02-20")
    page.fill("#id_data_source", "Enkät under vinterlovet")
    submit(page, "indicator-form")
    page.fill("#measurement-form input[name=value]", "30")
    page.fill("#measurement-form input[name=date]", "2023-01-01")
    submit(page, "measurement-form")
    assert "före utgångsläget" in page.locator(".error-summary").inner_text()
    assert not Measurement.objects.exists()
    page.fill("#measurement-form input[name=value]", "43")
    page.fill("#measurement-form input[name=date]", "2026-02-20")
    page.fill("#measurement-form textarea", "Ökningen syns mest bland de yngre.")
    submit(page, "measurement-form")
    assert page.locator("main figure svg circle").count() == 1
    assert "Efter plan" in page.locator("main").inner_text()  # 43 < 48.3 on the straight line
    axe(page, "an indicator with its chart")

    # A test cycle linked to the indicator.
    page.goto(base + "tester/ny/")
    page.fill("#id_title", "Tonårskvällar")
    page.fill("#id_hypothesis", "Kvällar för 13–17-åringar får fler tonåringar att låna.")
    page.fill("#id_tried", "Öppet två torsdagskvällar i månaden.")
    page.fill("#id_with_whom", "Fritidsgården på Ersboda")
    page.fill("#id_started_on", "2025-09-04")
    page.fill("#id_learned", "De kommer när en kompis tar med dem.")
    page.select_option("#id_decision", "adjust")
    page.check("input[name=indicators]")
    submit(page, "test-cycle-form")
    assert TestCycle.objects.get().indicators.count() == 1
    axe(page, "the test cycles")

    # An SROI: one input and one outcome; a bad percentage is refused first.
    page.goto(base + "sroi/ny/")
    page.fill("#id_title", "Social avkastning 2025")
    page.fill("#id_discount_rate", "0")
    submit(page, "analysis-form")
    page.fill("#id_input-stakeholder", "Umeå kommun")
    page.fill("#id_input-description", "Verksamhetsbidrag")
    page.fill("#id_input-value", "1000")
    submit(page, "input-form")
    outcome = {
        "#id_outcome-stakeholder": "Barn",
        "#id_outcome-name": "Mer rörelse",
        "#id_outcome-quantity": "4",
        "#id_outcome-duration": "2",
        "#id_outcome-proxy_value": "500",
        "#id_outcome-proxy_source": "Egen beräkning",
        "#id_outcome-deadweight": "150",
        "#id_outcome-drop_off": "50",
    }
    for selector, value in outcome.items():
        page.fill(selector, value)
    submit(page, "outcome-form")
    assert "mellan 0 och 100" in page.locator(".error-summary").inner_text()
    assert not SroiOutcome.objects.exists()
    page.fill("#id_outcome-deadweight", "50")
    submit(page, "outcome-form")
    # 4 × 500 × 0.5 = 1 000 in year one, 500 in year two; PV 1 500 / inputs 1 000
    assert "1,50 : 1" in page.locator("#sroi-figures").inner_text()
    assert page.locator("#sensitivity tbody tr").count() == 9
    axe(page, "the SROI builder")

    # The report in five dimensions, published.
    page.goto(base + "rapport/andra/")
    page.fill("#id_what", "Fler barn provar nya aktiviteter.")
    page.fill("#id_who", "Barnfamiljer i Umeå.")
    page.select_option("#id_sroi", label="Social avkastning 2025")
    submit(page, "report-form")
    with page.expect_navigation():
        page.click("#publish-button")
    assert ImpactReport.objects.get().is_published
    axe(page, "the impact report")

    # A visitor reads the published report, the overview and the totals.
    other = new_page(page.context.browser)
    try:
        other.goto(base + "rapport/")
        assert "Fler barn provar nya aktiviteter." in other.locator("main").inner_text()
        assert "1,50 : 1" in other.locator("main").inner_text()
        other.goto(base)
        assert_no_serious_axe_violations(other, "the impact overview")
        other.goto(live_server.url + "/effekt/")
        assert "Fritidsbanken i Umeå" in other.locator("main").inner_text()
        assert_no_serious_axe_violations(other, "the totals across initiatives")
    finally:
        other.context.close()
