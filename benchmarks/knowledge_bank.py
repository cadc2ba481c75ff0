"""End-to-end benchmark of the knowledge bank's search, against the bare database queries.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/knowledge_bank.py \\
        --initiatives 100000 [--database-url postgres://postgres@127.0.0.1:5432/hjulet_kb_bench]

Fills a scratch database (default: a SQLite file in the temp folder; for PostgreSQL the
database is created when missing) with ``generate.py``, the generator for every capability,
at the scale that gives N initiatives (100,000 is scale 1: 10,000 organisations, 1,000
methods, 50,000 adaptations and the other capabilities' data besides). A filled database
is reused when its counts match (``--refill`` forces a refill). ``benchmark()`` returns the
rows for ``run_all.py``.

Then it times, in one run and interleaved with the bare query each is compared with, what a
person or an API client gets (settings.DEBUG off, as in production):

- the list page ``/initiativ/?q=…`` (search, filters, facets, template) and the API
  ``/api/v1/initiatives?q=…&limit=20``, through Django's test client, and the selector
  ``search_initiatives()`` with the HTML of the 20 hits shown, for ~200 queries of one to
  three words, against the bare ranked full-text query for the same analysed terms (FTS5
  MATCH … ORDER BY bm25 LIMIT 20, or tsquery … ORDER BY ts_rank_cd LIMIT 20);
- ``similar_entries()`` and the "finns det redan?" panel ``/initiativ/liknande/?title=…``
  for ~100 texts, against the bare ranked OR query for the text's distinctive terms;
- the filtered list page ``/initiativ/?county=…&challenge=…`` (no text) against the bare
  SQL for its first page, and the detail page ``/initiativ/<slug>/`` against a bare
  primary-key SELECT.

It prints p50/p95 of each, the ratio of the p95s and whether the issue's targets hold:
search p95 ≤ 50 ms and similar p95 ≤ 100 ms, each within 2× of its bare query. The bare
queries run on a connection of their own that stays open (the engine at its best); Django's
own connection follows the settings (persistent, DB_CONN_MAX_AGE).

``--profile LABEL`` runs the calls of one row under cProfile instead and prints where the
time goes, with every SQL statement's share. Not part of the tests.
"""

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The engine benchmark's generator and helpers, reused.
from common import (
    MAX_RATIO,
    PAGE_P95_MS,
    SEARCH_P95_MS,
    SIMILAR_P95_MS,
    BareConnection,
    Row,
    log,
    measure,
    print_table,
)
from generate import FULL, default_sqlite_url, fill, setup
from search_engine import SEED, TextGenerator, percentile, timed

QUERY_SEED = SEED + 1  # as the engine benchmark: the same queries and similar() texts

# Pages outside the targets, timed a few times with --spot-checks.
SPOT_CHECKS = ["/initiativ/", "/"]


# --- measuring --------------------------------------------------------------------------


class Case:
    """One row of the table: our calls and the bare calls they are compared with."""

    def __init__(self, label: str, ours: list, bares: list, target: float | None) -> None:
        self.label, self.ours, self.bares, self.target = label, ours, bares, target
        # Issue 3's "within 2x of the bare query" holds for search and similar; a whole page
        # against a one-row SELECT is reported as a ratio without a target.
        self.max_ratio = MAX_RATIO if label.startswith(("search", "similar")) else None


