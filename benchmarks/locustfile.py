"""Locust users for Hjulet's load test: anonymous visitors reading the public pages and API.

    .venv/bin/python -m locust -f benchmarks/locustfile.py --headless -u 16 -r 16 -t 60s \\
        --host http://127.0.0.1:8000

Normally started by ``benchmarks/load_test.py``, which also starts gunicorn, samples the
workers' memory and prints the verdicts. Before the users start, one unrecorded pass over the
API collects existing slugs, facet codes and search words (``visitor_mix.collect_sample``);
each request is then drawn from ``visitor_mix.VisitorMix``, the same mix that
``mix_profile.py`` profiles in one process.

Each visitor waits a think time between requests, uniformly ``LOAD_WAIT_MIN`` to
``LOAD_WAIT_MAX`` seconds (default 1–3 s: a brisk reader; people usually read longer). With
both at 0 the users form a closed loop with no pause: a saturation test, not a visitor load.

Requests are named by page group (the ``name=`` of each request), so locust's statistics
give p50/p95/p99 per group. The issue's target for list and detail pages (p95 ≤ 100 ms at 16
users) applies to every group but "home" and the "api …" groups (see ``load_test.py``).
"""

import json
import os
import random
import sys
import urllib.request
from pathlib import Path

from locust import HttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

from visitor_mix import Sample, VisitorMix, collect_sample

WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "3"))
SEED = int(os.environ.get("LOAD_SEED", "8"))


class Server:
    sample = Sample()


@events.test_start.add_listener
def read_sample(environment, **kwargs) -> None:
    def get_json(path: str):
        with urllib.request.urlopen(environment.host.rstrip("/") + path, timeout=60) as response:
            return json.load(response)

    Server.sample = collect_sample(get_json, SEED)


class Visitor(HttpUser):
    wait_time = constant(0) if WAIT_MAX <= 0 else between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.mix = VisitorMix(Server.sample, random.Random())

    @task
    def visit(self) -> None:
        name, path = self.mix.choose()
        self.client.get(path, name=name)
