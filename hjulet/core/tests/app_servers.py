"""Real app servers for the tests of the set-up past one machine (test_replica.py,
test_shared_cache.py): gunicorn with the project's configuration on free loopback ports, each
with an environment of its own, against the test database of the running test session, and
a person signing in through them with ``requests`` as a browser would.

The servers run with ``HJULET_TESTING=1`` and ``DEBUG`` on (the tests' password hasher, and
cookies without ``Secure`` over plain HTTP) and one sync worker each, so that two of them
start in a few seconds on a busy machine."""

import contextlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

from .shared_data import in_ci

sys.path.insert(0, str(Path(settings.BASE_DIR) / "scripts"))
import gunicorn_server

START_TIMEOUT = 120  # seconds: gunicorn imports everything before it answers
LOGIN = "/konto/logga-in/"
PROFILE = "/konto/profil/"


def must_have() -> bool:
    """Whether a missing service fails the test rather than skipping it: in CI and where
    PostgreSQL is required (``REQUIRE_POSTGRES=1``, scripts/test.sh)."""
    return in_ci() or os.environ.get("REQUIRE_POSTGRES", "") == "1"


def missing(reason: str) -> None:
    """Fail (CI) or skip (elsewhere) for a service the test needs but cannot have."""
    import pytest

    if must_have():
        pytest.fail(reason)
    pytest.skip(reason)


def database_url() -> str:
    """The test session's PostgreSQL database, for the servers."""
    values = connection.settings_dict
    return (
        f"postgres://{values['USER'] or 'postgres'}@{values['HOST'] or '127.0.0.1'}:"
        f"{values['PORT'] or 5432}/{values['NAME']}"
    )


class AppServer:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.port = gunicorn_server.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix=f"hjulet-{name}-", suffix=".log")[1])
        inherited = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_REPLICA_URL", "CACHE_URL", "DATABASE_URL"}
        }
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "HJULET_TESTING": "1",
            "DEBUG": "1",
            "LOG_LEVEL": "WARNING",
            "DB_CONN_MAX_AGE": "0",  # no connection kept open past a request
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = gunicorn_server.start(self.port, 1, self.env, self.log)

    def wait(self) -> None:
        gunicorn_server.wait_until_ready(
            self.process,
            self.answers,
            name=self.name,
            timeout=START_TIMEOUT,
            interval=0.3,
            log_tail=self.log_tail,
        )

    def answers(self) -> bool:
        with contextlib.suppress(requests.RequestException):
            return requests.get(self.url + LOGIN, timeout=5).status_code == 200
        return False

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process is not None:
            gunicorn_server.stop(self.process)
        self.log.unlink(missing_ok=True)


@contextlib.contextmanager
def app_servers(**environments: dict[str, str]) -> Iterator[dict[str, AppServer]]:
    """Start one server per keyword (its environment), both at once; stop them after."""
    servers = {name: AppServer(name, env) for name, env in environments.items()}
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def login_form(browser: requests.Session, server: AppServer) -> str:
    """Open the log-in page; returns its CSRF token."""
    page = browser.get(server.url + LOGIN, timeout=30)
    assert page.status_code == 200, page.text[:500]
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the log-in page"
    return found.group(1)


def log_in(browser: requests.Session, server: AppServer, email: str, password: str):
    token = login_form(browser, server)
    return browser.post(
        server.url + LOGIN,
        data={"username": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": server.url + LOGIN},
        allow_redirects=False,
        timeout=30,
    )


def signed_in_as(browser: requests.Session, server: AppServer, email: str) -> bool:
    """Whether the profile page opens for ``email`` (a signed-out visitor is sent to log in)."""
    page = browser.get(server.url + PROFILE, allow_redirects=False, timeout=30)
    if page.status_code == 302:
        assert LOGIN in page.headers["Location"], page.headers["Location"]
        return False
    assert page.status_code == 200, f"{page.status_code}: {server.log_tail()}"
    return email in page.text
