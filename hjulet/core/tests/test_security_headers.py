"""Security headers on every page, and pages the Content-Security-Policy does not break.

The demo content is loaded and every page a coordinator reaches by following links is fetched:
each carries the headers, and none has an inline script, an event-handler attribute or a style
attribute (the policy refuses all three; test_browser_csp.py proves it in Chromium).
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from hjulet.accounts.models import User

from .crawl import crawl

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style[\s>]")
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response, path: str) -> None:
    assert response["X-Frame-Options"] == "DENY", path
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"], path
    assert csp["script-src"] == ["'self'"], path
    assert csp["style-src"] == ["'self'"], path
    assert csp["object-src"] == ["'none'"], path
    assert csp["frame-ancestors"] == ["'none'"], path
    assert csp["base-uri"] == ["'self'"], path
    assert csp["form-action"] == ["'self'"], path


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def as_demo(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_every_page_has_the_headers_and_nothing_inline(demo):
    pages = {}
    for client in (Client(), as_demo("koordinator@exempel.se")):
        pages.update({path: client for path in crawl(client)})
    # The capabilities are all reached, so a new app's pages are checked too.
    for prefix in ("/initiativ/", "/metoder/", "/forskarverkstad/", "/effekt/", "/stod",
                   "/utlysningar/", "/enkater/", "/utmaningar/", "/arenor/", "/organisationer/",
                   "/karta/"):  # fmt: skip
        assert any(path.startswith(prefix) for path in pages), (prefix, sorted(pages))
    assert len(pages) > 60, sorted(pages)
    problems = []
    for path, client in pages.items():
        response = client.get(path)
        assert_security_headers(response, path)
        html = response.content.decode()
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("event handler attribute", EVENT_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("style element", STYLE_ELEMENT),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            found = pattern.search(html)
            if found:
                problems.append(f"{path}: {name}: {html[found.start() : found.start() + 120]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/", "/no-such-page/", "/api/v1/initiatives/", "/api/nope"])
def test_errors_and_the_api_carry_the_headers_too(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_security_headers(response, path)


def test_api_docs_are_served_locally_with_their_own_small_exception(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # Swagger UI from ninja's static files, never a CDN.
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert "cdn" not in html.lower()
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]


def test_the_htmx_indicator_style_is_not_injected(client):
    html = client.get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html
