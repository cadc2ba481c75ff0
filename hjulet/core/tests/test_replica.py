"""Two real app servers against a PostgreSQL primary and its streaming replica on loopback
(``scripts/pg_replica.py``): one reads from the replica (``DATABASE_REPLICA_URL``), the other
only from the primary. With the replica's replay paused, a person who has just signed in
still reads their own session from the primary, a client without the read-your-writes cookie
reads the replica's older copy, the other server sees the write at once, and once replay
resumes the replica catches up.

PostgreSQL only (the replica copies a PostgreSQL cluster). Skipped when the replica cannot be
started, except in CI and with ``REQUIRE_POSTGRES=1``, where that fails."""

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from hjulet.accounts.tests.factories import UserFactory
from hjulet.core.db_router import COOKIE

from .app_servers import app_servers, database_url, log_in, missing, signed_in_as

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a streaming replica is a PostgreSQL feature: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

sys.path.insert(0, str(Path(settings.BASE_DIR) / "scripts"))
from pg_replica import Replica, ReplicaError  # noqa: E402

EMAIL = "replika@exempel.se"
PASSWORD = "ett-långt-lösenord-för-replikan"


@pytest.fixture(scope="session")
def pg_replica():
    replica = Replica()
    try:
        done = replica.start()
    except (ReplicaError, OSError, subprocess.SubprocessError) as error:
        missing(f"The PostgreSQL replica on 127.0.0.1:{replica.port} could not start: {error}")
    yield replica
    with contextlib.suppress(ReplicaError):
        replica.resume_replay()
    if done != "already streaming":  # one that ran before the tests keeps running
        replica.stop()


def test_reads_go_to_the_replica_and_a_person_reads_their_own_writes(pg_replica):
    UserFactory(email=EMAIL, name="Rita Replika", password=PASSWORD)
    name = connection.settings_dict["NAME"]
    pg_replica.wait_replayed()  # the test database and the person are on the replica
    primary = database_url()
    with app_servers(
        with_replica={"DATABASE_URL": primary, "DATABASE_REPLICA_URL": pg_replica.url(name)},
        primary_only={"DATABASE_URL": primary},
    ) as servers:
        reading_replica, primary_only = servers["with_replica"], servers["primary_only"]
        pg_replica.pause_replay()
        try:
            person = requests.Session()
            signed_in = log_in(person, reading_replica, EMAIL, PASSWORD)
            assert signed_in.status_code == 302, signed_in.text[:500]
            assert COOKIE in person.cookies  # a POST: reads stay on the primary a while
            # Read-your-writes: the new session (on the primary only) is found.
            assert signed_in_as(person, reading_replica, EMAIL)

            # The same session without the cookie is looked for on the replica, which has
            # not replayed the log-in yet: signed out there …
            other_tab = requests.Session()
            other_tab.cookies.set("sessionid", person.cookies["sessionid"])
            assert not signed_in_as(other_tab, reading_replica, EMAIL)
            # … while the server that reads the primary finds it at once.
            assert signed_in_as(other_tab, primary_only, EMAIL)
            assert COOKIE not in other_tab.cookies  # no router there, no cookie
        finally:
            pg_replica.resume_replay()

        # Replay resumed: the replica catches up and the session is found there too.
        deadline = time.monotonic() + 15
        while not signed_in_as(other_tab, reading_replica, EMAIL):
            assert time.monotonic() < deadline, "the replica did not catch up in 15 s"
            time.sleep(0.2)
