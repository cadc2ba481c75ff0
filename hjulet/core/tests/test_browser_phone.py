"""Every page on a phone: Chromium at 375 px loads each page that each persona reaches by
following links (demo content loaded), and fails when a page is wider than the screen
(``document.documentElement.scrollWidth`` > 375: the person would have to scroll sideways
to read it) or when axe finds a serious accessibility problem there.

The crawl takes one page per URL pattern and persona; axe runs once per URL pattern (the first
persona to reach it), so the test stays within a few minutes.

Run: HJULET_TESTING=1 .venv/bin/pytest hjulet/core/tests/test_browser_phone.py
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import resolve

from hjulet.accounts.models import MembershipRole, Organisation, User
from hjulet.accounts.tests.factories import MembershipFactory, UserFactory

from .browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    focused_matches,
    new_page,
    tab_to_name,
)
from .crawl import crawl

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 375
# A fresh live server's first answer (templates, translations loaded) can be slow on a busy
# machine.
FIRST_REQUEST_TIMEOUT = 30_000

# The demo's people, one per persona; the organisation member is made here (the demo's
# organisations have administrators only).
DEMO_PERSONAS = {
    "resident": "invanare@exempel.se",
    "organisation admin": "medlem@exempel.se",
    "coordinator": "koordinator@exempel.se",
    "researcher": "forskare@exempel.se",
    "moderator": "moderator@exempel.se",
}


def organisation_member() -> User:
    member = UserFactory(email="foreningsmedlem@exempel.se", name="Frans Föreningsmedlem")
    MembershipFactory(
        user=member,
        organisation=Organisation.objects.get(name="Fritidsbanken Umeå"),
        role=MembershipRole.MEMBER,
    )
    return member


def personas() -> dict[str, User | None]:
    people: dict[str, User | None] = {"anonymous": None}
    people.update({role: User.objects.get(email=email) for role, email in DEMO_PERSONAS.items()})
    people["organisation member"] = organisation_member()
    return people


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def widest_elements(page) -> list[str]:
    """What sticks out past the right edge of the screen, to name in the failure."""
    return page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.parentElement.closest('.scroll-x, .table-scroll, .chart-scroll'))
            .slice(0, 3)
            .map(e => e.outerHTML.slice(0, 100))""",
        PHONE_WIDTH,
    )


def small_choices(page) -> list[str]:
    """Checkboxes and radio buttons smaller than 24 × 24 px (WCAG 2.2, 2.5.8), for
    example squeezed by a label that wraps onto several lines."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, box]) => box.width < 23.5 || box.height < 23.5)
            .slice(0, 3)
            .map(([e, box]) => `${e.name}=${e.value} ${box.width}×${box.height}`)"""
    )


class _Answer:
    """What crawl() reads of a response."""

    def __init__(self, status: int, content_type: str = "", content: bytes = b"") -> None:
        self.status_code, self.content = status, content
        self._content_type = content_type

    def get(self, header: str, default: str = "") -> str:
        return self._content_type if header == "Content-Type" else default