class SQLTimer:
    """A connection execute wrapper adding up the time of each kind of statement."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)

    @staticmethod
    def _shape(sql: str) -> str:
        sql = re.sub(r"(%s|\?)(\s*,\s*(%s|\?))+", "…", sql)
        return re.sub(r"\s+", " ", sql).strip()

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times[self._shape(sql)].append((time.perf_counter() - start) * 1000)


# Functions whose inclusive time the profile reports without a profiler's overhead:
# (module, attribute) as the callers look them up.
BREAKDOWN = [
    ("hjulet.knowledge.selectors", "search_initiatives"),
    ("hjulet.core.search", "search"),
    ("hjulet.knowledge.selectors", "filter_initiatives"),
    ("hjulet.knowledge.selectors", "facet_counts"),
    ("hjulet.knowledge.selectors", "initiatives_by_ids"),
    ("hjulet.knowledge.selectors", "similar_entries"),
    ("hjulet.core.search", "similar"),
    ("hjulet.knowledge.selectors", "initiative_detail_query"),
    ("hjulet.knowledge.selectors", "history"),
    ("hjulet.knowledge.views", "completeness"),
    ("hjulet.knowledge.views", "render"),
]


def breakdown(calls: list) -> None:
    """Inclusive time of the BREAKDOWN functions per call of the row (nested ones overlap)."""
    import importlib

    times: dict[str, list[float]] = defaultdict(list)
    originals = []

    def wrapped(name: str, function):
        def timed_function(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                times[name].append((time.perf_counter() - start) * 1000)

        return timed_function

    for module_name, attribute in BREAKDOWN:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)
        originals.append((module, attribute, original))
        setattr(module, attribute, wrapped(f"{module_name}.{attribute}", original))
    try:
        whole = [timed(function)[0] for function in calls]
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)
    print("Time per call of the row (no profiler; nested functions overlap):\n")
    times["whole call"] = whole
    for name, spent in sorted(times.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {name:<52} {sum(spent) / len(calls):7.1f} ms  p95 {percentile(spent, 0.95):7.1f} ms"
            f"  ({len(spent) / len(calls):.0f}× a call)"
        )
    print()


def profile(case: Case, limit: int) -> None:
    import cProfile
    import io
    import pstats

    from django.db import connection

    calls = case.ours
    for function in calls:  # warm the caches
        function()
    print(f"\n=== {case.label} ===\n")
    breakdown(calls)
    timer = SQLTimer()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        profiler.enable()
        for function in calls:
            function()
        profiler.disable()
    total = (time.perf_counter() - started) * 1000
    print(f"cProfile of {len(calls)} calls: {total / len(calls):.1f} ms a call with the profiler\n")
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    print(output.getvalue())
    print("SQL statements (time inside cursor.execute; on SQLite the rows fetched later are not")
    print("in it), by total time, per call of the row:\n")
    ranked = sorted(timer.times.items(), key=lambda item: -sum(item[1]))
    statements = sum(sum(times) for _sql, times in ranked)
    print(f"  all statements: {statements / len(calls):7.2f} ms a call\n")
    for sql, times in ranked[:limit]:
        print(
            f"  {sum(times) / len(calls):7.2f} ms  {len(times) / len(calls):5.1f}×  "
            f"p95 {percentile(times, 0.95):6.2f} ms  {sql[:300]}"
        )


def build_cases(
    *, queries: int = 200, similar: int = 100, pages: int = 100
) -> tuple[list[Case], BareConnection]:
    """The rows' calls, ours and bare, on a filled database (Django set up)."""
    from django.db import connection
    from django.test import Client

    from hjulet.core.models import County, Term, Vocabulary
    from hjulet.core.search import _backend, distinctive_terms, query_terms
    from hjulet.knowledge import selectors
    from hjulet.knowledge.models import Initiative

    connection.ensure_connection()
    backend = _backend()
    # The bare queries get a connection of their own, never closed between requests.
    bare_connection = BareConnection()
    bare = bare_connection.rows

    def bare_search(terms: list[str]) -> int:
        return bare(*backend.bare_query(terms, require_all=True, limit=20)) if terms else 0

    def bare_similar(terms: list[str]) -> int:
        # similar_entries() asks similar() for twice the 5 entries it shows.
        return bare(*backend.bare_query(terms, require_all=False, limit=10)) if terms else 0

    generator = TextGenerator(QUERY_SEED)
    query_texts = [generator.query() for _ in range(queries)]
    texts = [
        " ".join(generator.document())[: generator.random.randint(60, 200)] for _ in range(similar)
    ]
    rng = random.Random(QUERY_SEED)
    client = Client()

    def page(path: str, params: dict | None = None) -> None:
        response = client.get(path, params or {})
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params}: HTTP {response.status_code}")

    def list_page(query: str) -> None:
        page("/initiativ/", {"q": query})

    def api(query: str) -> None:
        page("/api/v1/initiatives", {"q": query, "limit": 20})

    def selector(query: str) -> int:
        results = selectors.search_initiatives(selectors.InitiativeFilters(q=query))
        for pk in results.ids[:20]:  # the HTML a page of 20 shows
            hit = results.hits[pk]
            hit.title_html, hit.snippet_html  # noqa: B018
        return results.total

    def similar_selector(text: str) -> int:
        found = selectors.similar_entries(text)
        return sum(len(entries) for entries in found.values())

    def similar_panel(text: str) -> None:
        page("/initiativ/liknande/", {"title": text})

    search_terms = [query_terms(query) for query in query_texts]
    similar_terms = [distinctive_terms(text) for text in texts]

    # Filtered lists without text: one county and one challenge, newest first. The first is
    # the example; the others are drawn from every county and challenge.
    challenges = dict(Term.objects.in_vocabulary(Vocabulary.CHALLENGE).values_list("code", "pk"))
    counties = list(County.objects.order_by("code").values_list("code", flat=True))
    filters = [("24", "integration")] + [
        (rng.choice(counties), rng.choice(sorted(challenges))) for _ in range(pages - 1)
    ]
    table = connection.ops.quote_name
    filtered_sql = (
        f"SELECT i.* FROM {table(Initiative._meta.db_table)} i "
        "JOIN core_municipality m ON m.code = i.municipality_id "
        "WHERE m.county_id = %s AND EXISTS (SELECT 1 FROM "
        f"{table(Initiative.challenges.through._meta.db_table)} c "
        "WHERE c.initiative_id = i.id AND c.term_id = %s) "
        "ORDER BY i.created_at DESC, i.id DESC LIMIT 20"
    )
    detail_sql = f"SELECT * FROM {table(Initiative._meta.db_table)} WHERE id = %s"
    last = Initiative.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    details = list(
        Initiative.objects.filter(
            pk__in=sorted({rng.randint(1, last) for _ in range(pages)})
        ).values_list("pk", "slug")
    )
    search_bares = [partial(bare_search, t) for t in search_terms]
    similar_bares = [partial(bare_similar, t) for t in similar_terms]

    def search_row(label: str, call: Callable) -> Case:
        """``call`` with each query text, against the bare search of its terms."""
        return Case(label, [partial(call, q) for q in query_texts], search_bares, SEARCH_P95_MS)

    def similar_row(label: str, call: Callable) -> Case:
        """``call`` with each text, against the bare search of its distinctive terms."""
        return Case(label, [partial(call, text) for text in texts], similar_bares, SIMILAR_P95_MS)

    cases = [
        search_row("search: list page /initiativ/?q=", list_page),
        search_row("search: API /api/v1/initiatives?q=", api),
        search_row("search: selector", selector),
        similar_row("similar: similar_entries()", similar_selector),
        similar_row("similar: panel /initiativ/liknande/", similar_panel),
        Case(
            "filtered list page (county + challenge)",
            [partial(page, "/initiativ/", {"county": c, "challenge": ch}) for c, ch in filters],
            [partial(bare, filtered_sql, [c, challenges[ch]]) for c, ch in filters],
            PAGE_P95_MS,
        ),
        Case(
            "detail page /initiativ/<slug>/",
            [partial(page, f"/initiativ/{slug}/") for _pk, slug in details],
            [partial(bare, detail_sql, [pk]) for pk, _slug in details],
            PAGE_P95_MS,
        ),
    ]
    return cases, bare_connection


