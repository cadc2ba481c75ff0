"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

What a person does in Hjulet, done in a browser: sign up, confirm the address from the e-mail,
register an organisation and find it again in the list and on the map, once with the mouse
and once with the keyboard alone. Plus the organisation form's error handling, the language
switch, and axe-core (WCAG 2.2 AA and best practice) on the main pages.

Elements are found by ids, names and URLs, never by visible text: the interface is Swedish
first and its wording changes as the translations are completed.

Run: HJULET_TESTING=1 .venv/bin/pytest hjulet/core/tests/test_browser.py
Needs /usr/bin/chromium and node_modules/axe-core (scripts/browser-deps.sh installs both).
"""

import os

# Playwright's sync API keeps an asyncio event loop in the test thread; Django would otherwise
# refuse ORM calls made from the test (creating users, checking what was saved).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from hjulet.accounts.models import MembershipRole, Organisation, User
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory
from hjulet.lib.orgnr import with_check_digit

from .browser_fixtures import (
    BROWSER_TESTS,
    SCREENSHOTS,
    assert_no_serious_axe_violations,
    choose_with_arrow_keys,
    focused_description,
    focused_matches,
    log_in,
    outline_style_of_focused,
    press_enter_and_wait,
    skip_to_content,
    tab_to,
)

GAVLE = "2180"  # Gävle kommun, in Gävleborgs län (21)
GAVLEBORG = "21"
NEW_ORG_NAME = "Språkcafé Gävle"
NEW_ORG_NUMBER = with_check_digit("802470013")
NEWCOMER_PASSWORD = "Fika-och-svenska-2024!"

pytestmark = BROWSER_TESTS


# --- helpers ----------------------------------------------------------------------------


def path_of(page) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def html_lang(page) -> str:
    return page.get_attribute("html", "lang")


def verification_link(mailoutbox, live_server, email: str) -> str:
    messages = [m for m in mailoutbox if email in m.to]
    assert len(messages) == 1, f"expected one verification e-mail to {email}, got {mailoutbox}"
    match = re.search(re.escape(settings.SITE_URL) + r"(/konto/bekrafta/\S+/)", messages[0].body)
    assert match, f"no verification link in the e-mail:\n{messages[0].body}"
    return live_server.url + match.group(1)


def county_row_count(page, municipality_code: str) -> str:
    """The organisation count in the county table's row for a municipality."""
    row = page.locator("table tbody tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^\s*{municipality_code}\s*$"))
    )
    assert row.count() == 1, f"no single table row for municipality {municipality_code}"
    return row.locator("td.num").inner_text().strip()


def map_title_for(page, name: str) -> str | None:
    """The <title> of the map area whose title starts with ``name``, or None."""
    return page.evaluate(
        """name => {
            const titles = [...document.querySelectorAll('svg.map path > title')];
            const hit = titles.find(t => t.textContent.trim().startsWith(name + ':'));
            return hit ? hit.textContent.trim() : null;
        }""",
        name,
    )


# --- 1. the newcomer's journey, with the mouse -------------------------------------------


