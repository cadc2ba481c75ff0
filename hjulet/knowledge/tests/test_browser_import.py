"""Importing a file with other column names in a real browser: the preview proposes the
columns, the person corrects them, saves them under a name and imports the correct rows."""

import pytest

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    log_in,
)
from hjulet.knowledge.models import ColumnMapping, ImportBatch, Initiative

pytestmark = BROWSER_TESTS

#: Like Nesta's DSI4EU project list: English column names, no stage, a long description.
DSI_FILE = (
    "Project name,Description,Start date,City,Country,Website\n"
    'Språkcafé Umeå,"Nyanlända och boende möts varje vecka, t.ex. på biblioteket. '
    + "Volontärer leder samtalen och ordnar utflykter i staden under året. "
    * 6
    + 'Sista meningen får inte plats.",2021-09-01,Umeå,Sweden,https://exempel.se\n'
    "Läxhjälp Kalix,Frivilliga hjälper barn med läxorna.,,Kalix,Sweden,\n"
    "Kulturhus,Ett hus för alla.,,Atlantis,Sweden,\n"
)


@pytest.fixture
def member(reference_data):
    user = UserFactory(email="medlem@exempel.se")
    association = OrganisationFactory(name="Umeå språkförening", municipality_id="2480")
    MembershipFactory(user=user, organisation=association, role=MembershipRole.MEMBER)
    return user, association


def test_a_file_with_foreign_headers_is_mapped_and_imported(page, live_server, member, tmp_path):
    user, association = member
    log_in(page.context, live_server, user)
    upload = tmp_path / "dsi4eu-projects.csv"
    upload.write_text(DSI_FILE, encoding="utf-8")
    page.goto(live_server.url + "/initiativ/import/", timeout=60_000)  # the server's first page
    page.select_option("select[name=lead]", str(association.pk))
    page.set_input_files("input[type=file]", str(upload))
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/initiativ/import/*/")

    # Not refused: the columns are proposed, and the missing stage is named.
    assert "Skede" in page.inner_text("#error-summary")
    assert page.locator("#import-mapping details[open]").count() == 1
    assert page.input_value("select#field-0") == "title"
    assert page.input_value("select#field-3") == "municipality"
    assert page.input_value("select#field-4") == "country"  # an example abroad when not Sweden
    assert page.locator("#import-commit-form, #import-skip-form").count() == 0
    assert_no_serious_axe_violations(page, "import preview, columns to choose")

    # The person chooses a stage for every row, keeps the rest and saves the mapping.
    page.select_option("#default-stage", "test")
    page.fill("#save-as", "DSI4EU")
    page.click("#import-mapping-form button[type=submit]")
    page.wait_for_load_state()
    assert ColumnMapping.objects.get().name == "DSI4EU"
    main = page.inner_text("main")
    assert "1 av 3 rader har fel" in main
    assert "Atlantis" in main
    assert "kortades efter den sista hela meningen" in main  # the long description
    assert page.locator("a[href$='/fel.csv']").count() == 1
    assert_no_serious_axe_violations(page, "import preview, a row with errors")
    page.set_viewport_size({"width": 375, "height": 900})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the preview scrolls sideways by {overflow}px on a phone"
    page.screenshot(path="/tmp/colmap-preview-errors-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Importing the good rows is an explicit choice that says how many are skipped.
    page.click("#import-skip-form button[type=submit]")  # the box is not ticked: the browser stops
    assert page.evaluate("document.querySelector('#confirm-skip').validity.valueMissing")
    assert not Initiative.objects.exists()
    page.check("#confirm-skip")
    assert "Hoppa över den 1 raden med fel" in page.inner_text("#import-skip-form")
    page.click("#import-skip-form button[type=submit]")
    page.wait_for_url("**/initiativ/")
    assert "2 initiativ har importerats" in page.inner_text("main")
    assert "1 rad med fel hoppades över" in page.inner_text("main")
    cafe = Initiative.objects.get(title="Språkcafé Umeå")
    assert cafe.stage.code == "test" and cafe.municipality.name == "Umeå"
    assert cafe.summary.endswith("under året.") and len(cafe.summary) <= 400
    assert ImportBatch.objects.get().skipped_count == 1


@pytest.mark.parametrize("width", [375, 1280])
def test_the_column_choice_fits_a_phone_and_a_desktop(page, live_server, member, tmp_path, width):
    user, association = member
    log_in(page.context, live_server, user)
    page.set_viewport_size({"width": width, "height": 900})
    upload = tmp_path / "dsi.csv"
    upload.write_text(DSI_FILE, encoding="utf-8")
    page.goto(live_server.url + "/initiativ/import/")
    page.select_option("select[name=lead]", str(association.pk))
    page.set_input_files("input[type=file]", str(upload))
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/initiativ/import/*/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=f"/tmp/colmap-preview-{width}.png", full_page=True)
