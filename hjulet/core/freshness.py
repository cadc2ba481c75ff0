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

A value that depends on a few models only may be kept under a generation of its own
(``watch(scope, models)``): it moves on writes to those models (by the audit entries'
target types) and on ``changed(scope=)``, not on every write anywhere. The facet index
is kept so, not to be read again after each survey response.

A request reads the stored generations once (``OneGenerationPerRequest``, a middleware): the
page cache, the values and the facet index of one page then agree, for one query.

``kept_in_process(name, compute)`` keeps a value in the process's own memory instead, under
the generation alone: for a large value used on many requests, which a cache would copy
(unpickle) on every use (the knowledge bank's facet index).
"""

import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
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

#: This process's own changes, by generation row (see ``changed``).
_local: dict[int, int] = defaultdict(int)
#: Scope → (its generation row, the models whose writes move it), see ``watch``.
_watched: dict[str, tuple[int, frozenset[str]]] = {}
_in_process: dict[str, tuple[str, float, Any]] = {}
_in_process_lock = threading.Lock()
#: The current request's memo (None outside a request): under "stored", the generations as
#: the request first read them.
_read_in_request: ContextVar[dict[str, dict[int, int]] | None] = ContextVar(
    "generation_read", default=None
)


def watch(scope: str, models: Iterable[str]) -> None:
    """Give ``scope`` a generation of its own, which moves only on writes to ``models``
    (``app_label.modelname``, the audit entries' target types) and on ``changed(scope=)``:
    for values that depend on those models alone and cost too much to compute anew after
    every write anywhere (a survey's responses, say). Called from an app's ``ready()``."""
    row = 2 + zlib.crc32(scope.encode()) % (2**30)  # a row of its own, the same everywhere
    _watched[scope] = (row, frozenset(models))


def changed(*target_types: str, scope: str | None = None) -> None:
    """Something that a cached value may show has changed (in the current transaction):
    an object of each of ``target_types``, or what ``scope`` watches."""
    rows = rows_moved_by(*target_types, scope=scope)
    for row in rows:
        _local[row] += 1
    transaction.on_commit(lambda: _bump(rows))


def rows_moved_by(*target_types: str, scope: str | None = None) -> set[int]:
    """The generation rows a write of ``target_types`` (or to ``scope``) moves on."""
    return {GENERATION_PK} | {
        row
        for name, (row, models) in _watched.items()
        if name == scope or not models.isdisjoint(target_types)
    }


def _bump(rows: Iterable[int] = (GENERATION_PK,)) -> None:
    for row in sorted(rows):
        if not ContentGeneration.objects.filter(pk=row).update(value=F("value") + 1):
            ContentGeneration.objects.get_or_create(pk=row, defaults={"value": 1})


def generation(scope: str | None = None) -> str:
    """The database's generation and this process's own changes: a part of a cache key. A
    ``scope`` (``watch``) has a generation of its own."""
    row = _watched[scope][0] if scope is not None else GENERATION_PK
    return f"{_stored_generations().get(row, 0)}.{_local[row]}"


def _stored_generations() -> dict[int, int]:
    """Every generation row's value: one query, once a request."""
    read = _read_in_request.get()
    if read is not None and "stored" in read:
        return read["stored"]
    rows = [GENERATION_PK, *(row for row, _models in _watched.values())]
    stored = dict(ContentGeneration.objects.filter(pk__in=rows).values_list("pk", "value"))
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


def key(name: str, *, scope: str | None = None) -> str:
    """A cache key for ``name`` under the current generation (of ``scope``, see ``watch``),
    language and day (``name`` must say everything else the value depends on)."""
    return ":".join(
        (
            "fresh",
            name,
            generation(scope),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
        )
    )


def cached(
    name: str, compute: Callable[[], T], *, seconds: int = SECONDS, scope: str | None = None
) -> T:
    """``compute()``, computed once per generation (of ``scope``), language and day."""
    key_now = key(name, scope=scope)
    value = cache.get(key_now)
    if value is None:
        value = compute()
        cache.set(key_now, value, seconds)
    return value


def kept_in_process(
    name: str, compute: Callable[[], T], *, seconds: int = SECONDS, scope: str | None = None
) -> T:
    """``compute()``, kept in this process until the generation (of ``scope``) moves on or
    ``seconds`` pass; one value per name (the newest). Not by language or day: ``compute``
    must not depend on them."""
    now = generation(scope)
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
