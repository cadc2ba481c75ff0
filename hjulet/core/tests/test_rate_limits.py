"""Rate limits count across worker processes (issue #15, point 4): with the default
settings (no CACHE_URL) they were kept per process, so with 5 gunicorn workers 29 of 30
log-in attempts went through a limit of 10. They are now counted in the database."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django_ratelimit.core import _split_rate

from hjulet.core.cache import RATELIMIT_TABLE, RateLimitCache

from .ratelimit_windows import address_with_room

pytestmark = pytest.mark.django_db


def database_url(tmp_path) -> tuple[str, bool]:
    """The database the workers share, and whether they must make the cache table there.
    SQLite's test database lives in this process's memory, so they share a file instead."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}", True
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}", False


def test_login_attempts_are_counted_across_worker_processes(tmp_path):
    limit, period = _split_rate(settings.RATE_LIMITS["login_per_email"])
    per_worker = limit - 2  # each worker alone stays under the limit; together they pass it
    address = address_with_room(period)
    url, create_table = database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "HJULET_TESTING": "1"}
    env.pop("CACHE_URL", None)  # the default installation: no Redis
    workers = []
    for _worker in range(2):
        command = [sys.executable, "-m", "hjulet.core.tests.ratelimit_worker"]
        command += [str(per_worker), address] + (["--create-table"] if create_table else [])
        worker = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert worker.stdout.readline().strip() == "ready"  # the table exists from here on
        workers.append(worker)
        create_table = False
    for worker in workers:  # both at once
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outcomes = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        outcomes.append(json.loads(out))
    processed = sum(outcome.count("processed") for outcome in outcomes)
    assert processed == limit, f"{limit} attempts in all, not {limit} per process: {outcomes}"


def test_every_installation_has_the_table_and_uses_it():
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert isinstance(caches["ratelimit"], RateLimitCache)
    assert settings.CACHES["ratelimit"]["LOCATION"] == RATELIMIT_TABLE
    assert RATELIMIT_TABLE in connection.introspection.table_names()


def test_the_migration_makes_the_table():
    """Not left to `manage.py createcachetable` (which `make setup` does not run): the
    migration makes it. Dropped and made again inside the test's transaction (SQLite's
    schema editor cannot open inside one, so the migration gets the part it uses)."""
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("hjulet.core.migrations.0005_ratelimit_cache_table")
    assert migration.TABLE == RATELIMIT_TABLE
    with connection.cursor() as cursor:
        editor = SimpleNamespace(
            connection=connection, execute=cursor.execute, quote_name=connection.ops.quote_name
        )
        migration.drop_table(None, editor)
        assert RATELIMIT_TABLE not in connection.introspection.table_names()
        migration.create_table(None, editor)
    assert RATELIMIT_TABLE in connection.introspection.table_names()
    cache = caches["ratelimit"]
    assert cache.add("k", 1, 60) and cache.incr("k") == 2


def test_counting_keeps_the_expiry_of_the_count():
    """Django's database cache resets an entry's expiry to the default (5 minutes) on every
    increment: an hour's limit would then forget attempts made minutes apart."""
    cache = caches["ratelimit"]
    cache.add("count", 0, 3600)
    for _ in range(3):
        cache.incr("count")
    assert cache.get("count") == 3
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {RATELIMIT_TABLE} WHERE cache_key = %s",
            [cache.make_and_validate_key("count")],
        )
        (expires,) = cursor.fetchone()
    expires = RateLimitCache._expires(connection, expires)
    assert expires.timestamp() - time.time() > 3500
    with pytest.raises(ValueError):
        cache.incr("never-added")


def test_a_full_table_loses_only_expired_counts(settings):
    """A flood of new keys must not push the counts that should stop it out of the table
    (Django culls a third of the live entries when the table is full)."""
    cache = RateLimitCache(RATELIMIT_TABLE, {"OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2}})
    cache.set("expired", 1, -1)
    for number in range(10):
        cache.add(f"live-{number}", number, 3600)
    assert all(cache.get(f"live-{number}") == number for number in range(10))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {RATELIMIT_TABLE} WHERE cache_key LIKE '%%expired'")
        assert cursor.fetchone()[0] == 0
