"""The knowledge bank in a real browser: a member registers an initiative, sees similar ones
while typing, finds it with an inflected Swedish word and sees it on the map; axe-core on the
knowledge bank's pages."""

from urllib.parse import urlsplit

import pytest

from hjulet.accounts.tests.factories import organisation_admin
from hjulet.core.models import Vocabulary
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    assert_swedish_page_passes_axe,
    choose_with_arrow_keys,
    focused_matches,
    log_in,
    press_enter_and_wait,
    skip_to_content,
    tab_to,
)
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.tests.factories import make_initiative, make_method, term

pytestmark = BROWSER_TESTS


@pytest.fixture
def bank(reference_data):
    """A member of an association, and a knowledge bank with the Fritidsbank in Umeå."""
    member, association = organisation_admin("medlem@exempel.se", "Vännäs idrottsallians", "2460")
    method = make_method(
        member,
        title="Fritidsbank",
        summary="Gratis utlåning av sport- och fritidsutrustning.",
        what="Som ett bibliotek för skridskor, tält och bollar.",
    )
    umea = make_initiative(
        member,
        title="Fritidsbanken Umeå",
        summary="Lånar ut fritidsutrustning gratis till barnfamiljer.",
        methods=[method],
    )
    return {"member": member, "association": association, "method": method, "umea": umea}


def test_register_see_similar_find_by_inflected_word_and_on_the_map(page, live_server, bank):
    log_in(page.context, live_server, bank["member"])
    page.goto(live_server.url + "/initiativ/nytt/")
    page.fill("#id_title", "Fritidsbank i Vännäs")
    similar = page.locator("#similar a[href='/initiativ/fritidsbanken-umea/']")
    similar.wait_for()  # the "finns det redan?" panel refreshed while typing (htmx)

    page.fill("#id_summary", "Lån av skidor och skridskor på kommunens bibliotek.")
    page.select_option("#id_lead", str(bank["association"].pk))
    page.select_option("#id_municipality", "2460")
    page.select_option("#id_stage", str(term(Vocabulary.STAGE, "ide").pk))
    page.check(f"input[name=challenges][value='{term(Vocabulary.CHALLENGE, 'ohalsa').pk}']")
    page.click("#initiative-form button[type=submit]")
    page.wait_for_url("**/initiativ/fritidsbank-i-vannas/")
    initiative = Initiative.objects.get(title="Fritidsbank i Vännäs")
    assert initiative.partnerships.get().organisation == bank["association"]

    page.goto(live_server.url + "/initiativ/")
    page.fill("#id_q", "biblioteken")  # inflected: the summary says "bibliotek"
    page.wait_for_url(
        "**/initiativ/?q=biblioteken&sort=relevance"
    )  # htmx pushed the search into the URL
    page.locator("#results mark").first.wait_for()
    assert page.locator("#results a[href='/initiativ/fritidsbank-i-vannas/']").count() == 1
    assert page.locator("#results a[href='/initiativ/fritidsbanken-umea/']").count() == 0

    page.goto(live_server.url + "/kunskapsbank/karta/?lan=24")
    row = page.locator("table tr", has=page.locator("a", has_text="Vännäs"))
    assert row.locator("td.num").inner_text() == "1"
    assert page.locator("svg.map path.shade-0").count() > 0
    link = page.locator("table a", has_text="Vännäs")
    link.click()
    assert urlsplit(page.url).query == "municipality=2460"
    assert page.locator("#results a[href='/initiativ/fritidsbank-i-vannas/']").count() == 1


def test_the_same_journey_with_the_keyboard_alone(page, live_server, bank):
    log_in(page.context, live_server, bank["member"])
    page.goto(live_server.url + "/initiativ/nytt/")
    skip_to_content(page)
    tab_to(page, "#id_lead")
    choose_with_arrow_keys(page, str(bank["association"].pk))
    tab_to(page, "#id_title")
    page.keyboard.type("Fritidsbank i Vännäs")
    page.locator("#similar a[href='/initiativ/fritidsbanken-umea/']").wait_for()
    tab_to(page, "#id_summary")
    page.keyboard.type("Lån av skidor och skridskor på kommunens bibliotek.")
    tab_to(page, "#id_municipality")
    choose_with_arrow_keys(page, "2460")
    tab_to(page, "#id_stage")
    choose_with_arrow_keys(page, str(term(Vocabulary.STAGE, "ide").pk))
    ohalsa = term(Vocabulary.CHALLENGE, "ohalsa").pk
    tab_to(page, f"input[name=challenges][value='{ohalsa}']")
    page.keyboard.press("Space")
    tab_to(page, "#initiative-form button[type=submit]", limit=120)
    press_enter_and_wait(page)
    assert page.url.split("#")[0].endswith("/initiativ/fritidsbank-i-vannas/")
    initiative = Initiative.objects.get(title="Fritidsbank i Vännäs")
    assert [t.code for t in initiative.challenges.all()] == ["ohalsa"]

    page.goto(live_server.url + "/initiativ/")
    skip_to_content(page)
    tab_to(page, "#id_q")
    page.keyboard.type("biblioteken")
    page.wait_for_url("**/initiativ/?q=biblioteken&sort=relevance")
    page.locator("#results mark").first.wait_for()
    tab_to(page, "#results a[href='/initiativ/fritidsbank-i-vannas/']", limit=80)
    assert focused_matches(page, "#results a")
    press_enter_and_wait(page)
    assert page.url.endswith("/initiativ/fritidsbank-i-vannas/")


@pytest.mark.parametrize(
    "path",
    [
        "/initiativ/",
        "/initiativ/?q=fritidsbank&challenge=ohalsa",
        "/initiativ/fritidsbanken-umea/",
        "/metoder/",
        "/metoder/fritidsbank/",
        "/kunskapsbank/karta/",
        "/kunskapsbank/karta/?lan=24",
        "/initiativ/nytt/",
        "/initiativ/import/",
    ],
)
def test_knowledge_pages_pass_axe(page, live_server, bank, path):
    assert_swedish_page_passes_axe(page, live_server, bank["member"], path)


def test_import_preview_passes_axe_and_shows_row_errors(page, live_server, bank, tmp_path):
    log_in(page.context, live_server, bank["member"])
    upload = tmp_path / "initiativ.csv"
    upload.write_text(
        "titel;sammanfattning;kommunkod;skede\n"
        "Språkcafé i Vännäs;Samtal på svenska;2460;ide\n"
        "Läxhjälp;Hjälp med läxor;9999;ide\n",
        encoding="utf-8",
    )
    page.goto(live_server.url + "/initiativ/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.select_option("select[name=lead]", str(bank["association"].pk))
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/initiativ/import/*/")
    assert "9999" in page.inner_text("main")
    assert page.locator("#import-commit-form").count() == 0  # only "skip the bad row"
    assert not Initiative.objects.filter(title="Språkcafé i Vännäs").exists()
    assert_no_serious_axe_violations(page, "import preview")
