"""The Content-Security-Policy in a real browser: Chromium loads every page a visitor and a
coordinator reach by following links (demo content loaded) and the API's Swagger page, and
reports no violation (the `page` fixture listens for `securitypolicyviolation` events and CSP
console messages). This proves no inline script, handler or style was left behind, and that
htmx runs without injecting its indicator style.

Run: HJULET_TESTING=1 .venv/bin/pytest hjulet/core/tests/test_browser_csp.py
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


import pytest
from django.core.management import call_command
from django.test import Client

from hjulet.accounts.models import User

from .browser_fixtures import BROWSER_TESTS, log_in
from .crawl import crawl

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]


def visit_all(page, live_server, paths) -> None:
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")  # htmx requests fired on load have finished
        if response.text().lstrip().startswith("<!DOCTYPE"):  # not an htmx fragment
            assert page.evaluate("() => typeof htmx === 'object'"), f"no htmx on {path}"
        assert not page.csp_violations, f"{path}: {page.csp_violations}"


def test_no_page_breaks_the_content_security_policy(reference_data, live_server, context, page):
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    visit_all(page, live_server, crawl(Client(), per_route=1))

    coordinator = User.objects.get(email="koordinator@exempel.se")
    log_in(context, live_server, coordinator)
    client = Client()
    client.force_login(coordinator)
    visit_all(page, live_server, crawl(client, per_route=1))


def test_the_api_docs_run_from_local_files_within_their_policy(live_server, page):
    page.goto(live_server.url + "/api/docs", timeout=60_000)  # a 1.4 MB bundle
    page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
    assert page.locator(".swagger-ui .opblock").count() > 20
    # The fixture fails the test on any violation or request outside the live server.
