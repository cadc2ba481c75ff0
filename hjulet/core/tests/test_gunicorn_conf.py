"""config/gunicorn.conf.py's hook: the preloaded app is frozen out of the garbage
collector's reach before each worker is forked (tail latency, shared memory)."""

import gc
import importlib.util

from django.conf import settings


def test_each_fork_freezes_what_the_master_has_loaded():
    path = settings.BASE_DIR / "config" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        conf.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 10_000  # Django and the app, not a handful
    finally:
        gc.unfreeze()
