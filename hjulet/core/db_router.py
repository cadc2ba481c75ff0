"""Reads from a PostgreSQL streaming replica, writes to the primary, and every person reads
their own writes.

Active only when ``DATABASE_REPLICA_URL`` is set (``config/settings.py`` then adds the
``replica`` database, this router and ``ReadYourWritesMiddleware``):

- **Writes** always go to ``default`` (the primary); **migrations** run only there.
- **Reads go to the replica only inside a web request** that the middleware let through:
  a ``GET``/``HEAD``/``OPTIONS`` request whose client has not written recently. Everything
  else reads from the primary: management commands, the task worker (a task reads what the
  request that queued it has just written), the shell and the tests.
- **Read-your-writes**: a request that is not ``GET``/``HEAD``/``OPTIONS`` reads from the
  primary throughout, and so does the rest of any request once it has written a row; its
  response then carries a cookie that keeps that client on the primary for
  ``READ_YOUR_WRITES_SECONDS`` (10 s), longer than the replica's lag on a healthy pair.
- Anything **inside ``transaction.atomic``** on the primary reads from the primary, so a
  service's checks and its writes see one database.

A client that drops cookies (an API script) may not see its own write on the next ``GET``
until the replica has replayed it (milliseconds on a healthy pair).
"""

import math
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
COOKIE = "hjulet_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    """What the request in this thread (or context) may read from."""

    replica: bool
    wrote: bool = False


_current: ContextVar[_Reads | None] = ContextVar("hjulet_db_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry; see the module's docstring."""

    def db_for_read(self, model, **hints) -> str:
        reads = _current.get()
        if (
            reads is None
            or not reads.replica
            or reads.wrote
            or not replica_configured()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        reads = _current.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class reads_from_replica:
    """Let the code inside read from the replica as a client's ``GET`` does (for tests and
    scripts; the middleware does this for web requests)."""

    def __init__(self, replica: bool = True) -> None:
        self.replica = replica

    def __enter__(self) -> _Reads:
        reads = _Reads(replica=self.replica)
        self._token = _current.set(reads)
        return reads

    def __exit__(self, *exc_info) -> None:
        _current.reset(self._token)


def recently_wrote(request: HttpRequest, now: float | None = None) -> bool:
    """Whether the client's cookie says it wrote less than ``READ_YOUR_WRITES_SECONDS`` ago."""
    try:
        until = float(request.COOKIES.get(COOKIE, ""))
    except ValueError:
        return False
    now = time.time() if now is None else now
    # A cookie far in the future (forged or from a changed setting) counts no longer.
    return now < until <= now + settings.READ_YOUR_WRITES_SECONDS


class ReadYourWritesMiddleware:
    """First in ``MIDDLEWARE``: decides where the request reads from and, when it wrote,
    keeps its client on the primary for ``READ_YOUR_WRITES_SECONDS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        reads = _Reads(replica=safe and not recently_wrote(request))
        token = _current.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if not safe or reads.wrote:
            seconds = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                COOKIE,
                f"{math.floor((time.time() + seconds) * 1000) / 1000:.3f}",  # never later
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
