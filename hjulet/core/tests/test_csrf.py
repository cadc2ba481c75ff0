"""CSRF everywhere: every URL pattern of the site refuses a POST without the token, even from a
signed-in coordinator, and writes nothing; every POST form in the templates carries the token;
every write endpoint of the API refuses a session without the X-CSRFToken header.

Django's CsrfViewMiddleware checks the token after the URL is resolved and before the view
runs, so the patterns are filled with placeholder values: the check must refuse the request
whatever object the URL names (a view exempted from CSRF would answer 404 or 200 instead).
"""

import re
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from config.api import api

pytestmark = pytest.mark.django_db

SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x/y", "uuid": str(uuid.uuid4())}
NOT_OURS = ("admin/", "api/")  # the read-only admin is Django's; the API is tested below


def site_paths() -> list[str]:
    """One concrete path per URL pattern of the site, placeholders filled by converter."""
    paths = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if not isinstance(entry.pattern, RoutePattern):
                raise AssertionError(f"regex URL patterns are not walked: {route}")
            if isinstance(entry, URLResolver):
                if (prefix + route).startswith(NOT_OURS):
                    continue
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                filled = re.sub(
                    r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], prefix + route
                )
                paths.append("/" + filled)

    walk(get_resolver().url_patterns, "")
    return paths


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_every_url_refuses_a_post_without_the_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    paths = site_paths()
    assert len(paths) > 120  # the whole site, not a few patterns
    before = row_counts()
    accepted = []
    for path in paths:
        response = client.post(path, {"title": "Skrivs inte", "name": "Skrivs inte"})
        if response.status_code != 403 or "inget sparades" not in response.content.decode():
            accepted.append(f"{path}: {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)
    assert row_counts() == before


def test_the_refusal_is_a_page_in_swedish(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post("/organisationer/ny/", {"name": "X"})
    assert response.status_code == 403
    assert "inget sparades" in response.content.decode().lower()


def test_with_the_token_the_same_post_reaches_the_view(coordinator):
    """The walk above is not vacuous: with the token the request gets past the check."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get("/")  # sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/konto/logga-ut/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def template_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *base.glob("hjulet/*/templates")]
    return [file for root in roots for file in root.rglob("*.html")]


def test_every_post_form_in_the_templates_carries_the_token():
    forms, missing = 0, []
    for file in template_files():
        text = file.read_text()
        for match in re.finditer(r"<form\b[^>]*>", text, re.IGNORECASE):
            if not re.search(r"""method\s*=\s*["']?post""", match.group(0), re.IGNORECASE):
                continue
            forms += 1
            end = text.find("</form>", match.end())
            body = text[match.end() : end if end != -1 else len(text)]
            if "{% csrf_token %}" not in body:
                missing.append(f"{file.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}")
    assert forms > 50
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def api_writes() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    writes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("post", "put", "patch", "delete"):
                writes.append((method, re.sub(r"\{\w+\}", "1", path)))
    return writes


def test_every_api_write_refuses_a_session_without_the_csrf_header(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    writes = api_writes()
    assert len(writes) > 30
    before = row_counts()
    accepted = []
    for method, path in writes:
        response = getattr(client, method)(path, {}, content_type="application/json")
        if response.status_code != 403 or "CSRF" not in response.json()["detail"]:
            accepted.append(f"{method.upper()} {path}: {response.status_code}")
    assert not accepted, "API writes without the CSRF header were not refused:\n" + "\n".join(
        accepted
    )
    assert row_counts() == before


def test_an_api_write_with_the_csrf_header_gets_past_the_check(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get("/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/api/v1/organisations", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 422  # the body is checked: the CSRF check let it through
