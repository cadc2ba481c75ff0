"""The database router and its middleware, on their own (either database: no replica is
needed, the router is only asked where a query would go)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from hjulet.accounts.models import User
from hjulet.core import db_router
from hjulet.core.db_router import (
    COOKIE,
    ReadYourWritesMiddleware,
    ReplicaRouter,
    reads_from_replica,
    recently_wrote,
)

router = ReplicaRouter()


@pytest.fixture
def replica(monkeypatch, settings):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    settings.READ_YOUR_WRITES_SECONDS = 10


def where_reads_go(request, **cookies) -> tuple[str, str, HttpResponse]:
    """Where the request's reads go before and after its view writes a row, and the
    response."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(User))
        if request.method == "GET" and "write" in request.GET:
            router.db_for_write(User)
        seen.append(router.db_for_read(User))
        return HttpResponse("ok")

    for name, value in cookies.items():
        request.COOKIES[name] = value
    response = ReadYourWritesMiddleware(view)(request)
    return seen[0], seen[1], response


def test_outside_a_request_everything_reads_and_writes_the_primary(replica):
    assert router.db_for_read(User) == "default"
    assert router.db_for_write(User) == "default"


def test_without_a_replica_reads_stay_on_the_primary(settings):
    assert "replica" not in settings.DATABASES
    with reads_from_replica():
        assert router.db_for_read(User) == "default"


def test_a_get_reads_from_the_replica_and_leaves_no_cookie(replica):
    before, after, response = where_reads_go(RequestFactory().get("/initiativ/"))
    assert (before, after) == ("replica", "replica")
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_request_reads_from_the_primary_and_keeps_its_client_there(replica, method):
    before, after, response = where_reads_go(getattr(RequestFactory(), method)("/konto/"))
    assert (before, after) == ("default", "default")
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert time.time() + 9 < float(cookie.value) <= time.time() + 10


def test_a_get_that_writes_reads_from_the_primary_from_then_on(replica):
    before, after, response = where_reads_go(RequestFactory().get("/konto/bekrafta/x/?write=1"))
    assert (before, after) == ("replica", "default")
    assert COOKIE in response.cookies


def test_a_client_that_wrote_recently_reads_from_the_primary(replica):
    now = time.time()
    recent = where_reads_go(RequestFactory().get("/"), **{COOKIE: f"{now + 5}"})
    assert recent[:2] == ("default", "default")
    for stale in (f"{now - 1}", f"{now + 3600}", "nonsense", ""):
        assert where_reads_go(RequestFactory().get("/"), **{COOKIE: stale})[:2] == (
            "replica",
            "replica",
        ), stale


def test_recently_wrote_honours_the_setting(settings):
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = "1005"
    settings.READ_YOUR_WRITES_SECONDS = 10
    assert recently_wrote(request, now=1000)
    assert not recently_wrote(request, now=1006)
    settings.READ_YOUR_WRITES_SECONDS = 2  # a cookie beyond the setting counts no longer
    assert not recently_wrote(request, now=1000)


@pytest.mark.django_db
def test_inside_a_transaction_reads_go_to_the_primary(replica):
    with reads_from_replica(), transaction.atomic():
        assert router.db_for_read(User) == "default"


def test_migrations_only_on_the_primary_and_relations_across_both():
    assert router.allow_migrate("default", "knowledge")
    assert not router.allow_migrate("replica", "knowledge")
    assert router.allow_relation(User(), User())


def test_the_request_state_does_not_leak_into_the_next_request(replica):
    where_reads_go(RequestFactory().post("/konto/"))
    assert router.db_for_read(User) == "default"  # back to no request at all
    assert where_reads_go(RequestFactory().get("/"))[:2] == ("replica", "replica")


def test_settings_add_the_replica_router_and_middleware_only_when_configured(settings):
    assert "hjulet.core.db_router.ReplicaRouter" not in getattr(settings, "DATABASE_ROUTERS", [])
    assert "hjulet.core.db_router.ReadYourWritesMiddleware" not in settings.MIDDLEWARE


def test_database_replica_url_adds_the_replica_the_router_and_the_middleware():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES['replica']; "
        "print(r['HOST'], r['PORT'], r['NAME'], r['TEST']['MIRROR'], s.DATABASE_ROUTERS[0], "
        "s.MIDDLEWARE[0], s.READ_YOUR_WRITES_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://hjulet@db1:5432/hjulet",
            "DATABASE_REPLICA_URL": "postgres://hjulet@db2:5433/hjulet",
            "READ_YOUR_WRITES_SECONDS": "5",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [
        "db2",
        "5433",
        "hjulet",
        "default",
        "hjulet.core.db_router.ReplicaRouter",
        "hjulet.core.db_router.ReadYourWritesMiddleware",
        "5",
    ], result.stderr
