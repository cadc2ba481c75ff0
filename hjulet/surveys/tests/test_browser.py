"""The main journey in a real browser: a coordinator imports an XLSForm, opens and sends the
survey, a member answers in the browser (a follow-up question appears when its condition
holds), the used link is refused, and the published report shows the figures; axe-core on
each page on the way."""

from urllib.parse import urlsplit

import pytest
from django.core import mail

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory, grant
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    check_with_space,
    choose_file_with_keyboard,
    choose_radio_with_arrow_keys,
    choose_with_arrow_keys,
    log_in,
    new_page,
    skip_to_content,
    tab_to,
    tab_to_and_press_enter,
    tab_to_name,
    tab_to_name_and_press_enter,
    type_into,
)
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import Response, Survey

pytestmark = BROWSER_TESTS


@pytest.fixture
def people(reference_data):
    """A coordinator and the umbrella organisation (after reference data: transactional
    tests start from an empty database)."""
    coordinator = grant(UserFactory(email="koordinator@exempel.se"), Role.COORDINATOR)
    organisation = OrganisationFactory(name="Samforma", municipality_id="2580")
    return coordinator, organisation


def test_import_send_answer_and_publish(page, browser, live_server, people, tmp_path):
    coordinator, organisation = people
    form_file = tmp_path / "social_innovation_i_norr.xlsx"
    form_file.write_bytes(xlsform_bytes())
    log_in(page.context, live_server, coordinator)

    page.goto(live_server.url + "/enkater/import/")
    assert_no_serious_axe_violations(page, "the import page")
    page.select_option("#id_organisation", str(organisation.pk))
    page.set_input_files("#id_file", str(form_file))
    page.click("#import-form button[type=submit]")
    page.get_by_role("heading", name="Förhandsvisning").wait_for()
    assert page.get_by_text("nya_losningar", exact=True).count() == 1
    assert_no_serious_axe_violations(page, "the import preview")
    page.get_by_role("button", name="Importera som ett enkätutkast").click()
    page.wait_for_url("**/enkater/social-innovation-i-norr/")
    page.click("#open-survey")
    page.wait_for_url("**/enkater/social-innovation-i-norr/")
    assert Survey.objects.get().status == "open"
    # base.html's message list (ul role=status) trips axe's listitem rule; look again without
    page.reload()
    assert_no_serious_axe_violations(page, "the survey page")

    page.goto(live_server.url + "/enkater/social-innovation-i-norr/utskick/")
    page.fill("#id_emails", "medlem@exempel.se")
    page.get_by_role("button", name="Skicka inbjudningar").click()
    page.wait_for_url("**/utskick/")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/enkater/svar/" in line)
    path = "/enkater/svar/" + link.strip().rstrip("/").split("/enkater/svar/")[1] + "/"

    respondent = new_page(browser)
    respondent.goto(live_server.url + path)
    assert respondent.locator("#q-tillsammans").is_hidden()
    assert_no_serious_axe_violations(respondent, "the answering page")
    respondent.check("input[name=omrade][value=social]")
    respondent.check("input[name=nya_losningar][value=ja]")
    respondent.locator("#q-tillsammans").wait_for(state="visible")  # its condition now holds
    respondent.check("input[name=tillsammans][value=ja]")
    respondent.locator("#q-aktorer").wait_for(state="visible")
    respondent.check("input[name=aktorer][value=kommun]")
    respondent.fill("#f-anstallda", "-2")
    respondent.check("input[name=forutsattningar][value='4']")
    respondent.click("#submit-answers")
    respondent.locator("#error-summary").wait_for()
    assert "Skriv ett antal mellan 0 och 9999." in respondent.locator("#error-summary").inner_text()
    assert_no_serious_axe_violations(respondent, "the answering page with errors")
    respondent.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
    respondent.fill("#f-anstallda", "3")
    respondent.click("#submit-answers")
    respondent.get_by_role("heading", name="Tack!").wait_for()
    answers = Response.objects.get().answers
    assert answers["nya_losningar"] == "ja" and answers["aktorer"] == ["kommun"]
    assert answers["anstallda"] == 3
    respondent.goto(live_server.url + path)
    assert "redan använts" in respondent.locator("#refusal").inner_text()

    page.goto(live_server.url + "/enkater/social-innovation-i-norr/rapporter/ny/")
    page.fill("#id_title", "Social innovation i norr 2026")
    page.get_by_role("button", name="Skapa rapporten").click()
    page.wait_for_url("**/redigera/")
    page.select_option("#id_kind", "chart")
    page.fill("#id_heading", "Andel organisationer som utvecklat nytänkande lösningar")
    page.fill("#id_text", "Andelen av dem som svarade.")
    question = Survey.objects.get().questions.get(name="nya_losningar")
    page.select_option("#id_question", str(question.pk))
    page.get_by_role("button", name="Lägg till blocket").click()
    page.locator("#block-status", has_text="Blocket är tillagt").wait_for()  # htmx, in place
    page.click("#publish-report")
    page.wait_for_url("**/redigera/")

    reader = new_page(browser)
    reader.goto(live_server.url + "/enkater/rapport/social-innovation-i-norr-2026/")
    chart = reader.locator("svg.chart[role=img]")
    assert chart.count() == 1
    assert "Ja 100 % (1)" in chart.locator("desc").inner_html()
    row = reader.locator("table.shares tr", has=reader.locator("th", has_text="Ja"))
    assert "\t100 %\t" in row.inner_text()  # a whole share without decimals ("100", not "100,0")
    assert "–100 %" in row.inner_text()  # 1 of 1: the Wilson upper bound is exactly 1
    assert_no_serious_axe_violations(reader, "the published report")
    reader.emulate_media(media="print")
    reader.screenshot(path=str(tmp_path / "report-print.png"), full_page=True)

    page.goto(live_server.url + "/enkater/social-innovation-i-norr/resultat/")
    assert_no_serious_axe_violations(page, "the results page")
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)


