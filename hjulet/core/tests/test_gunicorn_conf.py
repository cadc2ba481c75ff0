"""config/gunicorn.conf.py's hook: the preloaded app is frozen out of the garbage
collector's reach before each worker is forked (tail latency, shared memory)."""

import gc

import pytest
from django.db import connection

from .gunicorn_conf import load_gunicorn_conf


def test_each_fork_freezes_what_the_master_has_loaded():
    conf = load_gunicorn_conf()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        conf.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 10_000  # Django and the app, not a handful
    finally:
        gc.unfreeze()


@pytest.mark.django_db(transaction=True)
def test_the_master_s_database_connection_is_closed_before_a_fork():
    if connection.vendor == "sqlite":
        pytest.skip("Django never closes the in-memory SQLite test database; PostgreSQL shows it")
    connection.ensure_connection()
    assert connection.connection is not None
    try:
        load_gunicorn_conf().pre_fork(server=None, worker=None)
        assert connection.connection is None  # each worker opens its own
    finally:
        gc.unfreeze()
