"""Text no database can hold — a NUL character, or a lone surrogate sent as the JSON escape
``\\ud800`` — is refused with a 400 and a clear message wherever it comes in (JSON of any
declared type, url-encoded and multipart forms, query strings), and nothing is written.
Before, each of these reached a query and was a 500 (SQLite cannot encode a surrogate,
PostgreSQL refuses both)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hjulet.accounts.models import Organisation
from hjulet.core.models import AuditEntry, FormSubmission
from hjulet.knowledge.models import ImportBatch, Initiative, Method
from hjulet.knowledge.tests.factories import make_method
from hjulet.support.models import AdviceRequest

pytestmark = pytest.mark.django_db

MESSAGE_MARK = "\\ud800"  # the message names the character, in Swedish and English alike

METHOD = {"title": "Språkcafé", "summary": "Samtal.", "what": "Vi ses."}
ADVICE = {
    "title": "Cykelkök",
    "description": "Grannar lagar cyklar.",
    "municipality": "2514",
    "needs": ["advice"],
}


def with_escape(payload: dict, field: str, escape: str) -> str:
    """JSON text where ``field``'s value ends in the raw escape (json.dumps cannot write a
    lone surrogate other than as this escape, which is what clients send)."""
    marker = "@@MARK@@"
    text = json.dumps({**payload, field: f"{payload[field]}{marker}"})
    return text.replace(marker, escape)


JSON_CASES = [
    ("post", "/api/v1/methods", with_escape(METHOD, "title", "\\ud800"), "application/json"),
    ("post", "/api/v1/methods", with_escape(METHOD, "summary", "\\udfff"), "text/plain"),
    ("post", "/api/v1/methods", with_escape(METHOD, "what", "\\u0000"), "text/plain"),
    (
        "post",
        "/api/v1/advice-requests",
        with_escape(ADVICE, "title", "\\ud83d"),
        "application/json",
    ),
    (
        "post",
        "/api/v1/advice-requests",
        with_escape(ADVICE, "municipality", "\\u0000"),
        "application/x-json",
    ),
    (
        "post",
        "/api/v1/advice-requests",
        json.dumps(ADVICE).replace('"needs"', '"needs\\ud800"'),
        "application/json",
    ),
    (
        "post",
        "/api/v1/organisations",
        with_escape({"name": "Grannar", "sector": "ideburen"}, "name", "\\ud800"),
        "application/json",
    ),
    (
        "patch",
        "/api/v1/methods/sprakcafe",
        with_escape({"title": "Nytt", "version": 1}, "title", "\\ud800"),
        "application/json",
    ),
]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (AuditEntry, FormSubmission, Method, Initiative, AdviceRequest, Organisation)
    }


@pytest.mark.parametrize(("method", "url", "body", "content_type"), JSON_CASES)
def test_json_with_a_lone_surrogate_or_nul_is_a_400_and_saves_nothing(
    as_user, member, method, url, body, content_type
):
    original = make_method(member)
    before = counts()
    response = getattr(as_user(member), method)(url, body, content_type=content_type)
    assert response.status_code == 400, response.content
    assert MESSAGE_MARK in response.json()["detail"]
    assert counts() == before
    original.refresh_from_db()
    assert (original.title, original.version) == ("Språkcafé", 1)


FORM_CASES = [
    # (url, fields, multipart?)
    ("/radgivning/fraga/", {**ADVICE, "municipality": "2514\x00"}, False),
    ("/radgivning/fraga/", {**ADVICE, "title": "Cykel\x00kök"}, True),
    ("/metoder/ny/", {**METHOD, "title": "Språk\x00café"}, True),
    ("/metoder/ny/", {**METHOD, "summary\x00": "x"}, False),
    ("/api/v1/advice-requests", {**ADVICE, "title": "a\x00"}, False),
    ("/api/v1/methods", {**METHOD, "title": "a\x00"}, True),
]


def urlencoded(fields: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(fields, doseq=True)


@pytest.mark.parametrize(("url", "fields", "multipart"), FORM_CASES)
def test_a_nul_in_a_form_is_a_400_with_a_clear_message_and_saves_nothing(
    as_user, member, url, fields, multipart
):
    before = counts()
    client = as_user(member)
    if multipart:
        response = client.post(url, fields)
    else:
        response = client.post(
            url, urlencoded(fields), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert MESSAGE_MARK in (response.json()["detail"] if url.startswith("/api/") else text)
    assert counts() == before


def test_a_nul_in_an_uploaded_file_name_never_reaches_the_database(as_user, member, organisation):
    """Django's multipart parser drops the NUL from a file's name, so the upload goes on
    under the cleaned name (a file that lacks Hjulet's columns is kept for the person to
    choose them since issue 17)."""
    upload = SimpleUploadedFile("lista\x00.csv", b"title\nx\n", content_type="text/csv")
    response = as_user(member).post(
        "/api/v1/imports", {"file": upload, "lead_organisation": organisation.pk}
    )
    assert response.status_code == 201
    assert ImportBatch.objects.get().filename == "lista.csv"


def test_a_nul_inside_an_uploaded_file_is_its_own_business(as_user, member):
    """Files are bytes: a NUL in them is not text sent to a query, and passes the check."""
    upload = SimpleUploadedFile("bild.png", b"\x89PNG\x00\x00", content_type="image/png")
    response = as_user(member).post("/metoder/ny/", {**METHOD, "image": upload})
    assert response.status_code != 500
    assert MESSAGE_MARK not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/stod/?municipality=2514%00",
        "/utlysningar/?challenge=%00",
        "/initiativ/?q=a%00b",
        "/api/v1/methods?q=%00",
        "/api/v1/support-structures?municipality=2514%00",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_with_a_clear_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert MESSAGE_MARK in response.content.decode().replace("\\\\", "\\")


def test_the_page_answer_is_the_swedish_error_page(as_user, member):
    response = as_user(member).post("/metoder/ny/", {**METHOD, "title": "a\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="sv"' in page and "<h1>" in page
