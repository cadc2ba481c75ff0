"""The site-wide search in a real browser: type in the header's search box, see results,
change the kind filter without pressing a button (htmx, the address follows), go back with
the browser's Back button; no console errors; axe-core on the results page, at phone and
desktop widths."""

import pytest

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.knowledge.tests.factories import make_initiative, make_method

from .browser_fixtures import BROWSER_TESTS, assert_no_serious_axe_violations

pytestmark = BROWSER_TESTS


@pytest.fixture
def content(reference_data):
    organisation = OrganisationFactory(name="Vedföreningen", municipality_id="2480")
    member = UserFactory(email="ved@exempel.se")
    MembershipFactory(user=member, organisation=organisation, role=MembershipRole.ADMIN)
    for number in range(3):
        make_initiative(member, title=f"Vedbod {number}", summary="Vi hugger ved tillsammans.")
    make_method(member, title="Vedklubben", what="Att hugga ved i grupp, med fika.")
    return member


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def result_kinds(page) -> list[str]:
    return page.locator("#site-search-results .site-results > li").evaluate_all(
        "items => items.map(li => li.querySelector('.card-title a').getAttribute('href'))"
    )


def test_search_from_the_header_filter_by_kind_and_go_back(page, live_server, content):
    errors = console_errors(page)
    page.goto(live_server.url + "/")
    page.fill("#header-search-q", "ved")
    page.press("#header-search-q", "Enter")
    page.wait_for_url("**/sok/?q=ved")
    everything = result_kinds(page)
    assert len(everything) == 4
    assert any(href.startswith("/metoder/") for href in everything)
    assert page.locator("mark").count() >= 4

    # Choosing a kind applies at once (no button), by keyboard: the radios are a group.
    page.focus("#kind-all")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/sok/?q=ved&kind=initiative")
    page.wait_for_function(
        "() => document.querySelectorAll('#site-search-results .site-results > li').length === 3"
    )
    assert all(href.startswith("/initiativ/") for href in result_kinds(page))
    assert page.is_checked("#kind-initiative")

    page.check("#kind-method")
    page.wait_for_url("**/sok/?q=ved&kind=method")
    page.wait_for_function(
        "() => document.querySelectorAll('#site-search-results .site-results > li').length === 1"
    )
    assert result_kinds(page)[0].startswith("/metoder/")

    page.go_back()
    page.wait_for_url("**/sok/?q=ved&kind=initiative")
    page.wait_for_function(
        "() => document.querySelectorAll('#site-search-results .site-results > li').length === 3"
    )
    page.go_back()
    page.wait_for_url("**/sok/?q=ved")
    page.wait_for_function(
        "() => document.querySelectorAll('#site-search-results .site-results > li').length === 4"
    )
    assert not errors, errors


def test_the_results_page_passes_axe_at_phone_and_desktop_widths(page, live_server, content):
    errors = console_errors(page)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/sok/?q=ved")
        assert_no_serious_axe_violations(page, f"/sok/?q=ved at {width} px")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow} px too wide at {width} px"
        page.goto(live_server.url + "/sok/?q=qwzxv&kind=method")
        assert_no_serious_axe_violations(page, f"the empty result at {width} px")
    assert not errors, errors