def test_newcomer_signs_up_registers_an_organisation_and_finds_it_with_the_mouse(
    reference_data, live_server, page, mailoutbox, sector_ideburen
):
    OrganisationFactory(name="Fritidsbanken Umeå", municipality_id="2480")
    email = "ny.person@exempel.se"

    # Sign up.
    page.goto(live_server.url + "/konto/registrera/")
    assert html_lang(page) == "sv"
    form = page.locator("main form.form")
    page.fill("#id_name", "Nora Nykomling")
    page.fill("#id_email", email)
    page.fill("#id_password", NEWCOMER_PASSWORD)
    page.fill("#id_password_again", NEWCOMER_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    # "Check your e-mail": the same address, a way to get a new link, no form errors.
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    assert page.locator("main form.form").count() == 0
    assert email in page.locator("main").inner_text()
    assert page.locator('main a[href="/konto/bekrafta-igen/"]').count() == 1
    user = User.objects.get(email=email)
    assert user.name == "Nora Nykomling"
    assert not user.is_email_verified

    # The link in the e-mail confirms the address (it logs nobody in: mail travels), and the
    # newcomer logs in with the password just chosen.
    page.goto(verification_link(mailoutbox, live_server, email))
    assert path_of(page) == "/konto/logga-in/"
    assert page.locator("[role=status] .messages li").count() == 1
    assert page.locator('header form[action="/konto/logga-ut/"]').count() == 0
    user.refresh_from_db()
    assert user.is_email_verified
    page.fill("#id_username", email)
    page.fill("#id_password", NEWCOMER_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()
    assert path_of(page) == "/konto/profil/"
    assert page.locator('header form[action="/konto/logga-ut/"]').count() == 1

    # Register an organisation.
    with page.expect_navigation():
        page.locator('main a[href="/organisationer/ny/"]').first.click()
    assert path_of(page) == "/organisationer/ny/"
    page.fill("#id_name", NEW_ORG_NAME)
    page.fill("#id_org_number", NEW_ORG_NUMBER)
    page.select_option("#id_sector", value=str(sector_ideburen.pk))
    page.select_option("#id_municipality", value=GAVLE)
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()

    organisation = Organisation.objects.get(name=NEW_ORG_NAME)
    assert path_of(page) == f"/organisationer/{organisation.slug}/"
    assert page.locator("main h1").inner_text() == NEW_ORG_NAME
    assert page.locator("[role=status] .messages li").count() == 1
    assert organisation.org_number == NEW_ORG_NUMBER
    assert organisation.municipality_id == GAVLE
    assert organisation.sector_id == sector_ideburen.pk
    assert organisation.memberships.get().user == user
    assert organisation.memberships.get().role == MembershipRole.ADMIN
    organisation_url = f"/organisationer/{organisation.slug}/"

    # Find it with the search box of the organisation list; htmx updates the results in place.
    with page.expect_navigation():
        page.locator('header nav a[href="/organisationer/"]').click()
    results = page.locator("#results")
    assert results.locator('a[href="/organisationer/fritidsbanken-umea/"]').count() == 1
    page.evaluate("() => { window.hjuletNotReloaded = true; }")
    page.fill("#id_q", "språkcafé")
    page.wait_for_function(
        "() => !document.querySelector('#results a[href=\"/organisationer/fritidsbanken-umea/\"]')"
    )
    assert results.locator(f'a[href="{organisation_url}"]').count() == 1
    assert results.locator("a[href^='/organisationer/']").count() == 1
    assert page.evaluate("() => window.hjuletNotReloaded === true"), "the list was reloaded"
    assert "q=" in urlsplit(page.url).query, "the search is not in the address (hx-push-url)"

    # And on the county map: the table and the SVG map both count it for Gävle.
    with page.expect_navigation():
        results.locator(f'a[href="{organisation_url}"]').click()
    with page.expect_navigation():
        page.locator(f'main a[href="/karta/lan/{GAVLEBORG}/"]').click()
    assert path_of(page) == f"/karta/lan/{GAVLEBORG}/"
    assert county_row_count(page, GAVLE) == "1"
    title = map_title_for(page, "Gävle")
    assert title is not None, "no map area titled Gävle"
    assert re.search(r"\b1\b", title), f"the map title for Gävle does not say 1: {title!r}"
    gavle_link = page.locator(f'svg.map a[href="/organisationer/?kommun={GAVLE}"]')
    assert gavle_link.count() == 1
    assert "shade-0" not in gavle_link.locator("path").get_attribute("class")


# --- 2. the same journey with the keyboard only ------------------------------------------


def test_newcomer_journey_works_with_the_keyboard_alone(
    reference_data, live_server, page, mailoutbox, sector_ideburen
):
    OrganisationFactory(name="Fritidsbanken Umeå", municipality_id="2480")
    email = "tangentbord@exempel.se"
    keyboard = page.keyboard

    # Sign up.
    page.goto(live_server.url + "/konto/registrera/")
    skip_to_content(page)
    keyboard.press("Shift+Tab")
    assert focused_matches(page, "header *"), (
        f"Shift+Tab from <main> should go back into the header, got {focused_description(page)}"
    )
    assert outline_style_of_focused(page) != "none", "the focused header control has no outline"
    tab_to(page, "#id_name")
    assert outline_style_of_focused(page) != "none", "the focused text field has no outline"
    keyboard.type("Tove Tangent")
    tab_to(page, "#id_email", limit=3)
    keyboard.type(email)
    tab_to(page, "#id_password", limit=3)
    keyboard.type(NEWCOMER_PASSWORD)
    tab_to(page, "#id_password_again", limit=3)
    keyboard.type(NEWCOMER_PASSWORD)
    tab_to(page, "main form.form button[type=submit]", limit=5)
    assert outline_style_of_focused(page) != "none", "the focused button has no outline"
    press_enter_and_wait(page)
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    assert email in page.locator("main").inner_text()

    # The e-mail link is followed in the mail program; it confirms, then the log-in form.
    page.goto(verification_link(mailoutbox, live_server, email))
    assert path_of(page) == "/konto/logga-in/"
    assert focused_matches(page, "#id_username"), "the log-in page starts in the e-mail field"
    keyboard.type(email)
    tab_to(page, "#id_password", limit=3)
    keyboard.type(NEWCOMER_PASSWORD)
    tab_to(page, "main form.form button[type=submit]", limit=5)
    press_enter_and_wait(page)
    assert path_of(page) == "/konto/profil/"

    # Register an organisation.
    skip_to_content(page)
    tab_to(page, 'main a[href="/organisationer/ny/"]')
    press_enter_and_wait(page)
    assert path_of(page) == "/organisationer/ny/"
    skip_to_content(page)
    tab_to(page, "#id_name")
    keyboard.type(NEW_ORG_NAME)
    tab_to(page, "#id_org_number", limit=3)
    keyboard.type(NEW_ORG_NUMBER)
    tab_to(page, "#id_sector", limit=3)
    choose_with_arrow_keys(page, str(sector_ideburen.pk))
    tab_to(page, "#id_municipality", limit=3)
    choose_with_arrow_keys(page, GAVLE)
    tab_to(page, "main form.form button[type=submit]", limit=10)
    press_enter_and_wait(page)
    organisation = Organisation.objects.get(name=NEW_ORG_NAME)
    organisation_url = f"/organisationer/{organisation.slug}/"
    assert path_of(page) == organisation_url
    assert organisation.municipality_id == GAVLE
    assert organisation.sector_id == sector_ideburen.pk

    # Search for it in the list.
    skip_to_content(page)
    tab_to(page, 'main a[href="/organisationer/"]')
    press_enter_and_wait(page)
    skip_to_content(page)
    tab_to(page, "#id_q")
    keyboard.type("Språkcafé")
    page.wait_for_function(
        "() => !document.querySelector('#results a[href=\"/organisationer/fritidsbanken-umea/\"]')"
    )
    assert page.locator(f'#results a[href="{organisation_url}"]').count() == 1
    tab_to(page, f'#results a[href="{organisation_url}"]', limit=10)
    press_enter_and_wait(page)
    assert path_of(page) == organisation_url

    # To the county map, and from Gävle on the map to the list filtered to Gävle.
    skip_to_content(page)
    tab_to(page, f'main a[href="/karta/lan/{GAVLEBORG}/"]')
    press_enter_and_wait(page)
    assert path_of(page) == f"/karta/lan/{GAVLEBORG}/"
    assert county_row_count(page, GAVLE) == "1"
    assert map_title_for(page, "Gävle") is not None
    skip_to_content(page)
    tab_to(page, f'svg.map a[href="/organisationer/?kommun={GAVLE}"]')
    press_enter_and_wait(page)
    assert path_of(page) == f"/organisationer/?kommun={GAVLE}"
    assert page.locator(f'#results a[href="{organisation_url}"]').count() == 1
    assert page.locator('#results a[href="/organisationer/fritidsbanken-umea/"]').count() == 0


# --- 3. bad input ----------------------------------------------------------------------


def test_wrong_check_digit_is_explained_and_nothing_is_saved(
    reference_data, live_server, context, page, sector_ideburen
):
    log_in(context, live_server, UserFactory())
    valid = with_check_digit("802470013")
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)

    page.goto(live_server.url + "/organisationer/ny/")
    page.fill("#id_name", NEW_ORG_NAME)
    page.fill("#id_org_number", wrong)
    page.select_option("#id_sector", value=str(sector_ideburen.pk))
    page.select_option("#id_municipality", value=GAVLE)
    with page.expect_navigation() as navigation:
        page.locator("main form.form button[type=submit]").click()

    assert navigation.value.status == 400
    assert path_of(page) == "/organisationer/ny/"
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert summary.get_attribute("role") == "alert"
    assert summary.is_visible()
    assert summary.locator('a[href="#id_org_number"]').count() == 1
    field = page.locator("#id_org_number")
    assert field.get_attribute("aria-invalid") == "true"
    for other in ("#id_name", "#id_sector", "#id_municipality"):
        assert page.get_attribute(other, "aria-invalid") is None, f"{other} marked invalid"
    # The person does not have to start over.
    assert page.input_value("#id_name") == NEW_ORG_NAME
    assert page.input_value("#id_org_number") == wrong
    assert page.input_value("#id_municipality") == GAVLE
    # The error message is tied to the field for screen readers.
    described_by = (field.get_attribute("aria-describedby") or "").split()
    assert any(
        page.locator(f"#{id_}.errorlist, #{id_} .errorlist").count() for id_ in described_by
    ), f"the field's aria-describedby {described_by} does not point at its error"
    # The summary link moves to the field.
    summary.locator('a[href="#id_org_number"]').click()
    assert focused_matches(page, "#id_org_number")
    assert Organisation.objects.count() == 0


# --- 4. language switch ------------------------------------------------------------------


def test_language_switch_changes_to_english_and_back(reference_data, live_server, page):
    page.goto(live_server.url + "/karta/")
    assert html_lang(page) == "sv"

    with page.expect_navigation():
        page.locator(
            'header form[action="/sprak/"][method=post] button[name=language][value=en]'
        ).click()
    assert html_lang(page) == "en"
    assert path_of(page) == "/karta/", "the switch should stay on the same page"
    # The choice sticks while moving around.
    with page.expect_navigation():
        page.locator('header nav a[href="/vokabular/"]').click()
    assert html_lang(page) == "en"

    with page.expect_navigation():
        page.locator(
            'header form[action="/sprak/"][method=post] button[name=language][value=sv]'
        ).click()
    assert html_lang(page) == "sv"
    assert path_of(page) == "/vokabular/"
    assert page.locator("header button[name=language][value=en]").count() == 1


# --- 5. axe-core on the main pages --------------------------------------------------------

AXE_PAGES = [
    ("/", None),
    ("/karta/", None),
    ("/karta/lan/24/", None),
    ("/organisationer/", None),
    ("/vokabular/", None),
    ("/konto/registrera/", None),
    ("/konto/logga-in/", None),
    ("/konto/e-postlank/", None),
    ("{organisation}", None),
    ("{organisation}", "org_admin"),
    ("/organisationer/ny/", "member"),
    ("/konto/profil/", "member"),
    ("/konto/visningsnamn/", "member"),
    ("/granskningslogg/", "coordinator"),
    ("/vokabular/", "coordinator"),
]


AXE_IDS = [f"{path}-{persona or 'anonymous'}" for path, persona in AXE_PAGES]


def open_page_as(request, live_server, context, page, path: str, persona: str | None) -> str:
    """Two organisations exist; open ``path`` as ``persona`` (a root conftest fixture)."""
    organisation = request.getfixturevalue("organisation")  # Fritidsbanken Umeå
    OrganisationFactory(name="Språkcafé Gävle", municipality_id=GAVLE)
    if persona:
        log_in(context, live_server, request.getfixturevalue(persona))
    path = path.format(organisation=f"/organisationer/{organisation.slug}/")
    response = page.goto(live_server.url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert path_of(page) == path, f"{path} redirected to {page.url}"
    assert html_lang(page) == "sv"
    return path


@pytest.mark.parametrize(("path", "persona"), AXE_PAGES, ids=AXE_IDS)
def test_no_serious_accessibility_problems(
    request, reference_data, live_server, context, page, path, persona
):
    path = open_page_as(request, live_server, context, page, path, persona)

    if persona is None and (path == "/" or path.startswith("/organisationer/fritidsbanken")):
        SCREENSHOTS.mkdir(exist_ok=True)
        name = "home" if path == "/" else "organisation"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    assert_no_serious_axe_violations(page, f"{path} as {persona or 'anonymous'}")


# --- 6. ids and labels -------------------------------------------------------------------
# axe only reports a duplicated id as "needs review", yet a repeated id sends a <label for>
# to the wrong field and leaves the other without a name. Checked here without axe.


@pytest.mark.parametrize(("path", "persona"), AXE_PAGES, ids=AXE_IDS)
def test_ids_are_unique_and_every_field_has_its_own_label(
    request, reference_data, live_server, context, page, path, persona
):
    path = open_page_as(request, live_server, context, page, path, persona)
    problems = page.evaluate(
        """() => {
            const counts = {};
            document.querySelectorAll('[id]').forEach(e => counts[e.id] = (counts[e.id] || 0) + 1);
            const fields = document.querySelectorAll(
                'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea');
            return {
                duplicates: Object.entries(counts).filter(([, n]) => n > 1)
                    .map(([id, n]) => `#${id} (${n} times)`),
                unlabelled: [...fields]
                    .filter(e => !e.labels.length && !e.getAttribute('aria-label')
                                 && !e.getAttribute('aria-labelledby'))
                    .map(e => e.outerHTML.slice(0, 160)),
            };
        }"""
    )
    assert not problems["duplicates"] and not problems["unlabelled"], (
        f"{path} as {persona or 'anonymous'}: repeated ids {problems['duplicates']}; "
        f"fields without a label of their own {problems['unlabelled']}"
    )
