"""``page_cache``: pages for visitors who are not signed in are rendered once per content
generation and served again, each with the visitor's own CSRF token; nothing of a signed-in
person's, of a session's or of a one-time form is ever kept or served from it."""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hjulet.core import freshness
from hjulet.core.models import ContentGeneration
from hjulet.core.page_cache import placeholder
from hjulet.knowledge.tests.factories import make_initiative

pytestmark = pytest.mark.django_db

TEST_URLS = "hjulet.core.tests.page_cache_urls"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def queries_of(client: Client, url: str, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", page)


def test_a_visitor_gets_the_kept_page_with_one_query(client, member):
    make_initiative(member, title="Fritidsbanken Umeå")
    url = reverse("knowledge:initiative-list")
    first_queries, first = queries_of(client, url)
    again_queries, again = queries_of(Client(), url)
    assert again_queries == 1 < first_queries  # the content generation, nothing else
    assert "Fritidsbanken Umeå" in again
    assert without_tokens(again) == without_tokens(first)


def test_a_write_through_a_service_shows_at_once(client, member):
    url = reverse("knowledge:initiative-list")
    assert "Språkcafé i Kalix" not in client.get(url).content.decode()
    make_initiative(member, title="Språkcafé i Kalix")
    assert "Språkcafé i Kalix" in client.get(url).content.decode()


def test_another_processs_commit_makes_the_kept_page_stale(client):
    url = reverse("site:home")
    client.get(url)
    ContentGeneration.objects.filter(pk=freshness.GENERATION_PK).update(value=F("value") + 1)
    queries, _page = queries_of(client, url)
    assert queries > 1


def test_each_visitor_gets_a_token_of_their_own_that_passes_the_csrf_check():
    url = reverse("knowledge:initiative-list")
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        page = visitor.get(url).content.decode()
        assert placeholder() not in page
        token = TOKEN.search(page).group(1)
        tokens.append(token)
        chosen = visitor.post(
            reverse("set-language"), {"language": "en", "csrfmiddlewaretoken": token}
        )
        assert chosen.status_code == 302
    assert tokens[0] != tokens[1]
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(url)  # a cookie of its own
    refused = stranger.post(
        reverse("set-language"), {"language": "en", "csrfmiddlewaretoken": tokens[0]}
    )
    assert refused.status_code == 403


def test_a_signed_in_person_never_gets_or_leaves_a_kept_page(client, member):
    make_initiative(member, title="Fritidsbanken Umeå")  # a page rendered reads it
    url = reverse("knowledge:initiative-list")
    name = member.email  # in the page's header, for the person signed in
    client.force_login(member)
    assert name in client.get(url).content.decode()
    visitor_queries, visitor_page = queries_of(Client(), url)
    assert visitor_queries > 1  # what the signed-in person saw was not kept
    assert name not in visitor_page
    signed_in_queries, page = queries_of(client, url)
    assert signed_in_queries > 1
    assert name in page


def test_a_visitor_with_a_session_is_served_anew(client):
    url = reverse("site:home")
    client.get(url)
    session = client.session
    session["something"] = "of theirs"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    queries, _page = queries_of(client, url)
    assert queries > 1


def test_languages_and_htmx_parts_are_kept_apart(client):
    url = reverse("knowledge:initiative-list")
    swedish = client.get(url).content.decode()
    english_visitor = Client()
    english_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_visitor.get(url).content.decode()
    assert 'lang="sv"' in swedish and 'lang="en"' in english
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in client.get(url).content.decode()
    assert "<html" not in part


def test_the_open_api_is_kept_but_not_for_a_bearer(client, member):
    make_initiative(member, title="Fritidsbanken Umeå")
    url = "/api/v1/initiatives?limit=5"
    client.get(url)
    queries, body = queries_of(client, url)
    assert queries == 1
    assert json.loads(body)["items"][0]["title"] == "Fritidsbanken Umeå"
    refused = client.get(url, headers={"Authorization": "Bearer nonsense"})
    assert refused.status_code == 401  # checked, not answered from what visitors get


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_a_page_with_a_one_time_token_is_never_shared(client):
    first = client.get("/test/one-time/").content.decode()
    second = Client().get("/test/one-time/").content.decode()
    assert first != second
    tokens = [
        re.search(r'name="submission" value="([^"]+)"', page).group(1) for page in (first, second)
    ]
    assert tokens[0] != tokens[1]


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_private_pages_are_not_kept_and_others_are(client):
    assert client.get("/test/private/").content != client.get("/test/private/").content
    assert client.get("/test/counted/").content == client.get("/test/counted/").content


@override_settings(ROOT_URLCONF=TEST_URLS, PAGE_CACHE_SECONDS=0)
def test_nothing_is_kept_when_turned_off(client):
    assert client.get("/test/counted/").content != client.get("/test/counted/").content
