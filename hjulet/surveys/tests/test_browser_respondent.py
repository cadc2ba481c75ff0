"""The respondent's journey on a phone (375 px) by keyboard alone: the open link's welcome page,
the focused answer page with its progress, and the thanks; axe-core on each, no horizontal
overflow, targets of at least 24 px. Then the coordinator's side: the preview, the organisation
picker filtering in place, and the report builder adding a block without reloading the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory, grant
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    choose_radio_with_arrow_keys,
    log_in,
    new_page,
    press_enter_and_wait,
    skip_to_content,
    tab_to,
    tab_to_name,
)
from hjulet.surveys import services
from hjulet.surveys.models import Response

from .factories import import_demo_form

pytestmark = BROWSER_TESTS

PHONE = {"width": 375, "height": 740}

# Interactive things smaller than 24 × 24 px (WCAG 2.2 target size, minimum), leaving out links
# inside running text, which the criterion exempts.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main button, main input:not([type=hidden]), main select, main textarea, main label, .skip-link'
  )].filter((el) => {
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) return false;  // not shown
    if (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label')) {
      const label = el.closest('label').getBoundingClientRect();
      return label.height < 24 || label.width < 24;
    }
    return box.height < 24 || box.width < 24;
  }).map((el) => el.outerHTML.slice(0, 80))"""


@pytest.fixture
def world(reference_data):
    coordinator = grant(UserFactory(email="koordinator@exempel.se"), Role.COORDINATOR)
    organisation = OrganisationFactory(name="Samforma", municipality_id="2580")
    survey = import_demo_form(coordinator, organisation)
    survey = services.survey_update(
        actor=coordinator,
        survey=survey,
        expected_version=survey.version,
        deadline=timezone.now() + timedelta(days=14),
    )
    survey = services.survey_open(actor=coordinator, survey=survey)
    survey = services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=True)
    return coordinator, organisation, survey


