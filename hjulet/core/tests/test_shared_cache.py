"""Two real app servers sharing one Redis (``CACHE_URL``): a rate limit counted on one holds
on the other, and a session made on one is valid on the other, read from Redis
(``cached_db`` sessions) even when its database row is gone.

The servers share the test session's database, so this runs on PostgreSQL (on SQLite the
test database lives in the test process's memory). Skipped without Redis at
127.0.0.1:6379, except in CI and with ``REQUIRE_POSTGRES=1``, where that fails."""

import os

import pytest
import requests
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from hjulet.accounts.tests.factories import UserFactory

from .app_servers import app_servers, database_url, log_in, missing, signed_in_as

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the app servers share the test database, which on SQLite is in the test "
        "process's memory: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

REDIS_URL = f"redis://127.0.0.1:6379/{int(os.environ.get('HJULET_TEST_REDIS_DB', '14'))}"
EMAIL = "delad@exempel.se"
PASSWORD = "ett-långt-lösenord-för-redis"


@pytest.fixture
def redis_db():
    """The test's own Redis database, emptied before and after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        missing(f"Redis does not answer at {REDIS_URL}: {error}")
    client.flushdb()
    yield client
    client.flushdb()


def rate_limit_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['ratelimit']['LOCATION']}")
        return cursor.fetchone()[0]


def test_two_app_servers_share_sessions_and_rate_limits_through_redis(redis_db):
    UserFactory(email=EMAIL, name="Dan Delad", password=PASSWORD)
    rows_before = rate_limit_rows()
    shared = {"DATABASE_URL": database_url(), "CACHE_URL": REDIS_URL}
    with app_servers(first=shared, second=shared) as servers:
        first, second = servers["first"], servers["second"]

        person = requests.Session()
        assert log_in(person, first, EMAIL, PASSWORD).status_code == 302
        session_key = person.cookies["sessionid"]
        assert any(session_key in key.decode() for key in redis_db.keys("*"))
        assert signed_in_as(person, second, EMAIL)
        # Found in Redis, not only in the database: without its row it still holds.
        Session.objects.filter(session_key=session_key).delete()
        assert signed_in_as(person, second, EMAIL)

        limit = int(settings.RATE_LIMITS["login_per_email"].split("/")[0])
        guesser = requests.Session()
        statuses = [
            log_in(guesser, (first, second)[attempt % 2], "utsatt@exempel.se", "fel").status_code
            for attempt in range(limit)
        ]
        assert statuses == [200] * limit  # refused passwords, counted on both servers
        assert log_in(guesser, first, "utsatt@exempel.se", "fel").status_code == 429
        assert log_in(guesser, second, "utsatt@exempel.se", "fel").status_code == 429
        # Another address is not affected.
        assert log_in(guesser, second, "annan@exempel.se", "fel").status_code == 200
    assert rate_limit_rows() == rows_before  # counted in Redis, not in the database table