def test_the_survey_journey_with_the_keyboard_alone(page, browser, live_server, people, tmp_path):
    """XLSForm import → open → invite → answer → report → publish, with Tab, Shift+Tab, Enter,
    Space, the arrow keys and typing only. page.goto only where a person types an address
    or follows the link in an e-mail."""
    coordinator, organisation = people
    form_file = tmp_path / "social_innovation_i_norr.xlsx"
    form_file.write_bytes(xlsform_bytes())
    log_in(page.context, live_server, coordinator)
    page.set_default_timeout(30_000)  # a loaded machine; nothing here waits on purpose

    # Import, from the survey list.
    page.goto(live_server.url + "/enkater/")
    skip_to_content(page)
    tab_to_and_press_enter(page, "main a[href='/enkater/import/']")
    skip_to_content(page)
    tab_to(page, "#id_organisation")
    choose_with_arrow_keys(page, str(organisation.pk))
    choose_file_with_keyboard(page, "#id_file", str(form_file), limit=5)
    tab_to_and_press_enter(page, "#import-form button[type=submit]", limit=5)
    assert page.get_by_text("nya_losningar", exact=True).count() == 1
    skip_to_content(page)
    tab_to_name_and_press_enter(page, "Importera som ett enkätutkast")
    assert urlsplit(page.url).path == "/enkater/social-innovation-i-norr/"

    # Open it and send an invitation.
    skip_to_content(page)
    tab_to_and_press_enter(page, "#open-survey")
    assert Survey.objects.get().status == "open"
    skip_to_content(page)
    tab_to_and_press_enter(page, "main a[href='/enkater/social-innovation-i-norr/utskick/']")
    skip_to_content(page)
    type_into(page, "#id_emails", "medlem@exempel.se")
    tab_to_name_and_press_enter(page, "Skicka inbjudningar")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/enkater/svar/" in line)
    path = "/enkater/svar/" + link.strip().rstrip("/").split("/enkater/svar/")[1] + "/"

    # The member answers from the e-mail's link; a follow-up appears when its condition holds.
    respondent = new_page(browser)
    respondent.goto(live_server.url + path)
    skip_to_content(respondent)
    tab_to(respondent, "input[name=omrade]")
    choose_radio_with_arrow_keys(respondent, "social")
    type_into(respondent, "#f-anstallda", "3", limit=3)
    tab_to(respondent, "input[name=nya_losningar]", limit=3)
    choose_radio_with_arrow_keys(respondent, "ja")
    respondent.locator("#q-tillsammans").wait_for(state="visible")
    tab_to(respondent, "input[name=tillsammans]", limit=3)
    choose_radio_with_arrow_keys(respondent, "ja")
    respondent.locator("#q-aktorer").wait_for(state="visible")
    check_with_space(respondent, "input[name=aktorer][value=kommun]", limit=3)
    tab_to(respondent, "input[name=forutsattningar]", limit=12)
    choose_radio_with_arrow_keys(respondent, "4")
    tab_to_and_press_enter(respondent, "#submit-answers", limit=20)
    respondent.get_by_role("heading", name="Tack!").wait_for()
    answers = Response.objects.get().answers
    assert answers["nya_losningar"] == "ja" and answers["aktorer"] == ["kommun"]
    assert answers["anstallda"] == 3 and answers["tillsammans"] == "ja"

    # A report with one chart, published.
    page.goto(live_server.url + "/enkater/social-innovation-i-norr/")
    skip_to_content(page)
    tab_to_and_press_enter(page, "main a[href='/enkater/social-innovation-i-norr/rapporter/ny/']")
    skip_to_content(page)
    type_into(page, "#id_title", "Social innovation i norr 2026")
    tab_to_name_and_press_enter(page, "Skapa rapporten")
    assert urlsplit(page.url).path.endswith("/redigera/")
    skip_to_content(page)
    tab_to(page, "#id_kind")
    choose_with_arrow_keys(page, "chart")
    type_into(page, "#id_heading", "Andel som utvecklat nytänkande lösningar", limit=6)
    type_into(page, "#id_text", "Andelen av dem som svarade.", limit=3)
    tab_to(page, "#id_question", limit=6)
    question = Survey.objects.get().questions.get(name="nya_losningar")
    choose_with_arrow_keys(page, str(question.pk))
    tab_to_name(page, "Lägg till blocket")
    page.keyboard.press("Enter")  # htmx adds the block in place; the focus moves to it
    page.locator("#block-status", has_text="Blocket är tillagt").wait_for()
    page.wait_for_function("() => document.activeElement.matches('.report-block h2')")
    tab_to_and_press_enter(page, "#publish-report", backwards=True, limit=60)

    # Anyone reads the published report.
    reader = new_page(browser)
    reader.goto(live_server.url + "/enkater/rapport/social-innovation-i-norr-2026/")
    chart = reader.locator("svg.chart[role=img]")
    assert chart.count() == 1
    assert "Ja 100 % (1)" in chart.locator("desc").inner_html()