def assert_fits_a_phone(page, label: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{label}: the page is {width} px wide at 375 px"
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{label}: targets under 24 px: {small}"


def test_a_member_answers_on_a_phone_by_keyboard(browser, live_server, world, tmp_path):
    _coordinator, _organisation, survey = world
    phone = new_page(browser, viewport=PHONE, has_touch=True)
    phone.set_default_timeout(30_000)
    phone.goto(f"{live_server.url}/enkater/{survey.slug}/oppen/{survey.anonymous_key}/")

    # The welcome page: what, until when, by whom, how the answers are used; no site menu.
    assert phone.get_by_role("heading", level=1).inner_text() == survey.title
    assert "Sista svarsdag" in phone.locator(".survey-facts").inner_text()
    assert "Så används dina svar" in phone.locator("main").inner_text()
    assert phone.locator("nav.site-nav").count() == 0
    assert_no_serious_axe_violations(phone, "the welcome page")
    assert_fits_a_phone(phone, "the welcome page")
    phone.screenshot(path=str(tmp_path / "welcome-375.png"), full_page=True)
    skip_to_content(phone)
    tab_to_name(phone, "Börja svara")
    press_enter_and_wait(phone)

    # The focused answer page with its progress.
    assert "/enkater/svar/" in phone.url
    assert phone.locator("nav.site-nav").count() == 0
    progress = phone.locator("#progress-text")
    assert progress.inner_text().startswith("0 av ")
    assert_no_serious_axe_violations(phone, "the answer page")
    assert_fits_a_phone(phone, "the answer page")
    skip_to_content(phone)
    tab_to(phone, "input[name=omrade]")
    choose_radio_with_arrow_keys(phone, "social")
    phone.wait_for_function(
        "() => document.getElementById('progress-text').textContent.startsWith('1 av ')"
    )
    tab_to(phone, "#f-anstallda", limit=3)
    phone.keyboard.type("3")
    tab_to(phone, "input[name=nya_losningar]", limit=3)
    choose_radio_with_arrow_keys(phone, "nej")
    tab_to(phone, "input[name=forutsattningar]", limit=12)
    choose_radio_with_arrow_keys(phone, "4")
    phone.wait_for_function(
        "() => document.getElementById('progress-text').textContent.startsWith('4 av ')"
    )
    phone.screenshot(path=str(tmp_path / "answer-375.png"), full_page=True)
    tab_to(phone, "#submit-answers", limit=20)
    press_enter_and_wait(phone)
    phone.get_by_role("heading", name="Tack!").wait_for()
    assert_no_serious_axe_violations(phone, "the thanks page")
    assert_fits_a_phone(phone, "the thanks page")
    answers = Response.objects.get(submitted_at__isnull=False).answers
    assert answers["omrade"] == "social" and answers["anstallda"] == 3


def test_a_closed_open_link_is_refused_on_the_welcome_page(browser, live_server, world):
    coordinator, _organisation, survey = world
    services.survey_close(actor=coordinator, survey=survey)
    phone = new_page(browser, viewport=PHONE)
    phone.goto(f"{live_server.url}/enkater/{survey.slug}/oppen/{survey.anonymous_key}/")
    assert "stängt" in phone.locator("#refusal").inner_text()
    assert phone.locator("#start-answering").count() == 0
    assert_no_serious_axe_violations(phone, "the refused link")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_coordinator_previews_picks_and_builds(page, live_server, world, width, tmp_path):
    coordinator, _organisation, survey = world
    for n in range(6):
        OrganisationFactory(name=f"Byalaget Umeå {n}")
    OrganisationFactory(name="Luleå Hembygdsförening", municipality_id="2580")
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(30_000)
    log_in(page.context, live_server, coordinator)

    # The preview: the form as respondents see it, marked, nothing stored.
    page.goto(f"{live_server.url}/enkater/{survey.slug}/forhandsvisning/")
    assert "Förhandsvisning" in page.locator(".preview-banner").inner_text()
    assert_no_serious_axe_violations(page, "the preview")
    if width == 375:
        assert_fits_a_phone(page, "the preview")
    page.click("#submit-answers")
    page.locator("#error-summary").wait_for()
    assert Response.objects.count() == 0

    # The picker filters in place (htmx) and keeps the chosen organisations.
    page.goto(f"{live_server.url}/enkater/{survey.slug}/utskick/")
    page.evaluate("() => { window.notReloaded = true; }")
    page.fill("#id_q", "Byalaget")
    page.locator("#org-results", has_text="6 organisationer till matchar").wait_for()
    page.check("#org-results input[name=org] >> nth=0")
    page.locator("#picked-count", has_text="1 organisation vald").wait_for()
    page.locator("#picked-count-send", has_text="1 organisation vald ovan").wait_for()
    assert page.locator("#picked-orgs input[name=organisations]").count() == 1
    assert page.evaluate("() => window.notReloaded === true")
    assert "q=Byalaget" in page.url  # the address keeps the filter
    assert_no_serious_axe_violations(page, "the send page")
    if width == 375:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.click("#preview-mail")
    page.locator("#mail-preview [role=status]").wait_for()
    assert "för Samformas räkning" in page.locator(".mail-body").inner_text()
    assert "Svara gärna för Byalaget Umeå" in page.locator(".mail-body").inner_text()
    page.screenshot(path=str(tmp_path / f"send-{width}.png"), full_page=True)

    # The report builder adds a block without reloading the page.
    report = services.report_create(actor=coordinator, survey=survey, title="Rapport")
    page.goto(f"{live_server.url}/enkater/rapport/{report.slug}/redigera/")
    page.evaluate("() => { window.notReloaded = true; }")
    question = survey.questions.get(name="nya_losningar")
    options = page.locator("#id_question option").all_inner_texts()
    assert question.label_sv in options and "nya_losningar" not in options
    page.select_option("#id_kind", "chart")
    page.fill("#id_heading", "Nytänkande lösningar")
    page.select_option("#id_question", str(question.pk))
    page.click("#add-block")
    page.locator("#block-status", has_text="Blocket är tillagt som nummer 1").wait_for()
    assert page.evaluate("() => window.notReloaded === true")
    assert page.locator(".report-block h2", has_text="Nytänkande lösningar").count() == 1
    # Focus moves to the new block once htmx has settled the swap.
    page.wait_for_function("() => document.activeElement.matches('.report-block h2')", timeout=5000)
    assert report.blocks.count() == 1
    if width == 375:
        size = page.evaluate(
            "() => Math.min(...[...document.querySelectorAll('svg.chart text')].map("
            "(t) => t.getBoundingClientRect().height))"
        )
        assert size >= 12, f"chart text is {size} px high on a phone"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_no_serious_axe_violations(page, "the report builder")
    page.screenshot(path=str(tmp_path / f"builder-{width}.png"), full_page=True)
