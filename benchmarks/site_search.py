"""The site-wide search (/sok/ and GET /api/v1/search) against the bare engine's
``search()`` in the same run.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/site_search.py \\
        [--initiatives 100000] [--queries 100] [--database-url postgres://…/hjulet_bench]

Fills (or reuses) a database with ``generate.py`` at the scale that gives N initiatives
(every kind the generator makes is indexed by ``registry.rebuild_all()``), then times, for
the same one-to-three-word queries as ``knowledge_bank.py``:

- the API ``/api/v1/search?q=…`` and the page ``/sok/?q=…`` through Django's test client
  (DEBUG off), and ``site_search.find()`` alone, each against
- the bare engine: ``search.search(q, kinds=<every registered kind>, limit=1000)`` with the
  HTML of the first 20 hits read, which is the engine's share of every one of our calls.

The difference is what the site-wide search adds: which hits the person may see (one query
per kind found), counts per kind, urls, titles and context lines for the page of 20 (one
query per kind on the page), and the template or JSON. Targets: p95 ≤ 50 ms and ≤ 2× the
bare engine. ``benchmark()`` returns the rows for ``run_all.py``.
"""

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import MAX_RATIO, SEARCH_P95_MS, Row, log, measure, print_table
from generate import FULL, default_sqlite_url, fill, setup
from search_engine import SEED, TextGenerator, percentile

QUERY_SEED = SEED + 1  # the knowledge bank benchmark's queries


def benchmark(*, queries: int = 100, rounds: int = 2) -> list[Row]:
    """Time the rows on the filled database Django is set up for; return them."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from hjulet.core import search, site_search
    from hjulet.core.search import registry

    generator = TextGenerator(QUERY_SEED)
    texts = [generator.query() for _ in range(queries)]
    kinds = [kind.code for kind in registry.kinds()]
    client = Client()
    anonymous = AnonymousUser()

    def get(path: str, query: str) -> None:
        response = client.get(path, {"q": query})
        if response.status_code != 200:
            raise RuntimeError(f"{path}?q={query}: HTTP {response.status_code}")

    def finder(query: str) -> int:
        found = site_search.find(query, user=anonymous)
        for result in found.results:
            result.snippet_html  # noqa: B018
        return found.total_all

    def engine(query: str) -> int:
        hits = search.search(query, kinds=kinds, limit=site_search.MAX_HITS)
        for hit in hits[: site_search.PER_PAGE]:
            hit.title_html, hit.snippet_html  # noqa: B018
        return len(hits)

    log(f"Site-wide search: {queries} queries over {len(kinds)} kinds, {rounds} rounds")
    bares = [partial(engine, q) for q in texts]

    def row(label: str, call: Callable, **extra: Any) -> Row:
        """``call`` with each query text, against the engine's search of the same text."""
        return measure(
            label,
            [partial(call, q) for q in texts],
            bares,
            target=SEARCH_P95_MS,
            max_ratio=MAX_RATIO,
            rounds=rounds,
            **extra,
        )

    rows = [
        row(
            "site search: API /api/v1/search?q=",
            partial(get, "/api/v1/search"),
            note="bare: the engine's search() over every kind, 20 hits' HTML",
        ),
        row("site search: page /sok/?q=", partial(get, "/sok/")),
        row("site search: site_search.find()", finder),
    ]
    totals = [finder(q) for q in texts]
    rows[1].note = (
        f"hits per query over every kind: median {percentile(totals, 0.5):,}, "
        f"p95 {percentile(totals, 0.95):,}"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=FULL["initiatives"])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument("--refill", action="store_true")
    arguments = parser.parse_args()
    setup(arguments.database_url)
    counts = fill(arguments.initiatives / FULL["initiatives"], arguments.refill)
    log(f"Data: {counts}")
    print_table(
        f"site-wide search, {counts.get('initiatives', 0):,} initiatives",
        benchmark(queries=arguments.queries, rounds=arguments.rounds),
    )


if __name__ == "__main__":
    main()