def test_cascading_choices_and_other_in_the_browser(browser, live_server, people):
    """Choosing Texas offers King and Cameron, not Washington's King too (both are "king");
    choosing Annat shows its text field; a calculation shows a follow-up once it holds."""
    from datetime import timedelta

    from django.utils import timezone

    from hjulet.surveys import services
    from hjulet.surveys.models import Choice

    from .factories import invite
    from .xlsforms import ALLOW_CHOICE_DUPLICATES, COUNTIES, form

    coordinator, organisation = people
    data = form(
        [
            ["type", "name", "label", "choice_filter", "calculation", "relevant"],
            ["select_one states", "state", "Delstat", "", "", ""],
            ["select_one counties", "county", "County", "${state}=cf", "", ""],
            ["select_one roll or_other", "roll", "Roll", "", "", ""],
            ["integer", "timmar", "Timmar", "", "", ""],
            ["calculate", "dubbelt", "", "", "${timmar} * 2", ""],
            ["text", "varfor", "Varför så mycket?", "", "", "${dubbelt} > 100"],
        ],
        [*COUNTIES, ["roll", "ordforande", "Ordförande", ""]],
        ALLOW_CHOICE_DUPLICATES,
    )
    survey = services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    survey = services.survey_update(
        actor=coordinator, survey=survey, deadline=timezone.now() + timedelta(days=1)
    )
    survey = services.survey_open(actor=coordinator, survey=survey)
    token = invite(coordinator, survey).token
    page = new_page(browser)
    page.goto(f"{live_server.url}/enkater/svar/{token}/")

    def offered() -> list[str]:
        labels = page.locator("#q-county label[data-choice-id]")
        return [
            labels.nth(i).inner_text().strip()
            for i in range(labels.count())
            if labels.nth(i).is_visible()
        ]

    page.check("input[name=state][value=texas]")
    texas_king = Choice.objects.filter(name="king").order_by("position").last()
    page.locator(f"#q-county label[data-choice-id='{texas_king.pk}']").wait_for(state="visible")
    page.locator("#q-county label[data-choice='pierce']").wait_for(state="hidden")
    assert offered() == ["King", "Cameron"]
    page.check("input[name=state][value=washington]")
    page.locator("#q-county label[data-choice='cameron']").wait_for(state="hidden")
    assert offered() == ["King", "Pierce"]

    assert page.locator("#q-roll_other").is_hidden()
    page.check("input[name=roll][value=other]")
    page.locator("#q-roll_other").wait_for(state="visible")
    page.fill("#f-roll_other", "Kassör")
    page.fill("#f-timmar", "80")
    page.locator("#f-timmar").dispatch_event("change")
    page.locator("#q-varfor").wait_for(state="visible")
    assert_no_serious_axe_violations(page, "the answering page with or_other and a calculation")
    page.check("#q-county input[value=pierce]")
    page.click("#submit-answers")
    page.get_by_role("heading", name="Tack!").wait_for()
    assert Response.objects.get().answers == {
        "state": "washington",
        "county": "pierce",
        "roll": "other",
        "roll_other": "Kassör",
        "timmar": 80,
        "dubbelt": 160,
    }
