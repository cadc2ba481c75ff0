"""The send-once token under real concurrency: two requests with the same token at the same
moment, each in its own thread with its own database connection. The second must wait for
the first and answer with what the first made; exactly one object is saved.

On SQLite the test database is a shared in-memory database, where a second writer gets
"database table is locked" at once instead of waiting (shared-cache locking ignores the busy
timeout), so these tests run on PostgreSQL only; the single-threaded behaviour (a second
sending after the first) is tested on both databases in each app's tests."""

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from hjulet.core.models import AuditEntry, FormSubmission, Vocabulary
from hjulet.core.services import submit_once
from hjulet.knowledge import services as knowledge
from hjulet.knowledge.models import Initiative, Method
from hjulet.knowledge.tests.factories import term

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's shared in-memory test database refuses a second writer instead of "
        "making it wait; concurrent sending is tested on PostgreSQL",
    ),
]


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads released together; their results (or exceptions) in order.
    Each thread closes its own database connection when done."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def test_the_second_of_two_simultaneous_calls_waits_and_returns_the_first_result(
    reference_data, member, organisation
):
    """The service directly. ``save`` takes a moment after creating its object, so the other
    thread's claim arrives while the first is still inside its transaction: it must block on
    the token, then return the first's method, without calling its own ``save``."""
    token = uuid.uuid4()
    saves = []

    def save() -> Method:
        method = knowledge.method_create(
            actor=member,
            organisations=[organisation],
            title="Läxhjälp",
            summary="Frivilliga hjälper.",
            what="Läxhjälp två kvällar i veckan.",
        )
        saves.append(method.pk)
        time.sleep(0.3)
        return method

    def send() -> tuple[int, bool, float]:
        result, first = submit_once(token=token, actor=member, save=save)
        return result.pk, first, time.monotonic()

    started = time.monotonic()
    (pk_a, first_a, done_a), (pk_b, first_b, done_b) = at_once(send, send)
    assert len(saves) == 1, "both requests saved"
    assert Method.objects.count() == 1
    assert pk_a == pk_b == Method.objects.get().pk
    assert sorted([first_a, first_b]) == [False, True]
    # The one that did not save answered after the save had finished, i.e. it waited.
    waited = done_b if first_a else done_a
    assert waited - started >= 0.3
    assert FormSubmission.objects.filter(token=token).count() == 1


def test_two_simultaneous_posts_of_a_form_make_one_initiative(reference_data, member, organisation):
    """The real view through two browsers of the same person (a double click that reached
    two workers), several times over: one initiative per token, both answers lead to it."""
    url = reverse("knowledge:initiative-create")
    stage = term(Vocabulary.STAGE, "ide").pk
    for round_ in range(5):
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(member)
        token = clients[0].get(url).context["form"]["submission"].value()
        data = {
            "submission": token,
            "lead": organisation.pk,
            "title": f"Läxhjälp i Morjärv {round_}",
            "summary": "Frivilliga hjälper till med läxor i byskolan.",
            "municipality": "2514",
            "stage": stage,
        }
        answers = at_once(*(lambda c=client, d=data: c.post(url, d) for client in clients))
        made = Initiative.objects.filter(title=data["title"])
        assert made.count() == 1, f"round {round_}: {made.count()} initiatives"
        detail = reverse("knowledge:initiative-detail", args=[made.get().slug])
        assert [(a.status_code, a["Location"]) for a in answers] == [(302, detail)] * 2
        assert (
            AuditEntry.objects.filter(
                action="initiative.create", target_id=str(made.get().pk)
            ).count()
            == 1
        )