class PhoneBrowser:
    """Stands in for the test client in crawl(): each page is loaded once, in Chromium at
    375 px, and checked there (its width; axe once per URL pattern)."""

    def __init__(self, page, base_url: str, persona: str, checked_with_axe: set[str]) -> None:
        self.page, self.base_url, self.persona = page, base_url, persona
        self.checked_with_axe = checked_with_axe
        self.too_wide: list[str] = []
        self.small_targets: list[str] = []
        self.script_errors: list[str] = []
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))
        self.pages = 0

    def get(self, path: str) -> _Answer:
        if "." in urlsplit(path).path.rsplit("/", 1)[-1]:  # a download (export.xlsx …)
            answer = self.page.context.request.get(self.base_url + path, max_redirects=0)
            return _Answer(answer.status, answer.headers.get("content-type", ""))
        response = self.page.goto(self.base_url + path)
        if response.request.redirected_from is not None:
            return _Answer(302)
        content_type = response.headers.get("content-type", "")
        body = response.body()
        if response.status == 200 and body.lstrip().startswith(b"<!DOCTYPE"):
            self.check(path)
        return _Answer(response.status, content_type, body)

    def check(self, path: str) -> None:
        self.pages += 1
        width = page_width(self.page)
        if width > PHONE_WIDTH:
            self.too_wide.append(
                f"{path} as {self.persona}: {width} px; sticking out: {widest_elements(self.page)}"
            )
        if small := small_choices(self.page):
            self.small_targets.append(f"{path} as {self.persona}: {small}")
        route = resolve(urlsplit(path).path).route
        if route not in self.checked_with_axe:
            self.checked_with_axe.add(route)
            assert_no_serious_axe_violations(self.page, f"{path} as {self.persona} at 375 px")


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="layout does not depend on the database; the crawl runs once, on SQLite",
)
def test_no_page_is_wider_than_a_phone_for_any_persona(reference_data, live_server, browser):
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    too_wide: list[str] = []
    small_targets: list[str] = []
    checked_with_axe: set[str] = set()
    pages = 0
    for persona, user in personas().items():
        page = new_page(browser, live_server, user, viewport={"width": PHONE_WIDTH, "height": 740})
        phone = PhoneBrowser(page, live_server.url, persona, checked_with_axe)
        try:
            crawl(phone, per_route=1)
        finally:
            page.context.close()
        too_wide += phone.too_wide
        small_targets += phone.small_targets
        assert not phone.script_errors, f"JavaScript errors as {persona}: {phone.script_errors}"
        pages += phone.pages
    assert not too_wide, f"{len(too_wide)} page(s) wider than {PHONE_WIDTH} px:\n" + "\n".join(
        too_wide
    )
    assert not small_targets, "Checkboxes or radio buttons under 24 px:\n" + "\n".join(
        small_targets
    )
    # The demo gives about 370 pages of 90 URL patterns: the crawl did reach them.
    assert pages > 250 and len(checked_with_axe) > 70, (pages, sorted(checked_with_axe))


def test_the_menu_folds_behind_a_button_on_a_phone(live_server, page):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto(live_server.url + "/", timeout=FIRST_REQUEST_TIMEOUT)
    toggle = page.get_by_role("button", name="Meny")
    menu = page.locator("#site-menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "site-menu"
    assert not menu.is_visible()
    assert page_width(page) <= PHONE_WIDTH

    tab_to_name(page, "Meny")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert focused_matches(page, ".menu-toggle"), "opening the menu moved the focus"
    tab_to_name(page, "Sök i allt på Hjulet")
    tab_to_name(page, "Forskarverkstad")

    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert focused_matches(page, ".menu-toggle"), "Escape should return focus to the button"

    page.keyboard.press("Space")
    assert menu.is_visible()
    page.keyboard.press("Space")
    assert not menu.is_visible()


def test_on_a_wide_screen_the_menu_is_open_and_the_button_gone(live_server, page):
    page.goto(live_server.url + "/", timeout=FIRST_REQUEST_TIMEOUT)
    assert not page.locator(".menu-toggle").is_visible()
    assert (
        page.get_by_role("navigation", name="Huvudnavigering")
        .get_by_role("link", name="Forskarverkstad", exact=True)
        .is_visible()
    )


def test_without_javascript_the_menu_stays_open_on_a_phone(live_server, browser):
    page = new_page(
        browser, viewport={"width": PHONE_WIDTH, "height": 740}, java_script_enabled=False
    )
    try:
        page.goto(live_server.url + "/", timeout=FIRST_REQUEST_TIMEOUT)
        assert not page.locator(".menu-toggle").is_visible()
        main_menu = page.get_by_role("navigation", name="Huvudnavigering")
        assert main_menu.get_by_role("link", name="Forskarverkstad").is_visible()
        assert page.get_by_role("searchbox", name="Sök i allt på Hjulet").is_visible()
        assert page_width(page) <= PHONE_WIDTH
    finally:
        page.context.close()
