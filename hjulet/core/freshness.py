"""What the worker processes compute once and keep, and when it goes stale.

Every write that goes through a service leaves an audit entry (``core.audit``), and with
it calls ``changed()``: once the transaction commits, the one row of ``ContentGeneration``
moves on by one, so every worker process on every app server sees that something changed
(a per-process cache alone would not: each gunicorn worker has its own). ``cached(name,
compute)`` keeps ``compute()`` under the current generation, the language and the day (what
is open "now" changes at midnight): the first request after any write, in any process,
computes it anew. Reading the generation is one query on a one-row table.

The process that wrote also moves a local counter at once, so that it never serves what it
has just changed, even inside a transaction that has not committed yet (the tests run
inside one). ``SECONDS`` bounds how long a value lives whatever happens: a process killed
between its commit and the bump leaves stale values for at most that long.

A request reads the stored generation once (``OneGenerationPerRequest``, a middleware): the
page cache, the values and the facet index of one page then agree, for one query.

``kept_in_process(name, compute)`` keeps a value in the process's own memory instead, under
the generation alone: for a large value used on many requests, which a cache would copy
(unpickle) on every use (the knowledge bank's facet index).
"""

import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from .models import ContentGeneration

T = TypeVar("T")

SECONDS = 15 * 60
GENERATION_PK = 1

_local_generation = 0
_in_process: dict[str, tuple[str, float, Any]] = {}
_in_process_lock = threading.Lock()
#: The stored generation as the current request first read it (None outside a request).
_read_in_request: ContextVar[dict[str, int] | None] = ContextVar("generation_read", default=None)


def changed() -> None:
    """Something that a cached value may show has changed (in the current transaction)."""
    global _local_generation
    _local_generation += 1
    transaction.on_commit(_bump)


def _bump() -> None:
    rows = ContentGeneration.objects.filter(pk=GENERATION_PK)
    if not rows.update(value=F("value") + 1):
        ContentGeneration.objects.get_or_create(pk=GENERATION_PK, defaults={"value": 1})


def generation() -> str:
    """The database's generation and this process's own changes: a part of a cache key."""
    return f"{_stored_generation()}.{_local_generation}"


def _stored_generation() -> int:
    read = _read_in_request.get()
    if read is not None and "stored" in read:
        return read["stored"]
    stored = (
        ContentGeneration.objects.filter(pk=GENERATION_PK).values_list("value", flat=True).first()
    ) or 0
    if read is not None:
        read["stored"] = stored
    return stored


class OneGenerationPerRequest:
    """Middleware: a request reads the stored generation at most once. Another process's
    commit during the request shows from the next request on; this process's own writes
    show at once (the local counter is read every time)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _read_in_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)


def key(name: str) -> str:
    """A cache key for ``name`` under the current generation, language and day (``name``
    must say everything else the value depends on)."""
    return ":".join(
        (
            "fresh",
            name,
            generation(),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
        )
    )


def cached(name: str, compute: Callable[[], T], *, seconds: int = SECONDS) -> T:
    """``compute()``, computed once per generation, language and day."""
    key_now = key(name)
    value = cache.get(key_now)
    if value is None:
        value = compute()
        cache.set(key_now, value, seconds)
    return value


def kept_in_process(name: str, compute: Callable[[], T], *, seconds: int = SECONDS) -> T:
    """``compute()``, kept in this process until the generation moves on or ``seconds``
    pass; one value per name (the newest). Not by language or day: ``compute`` must not
    depend on them."""
    now = generation()
    kept = _in_process.get(name)
    if kept is not None and kept[0] == now and time.monotonic() < kept[1]:
        return kept[2]
    with _in_process_lock:  # one thread computes; the others wait for its value
        kept = _in_process.get(name)
        if kept is not None and kept[0] == now and time.monotonic() < kept[1]:
            return kept[2]
        value = compute()
        _in_process[name] = (now, time.monotonic() + seconds, value)
    return value


def forget_in_process() -> None:
    """Forget every value ``kept_in_process`` keeps in this process (for tests, which roll
    back their writes and with them the generation)."""
    _in_process.clear()
