"""Locust users for Hjulet's load test: anonymous visitors reading the public pages and API.

    .venv/bin/python -m locust -f benchmarks/locustfile.py --headless -u 16 -r 16 -t 60s \\
        --host http://127.0.0.1:8000

Normally started by ``benchmarks/load_test.py``, which also starts gunicorn, samples the
workers' memory and prints the verdicts. Before the users start, one unrecorded pass over the
API (``/api/v1/initiatives``, ``/methods``, vocabularies, counties) collects existing slugs,
facet codes and search words, so every detail page and filter asked for exists.

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
import re
import urllib.request
from urllib.parse import urlencode

from locust import HttpUser, between, constant, events, task

WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "3"))
SEED = int(os.environ.get("LOAD_SEED", "8"))
SAMPLE_PAGES = 3  # pages of 200 initiatives read at random offsets for slugs

OTHER_API_LISTS = [
    "/api/v1/organisations?limit=20",
    "/api/v1/support-structures?limit=20",
    "/api/v1/funding-calls?limit=20",
    "/api/v1/arenas?limit=20",
    "/api/v1/challenges?limit=20",
    "/api/v1/questions/summaries?limit=20",
    "/api/v1/geography/counties",
    "/api/v1/vocabularies/challenge/terms",
    "/api/v1/impact/totals",
]


class Sample:
    """What exists on the server, read once before the users start."""

    initiatives: list[str] = []
    methods: list[str] = []
    facets: dict[str, list[str]] = {}
    words: list[str] = []


def _get_json(host: str, path: str):
    with urllib.request.urlopen(host.rstrip("/") + path, timeout=60) as response:
        return json.load(response)


@events.test_start.add_listener
def collect_sample(environment, **kwargs) -> None:
    host = environment.host
    rng = random.Random(SEED)
    first = _get_json(host, "/api/v1/initiatives?limit=200")
    pages = [first]
    for _ in range(SAMPLE_PAGES - 1):
        if first["count"] > 200:
            offset = rng.randrange(0, first["count"] - 199)
            pages.append(_get_json(host, f"/api/v1/initiatives?limit=200&offset={offset}"))
    initiatives = [item for page in pages for item in page["items"]]
    Sample.initiatives = sorted({item["slug"] for item in initiatives})
    Sample.facets = {
        "challenge": [t["code"] for t in _get_json(host, "/api/v1/vocabularies/challenge/terms")],
        "target_group": [
            t["code"] for t in _get_json(host, "/api/v1/vocabularies/target-group/terms")
        ],
        "stage": [t["code"] for t in _get_json(host, "/api/v1/vocabularies/stage/terms")],
        "county": [c["code"] for c in _get_json(host, "/api/v1/geography/counties")],
    }
    words = {
        word.lower()
        for item in initiatives
        for word in re.findall(r"\w{5,}", item["title"] + " " + item["summary"])
        if not word.isdigit()
    }
    Sample.words = sorted(words)
    # Methods found by a few words, as a person would look for them.
    methods: set[str] = set()
    for word in rng.sample(Sample.words, min(10, len(Sample.words))):
        methods.update(
            m["slug"] for m in _get_json(host, f"/api/v1/methods?q={word}&limit=100")["items"]
        )
        if len(methods) >= 100:
            break
    Sample.methods = sorted(methods)
    if not Sample.initiatives or not Sample.methods:
        raise RuntimeError("The database has no initiatives or methods: fill it first.")


class Visitor(HttpUser):
    """An anonymous visitor: the home page, the knowledge bank, every other capability's list
    page and the open API, in roughly the proportions people browse them."""

    wait_time = constant(0) if WAIT_MAX <= 0 else between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.rng = random.Random()

    def _filters(self) -> dict[str, list[str]]:
        names = self.rng.sample(sorted(Sample.facets), self.rng.randint(1, 2))
        return {name: [self.rng.choice(Sample.facets[name])] for name in names}

    def _page(self, path: str, name: str) -> None:
        self.client.get(path, name=name)

    @task(8)
    def home(self) -> None:
        self._page("/", "home")

    @task(8)
    def initiative_list(self) -> None:
        page = self.rng.choice(["", "", "", "?page=2", "?sort=title"])
        self._page("/initiativ/" + page, "initiative list")

    @task(10)
    def initiative_list_filtered(self) -> None:
        self._page(
            "/initiativ/?" + urlencode(self._filters(), doseq=True), "initiative list filtered"
        )

    @task(8)
    def initiative_search(self) -> None:
        words = self.rng.sample(Sample.words, self.rng.randint(1, 2))
        self._page("/initiativ/?" + urlencode({"q": " ".join(words)}), "initiative search")

    @task(20)
    def initiative_detail(self) -> None:
        self._page(f"/initiativ/{self.rng.choice(Sample.initiatives)}/", "initiative detail")

    @task(2)
    def method_list(self) -> None:
        self._page("/metoder/", "method list")

    @task(8)
    def method_detail(self) -> None:
        self._page(f"/metoder/{self.rng.choice(Sample.methods)}/", "method detail")

    @task(3)
    def scienceshop(self) -> None:
        self._page(
            self.rng.choice(["/forskarverkstad/", "/forskarverkstad/kunskap/"]), "scienceshop"
        )

    @task(2)
    def surveys(self) -> None:
        self._page("/enkater/", "surveys")

    @task(3)
    def arenas(self) -> None:
        self._page("/arenor/", "arenas")

    @task(3)
    def challenges(self) -> None:
        self._page("/utmaningar/", "challenges")

    @task(3)
    def support_directory(self) -> None:
        self._page("/stod/", "support directory")

    @task(3)
    def funding_calls(self) -> None:
        self._page("/utlysningar/", "funding calls")

    @task(3)
    def impact_totals(self) -> None:
        self._page("/effekt/", "impact totals")

    @task(4)
    def api_initiatives(self) -> None:
        offset = self.rng.randrange(0, 200)
        self._page(f"/api/v1/initiatives?limit=20&offset={offset}", "api initiatives")

    @task(3)
    def api_initiatives_filtered(self) -> None:
        query = self._filters()
        if self.rng.random() < 0.5:
            query["q"] = [self.rng.choice(Sample.words)]
        self._page(
            "/api/v1/initiatives?limit=20&" + urlencode(query, doseq=True),
            "api initiatives filtered",
        )

    @task(2)
    def api_methods(self) -> None:
        # A search: the unfiltered list is every method in one response (no pagination).
        self._page(f"/api/v1/methods?q={self.rng.choice(Sample.words)}", "api methods")

    @task(4)
    def api_other_lists(self) -> None:
        self._page(self.rng.choice(OTHER_API_LISTS), "api other lists")
