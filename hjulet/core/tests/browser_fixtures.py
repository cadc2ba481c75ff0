"""Browser fixtures shared by every app's real-browser tests (registered in conftest.py).

Debian's Chromium driven by Playwright's sync API against pytest-django's live server.
"""

import os

# Playwright's sync API keeps an asyncio event loop in the test thread; Django would otherwise
# refuse ORM calls made from the test (creating users, checking what was saved).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright import sync_api as playwright_sync_api

from hjulet.core.models import Term, Vocabulary

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
# The marks of every real-browser test module (``pytestmark = BROWSER_TESTS``): left out of
# the quick runs (``-m "not browser"``) and skipped where Debian's Chromium is missing.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


@pytest.fixture(scope="module")
def browser():
    with playwright_sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile per test. Requests that leave the live server are refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(10_000)
    context.external_requests = []

    def only_live_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            context.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_live_server)
    yield context
    context.close()


# Every Content-Security-Policy violation (a blocked inline script, style or event handler, or
# a load from elsewhere) is handed to the test through an exposed function.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", event => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.documentURI}`
    + (event.sample ? `: ${event.sample}` : "")
  );
});
"""


@pytest.fixture
def page(context):
    """A page that collects uncaught JavaScript errors and Content-Security-Policy violations;
    a test fails if there were any."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.csp_violations = []
    page.expose_function("reportCspViolation", lambda text: page.csp_violations.append(text))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    assert not errors, f"JavaScript errors in the page: {errors}"
    assert not page.csp_violations, f"Content-Security-Policy violations: {page.csp_violations}"
    assert not context.external_requests, (
        f"The page tried to load from outside Hjulet: {context.external_requests}"
    )


@pytest.fixture
def sector_ideburen(reference_data):
    return Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code="ideburen")


def log_in(context, live_server, user) -> None:
    """Log the browser in as ``user`` by giving it a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def new_page(browser, live_server=None, user=None, **options):
    """A page in a browser profile of its own (Swedish; ``options`` for ``new_context``),
    signed in as ``user`` when given. ``page.context`` is the profile, to close."""
    context = browser.new_context(locale="sv-SE", **options)
    if user is not None:
        log_in(context, live_server, user)
    return context.new_page()


def assert_swedish_page_passes_axe(page, live_server, user, path: str) -> None:
    """``path`` opened by ``user``: in Swedish, and no serious axe-core violations."""
    log_in(page.context, live_server, user)
    page.goto(live_server.url + path)
    assert page.get_attribute("html", "lang") == "sv"
    assert_no_serious_axe_violations(page, path)


def load_axe(page) -> None:
    """Evaluated through the DevTools protocol: a <script> tag would be inline, which the
    Content-Security-Policy rightly blocks."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def assert_no_serious_axe_violations(page, label: str) -> None:
    load_axe(page)
    violations = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: tags})).violations", AXE_TAGS
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    if serious:
        lines = [f"axe found {len(serious)} serious/critical problem(s) on {label}:"]
        for violation in serious:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            more = len(violation["nodes"]) - len(targets)
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"    {len(violation['nodes'])} element(s), first: {targets}"
                + (f" (+{more} more)" if more > 0 else "")
                + f"\n    {violation['helpUrl']}"
            )
        pytest.fail("\n".join(lines), pytrace=False)


