"""gunicorn settings for Hjulet: ``gunicorn config.wsgi -c config/gunicorn.conf.py``.

Measured with ``benchmarks/load_test.py`` (docs/benchmarks.md, "Under load"); see
docs/deploy.md for the choice of worker count and the memory each worker takes.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: one request at a time each. A worker waits for PostgreSQL part of the time, so
# a few more workers than cores keep the cores busy: 2 × cores + 1 (5 on 2 cores) unless
# WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Django, the URLconf and every view (NumPy, SciPy, pyarrow …) are imported once in the
# master and shared by the forked workers: faster start, and a busy machine cannot time a
# worker out while it imports on its first request.
preload_app = True
timeout = 60
graceful_timeout = 20
# A worker is replaced after this many requests (± jitter, so they do not all restart at
# once): bounds the memory any slow growth in a long-lived process can take.
max_requests = 2000
max_requests_jitter = 200


def when_ready(server):
    """Once in the master, after the app is loaded and before the first worker is forked:
    what each worker would otherwise do on its first requests (URL tables, templates, the
    search's lexicon, the facet index …; hjulet/site/warm.py)."""
    from hjulet.site.warm import warm_up

    warm_up()


def pre_fork(server, worker):
    """Before each worker is forked from the preloaded master: ``gc.freeze()`` moves every
    object the app has made so far (modules, URL patterns, templates …) out of the
    collector's reach. The worker's full collections then scan only what its requests made,
    not the whole app on each pass, and do not write to the shared pages they would copy.
    Any database connection the master opened is closed first: connections persist
    (``DB_CONN_MAX_AGE``), and a forked worker must open its own, never share the master's."""
    from django.db import connections

    connections.close_all()
    gc.collect()
    gc.freeze()