def benchmark(
    *, queries: int = 200, similar: int = 100, pages: int = 100, rounds: int = 2
) -> list[Row]:
    """Time every row on the filled database Django is set up for; return the rows."""
    from hjulet.knowledge import selectors

    cases, bare_connection = build_cases(queries=queries, similar=similar, pages=pages)
    log(
        f"Knowledge bank: {queries} queries, {similar} similar texts, {pages} filtered lists "
        f"and detail pages, {rounds} rounds"
    )
    rows = [
        measure(
            case.label,
            case.ours,
            case.bares,
            target=case.target,
            max_ratio=case.max_ratio,
            rounds=rounds,
            before_bare=bare_connection.connection.ensure_connection,
        )
        for case in cases
    ]
    generator = TextGenerator(QUERY_SEED)
    totals = [
        selectors.search_initiatives(selectors.InitiativeFilters(q=generator.query())).total
        for _ in range(queries)
    ]
    rows[
        0
    ].note = f"hits per query: median {percentile(totals, 0.5):,}, p95 {percentile(totals, 0.95):,}"
    bare_connection.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=FULL["initiatives"])
    parser.add_argument(
        "--database-url",
        default=default_sqlite_url(),
        help="a scratch database: everything but the reference data is replaced",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--similar", type=int, default=100)
    parser.add_argument(
        "--pages", type=int, default=100, help="filtered lists and detail pages timed"
    )
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over the calls")
    parser.add_argument(
        "--spot-checks",
        action="store_true",
        help="also time the unfiltered list page and the start page (slow: minutes on SQLite)",
    )
    parser.add_argument("--refill", action="store_true", help="refill even if already filled")
    parser.add_argument(
        "--profile", metavar="LABEL", help="profile the rows whose label contains LABEL instead"
    )
    parser.add_argument("--profile-lines", type=int, default=30)
    arguments = parser.parse_args()
    setup(arguments.database_url)
    fill(arguments.initiatives / FULL["initiatives"], arguments.refill)
    from django.db import connection

    if arguments.profile:
        cases, _bare = build_cases(
            queries=arguments.queries, similar=arguments.similar, pages=arguments.pages
        )
        chosen = [case for case in cases if arguments.profile in case.label]
        if not chosen:
            raise SystemExit(f"No row matches {arguments.profile!r}.")
        for case in chosen:
            profile(case, arguments.profile_lines)
        return
    rows = benchmark(
        queries=arguments.queries,
        similar=arguments.similar,
        pages=arguments.pages,
        rounds=arguments.rounds,
    )
    print_table(f"{connection.vendor}, {arguments.initiatives:,} initiatives", rows)
    print(
        "Bare: search rows → the ranked full-text query for the query's analysed terms, LIMIT 20;"
        "\nsimilar rows → the ranked OR query for the text's distinctive terms, LIMIT 10;"
        "\nfiltered list → SQL for its first 20 rows; detail → SELECT by primary key."
    )
    if arguments.spot_checks:
        from django.test import Client

        client = Client()
        print("\nSpot checks (pages without a target; each timed twice after one warm-up call):")
        for path in SPOT_CHECKS:
            client.get(path)
            spent = [timed(client.get, path)[0] for _ in range(2)]
            print(f"  {path:<26} " + ", ".join(f"{ms:,.0f} ms" for ms in spent), flush=True)


if __name__ == "__main__":
    main()