# Keyboard-only helpers: every move is a key press; the DOM is only read.


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def focused_description(page) -> str:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            if (!e) return 'nothing';
            return e.outerHTML.slice(0, 160);
        }"""
    )


def tab_to(page, selector: str, limit: int = 40, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    pytest.fail(
        f"{selector} not reached with {limit} presses of {key}; "
        f"focus is on {focused_description(page)}",
        pytrace=False,
    )


def skip_to_content(page) -> None:
    """The first Tab on a fresh page reaches the skip link, and Enter moves focus to <main>.

    A form posted from a page reached through the skip link is sent to ``…#main``, and the
    browser keeps that fragment through the redirect: the next page then already starts
    sequential focus navigation at <main>, so there is nothing to skip.
    """
    if urlsplit(page.url).fragment == "main":
        return
    page.keyboard.press("Tab")
    assert focused_matches(page, "a.skip-link[href='#main']"), (
        f"the first Tab should reach the skip link, got {focused_description(page)}"
    )
    box = page.locator("a.skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    assert outline_style_of_focused(page) != "none", "the focused skip link has no outline"
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main"), (
        f"Enter on the skip link should focus <main>, got {focused_description(page)}"
    )


def outline_style_of_focused(page) -> str:
    return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def choose_with_arrow_keys(page, value: str, limit: int = 400) -> None:
    """Move through the focused <select> with the arrow keys until ``value`` is chosen."""
    assert focused_matches(page, "select"), f"no select focused: {focused_description(page)}"
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"option {value!r} not reached with the arrow keys", pytrace=False)


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tab_to_and_press_enter(page, selector: str, limit: int = 40, backwards: bool = False) -> None:
    """Tab to the link or button ``selector`` and press Enter on it, waiting for the page
    it leads to."""
    tab_to(page, selector, limit=limit, backwards=backwards)
    press_enter_and_wait(page)


def tab_to_name_and_press_enter(page, name: str, limit: int = 60) -> None:
    """Tab to the link or button named ``name`` and press Enter on it, waiting for the page
    it leads to."""
    tab_to_name(page, name, limit=limit)
    press_enter_and_wait(page)


def type_into(page, selector: str, text: str, limit: int = 40) -> None:
    """Tab to the field ``selector`` and type ``text`` into it."""
    tab_to(page, selector, limit=limit)
    page.keyboard.type(text)


_ROLE_AND_NAME = re.compile(r'^- ([\w-]+)(?: "((?:[^"\\]|\\.)*)")?')


def focused_name(page) -> str:
    """The accessible name of the focused element as Chromium computes it (from its ARIA
    snapshot): what a screen reader announces, not the element's id or markup."""
    if page.evaluate("() => !document.activeElement || document.activeElement === document.body"):
        return ""
    if page.evaluate("() => document.activeElement.localName === 'summary'"):
        # The ARIA snapshot leaves a <summary> out; its name is its text.
        return page.evaluate("() => document.activeElement.textContent.trim()")
    snapshot = page.locator(":focus").aria_snapshot().strip()
    match = _ROLE_AND_NAME.match(snapshot.splitlines()[0]) if snapshot else None
    return (match.group(2) or "").replace('\\"', '"') if match else ""


def tab_to_name(page, name: str, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element's accessible name is ``name``,
    failing after ``limit`` presses; checks the focus is visible where it lands."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        current = focused_name(page)
        if current == name:
            assert outline_style_of_focused(page) != "none", f"no visible focus on {name!r}"
            return
        seen.append(current)
    pytest.fail(
        f"nothing named {name!r} reached with {limit} presses of {key}; "
        f"passed {seen[-8:]}, focus is on {focused_description(page)}",
        pytrace=False,
    )


def choose_radio_with_arrow_keys(page, value: str, limit: int = 12) -> None:
    """In the focused radio group, move with the arrow keys until the radio ``value`` is
    focused and checked (arrow keys check what they land on)."""
    assert focused_matches(page, "input[type=radio]"), (
        f"no radio button focused: {focused_description(page)}"
    )
    for _ in range(limit):
        if page.evaluate("v => document.activeElement.value === v", value):
            if not page.evaluate("() => document.activeElement.checked"):
                page.keyboard.press("Space")  # the first radio of an unanswered group
            assert page.evaluate("() => document.activeElement.checked")
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"radio {value!r} not reached with the arrow keys", pytrace=False)


def check_with_space(page, selector: str, limit: int = 40) -> None:
    """Tab to a checkbox or radio button and tick it with the space bar."""
    tab_to(page, selector, limit=limit)
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), f"{selector} not ticked"


def choose_file_with_keyboard(page, selector: str, path: str, limit: int = 40) -> None:
    """Tab to a file field and open the file dialog with the space bar; the dialog is the
    operating system's (keyboard-operable there), so the file is handed to it directly."""
    tab_to(page, selector, limit=limit)
    for _attempt in range(3):  # a key press can land before the focused field is ready
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
        except playwright_sync_api.TimeoutError:
            continue
        chooser.value.set_files(path)
        return
    raise AssertionError(f"Space on {selector} never opened the file dialog")


def type_date_and_time(page, when) -> None:
    """Type a date and time into the focused <input type=datetime-local> segment by segment.
    Chromium lays the field out by the browser's interface language, which the browser
    fixture leaves at en-US: month, day, year (up to six digits, so the right arrow moves
    on), hour on a 12-hour clock, minute, AM/PM. Checked against the value afterwards."""
    assert focused_matches(page, "input[type=datetime-local]"), focused_description(page)
    keyboard = page.keyboard
    keyboard.type(when.strftime("%m%d%Y"))
    keyboard.press("ArrowRight")
    keyboard.type(when.strftime("%I%M"))
    keyboard.type("A" if when.hour < 12 else "P")
    expected = when.strftime("%Y-%m-%dT%H:%M")
    value = page.evaluate("() => document.activeElement.value")
    assert value == expected, f"typed {expected}, the field holds {value!r}"
