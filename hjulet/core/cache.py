"""Caches of our own: the one that counts rate-limited attempts (``settings.
RATELIMIT_USE_CACHE``) when no Redis is configured, Django's database cache shared by every
worker process through the database, with the two changes a counter needs; and a process's
own cache bounded in bytes (``BoundedLocMemCache``, for whole pages)."""

import base64
import pickle
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections, models, router, transaction
from django.utils import timezone

# Also in config/settings.py (CACHES["ratelimit"]) and the migration that creates the table.
RATELIMIT_TABLE = "hjulet_ratelimit"


class RateLimitCache(DatabaseCache):
    """``incr`` is atomic across processes (Django's reads, adds and writes back, so two
    workers counting at once count one) and keeps the entry's expiry (Django's resets it to
    the default timeout); culling removes only expired counters (Django's also drops a third
    of the live ones when the table is full, so a flood of new keys would reset the counts
    that should stop it)."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        # PostgreSQL locks the row; SQLite runs Hjulet's transactions as BEGIN IMMEDIATE
        # (settings.DATABASES), which lets one writer at a time in.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expires(connection, row[1]) < timezone.now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                [encoded, key],
            )
        return value

    @staticmethod
    def _expires(connection, value: Any):
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            value = converter(value, expression, connection)
        return value

    def _cull(self, db: str, cursor, now, num: int) -> None:
        connection = connections[db]
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(self._table)} "
            f"WHERE {connection.ops.quote_name('expires')} < %s",
            [connection.ops.adapt_datetimefield_value(now)],
        )


class BoundedLocMemCache(LocMemCache):
    """Django's cache in the process's own memory, bounded in bytes as well as in entries
    (``MAX_BYTES`` in ``OPTIONS``): the least recently used entries go first. Whole pages
    kept for visitors differ in size tenfold, so a number of entries alone did not bound a
    worker's memory: under a long load test the pages a worker kept grew it past 200 MB."""

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 0))

    def _set(self, key: str, value: bytes, timeout: Any = DEFAULT_TIMEOUT) -> None:
        super()._set(key, value, timeout)
        if not self._max_bytes:
            return
        # Summed on each write: a thousand lengths, some 30 µs beside the page it keeps.
        total = sum(len(kept) for kept in self._cache.values())
        while total > self._max_bytes and len(self._cache) > 1:
            oldest, kept = self._cache.popitem()  # the end: the least recently used
            self._expire_info.pop(oldest, None)
            total -= len(kept)
