"""The advice-request form and its API create one request per send-once token, even when
the same token arrives twice, or twice at the same moment."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from hjulet.accounts.tests.api import bearer
from hjulet.support.models import AdviceRequest

pytestmark = pytest.mark.django_db


def form_data(token: str) -> dict:
    return {
        "title": "Läxhjälp",
        "description": "Vi vill hjälpa barn med läxorna.",
        "municipality": "2514",
        "needs": ["premises"],
        "submission": token,
    }


def api_payload(token: str | None) -> dict:
    payload = {
        "title": "Cykelkök",
        "description": "Grannar lagar cyklar.",
        "municipality": "2514",
        "needs": ["advice"],
    }
    if token is not None:
        payload["submission_token"] = token
    return payload


def test_the_form_carries_a_send_once_token(as_user, outsider):
    page = as_user(outsider).get("/radgivning/fraga/").content.decode()
    assert 'name="submission"' in page


def test_the_same_form_token_twice_gives_one_request_and_shows_the_first(as_user, outsider):
    client = as_user(outsider)
    token = str(uuid.uuid4())
    first = client.post("/radgivning/fraga/", form_data(token))
    created = AdviceRequest.objects.get()
    assert first.status_code == 302 and first.url == f"/radgivning/{created.pk}/"
    again = client.post("/radgivning/fraga/", form_data(token))
    assert again.status_code == 302 and again.url == f"/radgivning/{created.pk}/"
    assert AdviceRequest.objects.count() == 1


def test_the_same_api_token_twice_gives_the_first_request(client, outsider):
    headers = bearer(outsider)
    token = str(uuid.uuid4())
    url = "/api/v1/advice-requests"
    first = client.post(url, json.dumps(api_payload(token)), "application/json", **headers)
    assert first.status_code == 201, first.content
    again = client.post(url, json.dumps(api_payload(token)), "application/json", **headers)
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert AdviceRequest.objects.count() == 1


def test_someone_elses_token_is_refused(client, outsider, member):
    token = str(uuid.uuid4())
    url = "/api/v1/advice-requests"
    body = json.dumps(api_payload(token))
    assert client.post(url, body, "application/json", **bearer(outsider)).status_code == 201
    other = client.post(url, body, "application/json", **bearer(member))
    assert other.status_code == 400 and other.json()["detail"]
    assert AdviceRequest.objects.count() == 1


def post_at_once(send) -> list[int]:
    """Run ``send()`` in two threads released at the same moment; their status codes."""
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def one() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(send())
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return sorted(statuses)


needs_row_locks = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database (shared cache) refuses a second writer at once "
    "with 'database table is locked' instead of making it wait, so two simultaneous "
    "requests cannot be run on it",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_form_posts_at_the_same_moment_make_one_request(reference_data, outsider):
    token = str(uuid.uuid4())

    def send() -> int:
        client = Client()
        client.force_login(outsider)
        return client.post("/radgivning/fraga/", form_data(token)).status_code

    assert post_at_once(send) == [302, 302]
    assert AdviceRequest.objects.count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_api_posts_at_the_same_moment_make_one_request(reference_data, outsider):
    headers = bearer(outsider)
    body = json.dumps(api_payload(str(uuid.uuid4())))

    def send() -> int:
        response = Client().post("/api/v1/advice-requests", body, "application/json", **headers)
        return response.status_code

    assert post_at_once(send) == [200, 201]
    assert AdviceRequest.objects.count() == 1
