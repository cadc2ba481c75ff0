"""Benchmark of the search index (hjulet.core.search) against the bare database queries.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/search_engine.py \
        --documents 100000 [--database-url postgres://postgres@127.0.0.1:5432/hjulet_search_bench]

Fills a scratch database (default: a SQLite file in the temp folder; for PostgreSQL the
database is created when missing) with deterministic Swedish-like documents: a title of about
8 words and a body of about 150, drawn from some 3,600 word forms (inflections of Swedish
nouns, verbs and adjectives, and compounds such as "fritidsbanken"; see swedish_text.py). A
filled database is reused when it holds as many documents (``--refill`` forces a refill).

Then it times, in one run and interleaved, ``search()`` for 200 queries of one to three
words and ``similar()`` for 100 title-and-summary texts, each against the bare ranked query
the database would run for the same analysed terms (FTS5 MATCH … ORDER BY bm25, or
tsquery … ORDER BY ts_rank_cd), and prints p50/p95 and their ratio. Hits build their HTML
when read, so each row says how many hits' HTML is read: all of them, or the 20 a results
page shows. Runs with DEBUG off, as in production. Not part of the tests.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from swedish_text import SEED, TextGenerator

KIND = "bench"

# --- measuring --------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def prepare_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url


def fill(count: int, refill: bool) -> None:
    from django.db import connection

    from hjulet.core.search import rebuild

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_search_document WHERE kind = %s", [KIND])
        present = cursor.fetchone()[0]
    if present == count and not refill:
        print(f"Reusing the {count:,} documents already in the database.")
        return
    generator = TextGenerator(SEED)
    print(f"Filling the database with {count:,} documents …", flush=True)
    started = time.perf_counter()
    indexed = rebuild(KIND, ((pk, *generator.document()) for pk in range(1, count + 1)))
    print(f"  {indexed:,} documents in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE core_search_document")
            cursor.execute("VACUUM ANALYZE core_search_term")
    else:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")


def run(arguments) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: DEBUG would log every query, which costs more than some queries.
    settings.DEBUG = False
    from django.db import connection

    from hjulet.core import search
    from hjulet.core.search import _backend, distinctive_terms, query_terms, similar

    call_command("migrate", verbosity=0)
    fill(arguments.documents, arguments.refill)
    connection.ensure_connection()
    backend = _backend()
    generator = TextGenerator(SEED + 1)
    queries = [generator.query() for _ in range(arguments.queries)]
    texts = [
        " ".join(generator.document())[: generator.random.randint(60, 200)]
        for _ in range(arguments.similar)
    ]

    def bare(sql_and_params) -> int:
        sql, params = sql_and_params
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    def rendered(hits: list, count: int | None) -> list:
        # Hits build their HTML when it is read: read it, as a results page would.
        for hit in hits[:count]:
            hit.title_html, hit.snippet_html  # noqa: B018
        return hits

    def search_rendered(query: str, limit: int, shown: int | None) -> list:
        return rendered(search.search(query, limit=limit), shown)

    def similar_rendered(text: str) -> list:
        return rendered(similar(text), None)

    def bare_search(terms: list[str], limit: int) -> int:
        return bare(backend.bare_query(terms, require_all=True, limit=limit))

    def bare_similar(terms: list[str]) -> int:
        return bare(backend.bare_query(terms, require_all=False, limit=5)) if terms else 0

    cases = []  # (label, ours, bare)
    for limit, shown, label in [
        (20, None, "search(limit=20)"),
        (1000, 20, "search(1000), 20 shown"),
        (1000, None, "search(1000), all shown"),
    ]:
        cases.append(
            (
                label,
                [partial(search_rendered, query, limit, shown) for query in queries],
                [partial(bare_search, query_terms(query), limit) for query in queries],
            )
        )
    cases.append(
        (
            "similar(limit=5)",
            [partial(similar_rendered, text) for text in texts],
            [partial(bare_similar, distinctive_terms(text)) for text in texts],
        )
    )

    print(
        f"\n{connection.vendor}, {arguments.documents:,} documents, "
        f"{len(queries)} queries, {len(texts)} similar() texts, {arguments.rounds} timed rounds\n"
    )
    columns = ["ours p50", "ours p95", "bare p50", "bare p95"]
    header = f"{'call':<24} " + " ".join(f"{name:>9}" for name in columns)
    header += f" {'p50 ×':>6} {'p95 ×':>6} {'hits':>6}"
    print(header)
    print("-" * len(header))
    for label, ours, bares in cases:
        for function in ours + bares:  # warm the caches
            function()
        our_times, bare_times, hit_counts = [], [], []
        for _ in range(arguments.rounds):
            for mine, theirs in zip(ours, bares, strict=True):
                elapsed, hits = timed(mine)
                our_times.append(elapsed)
                hit_counts.append(len(hits))
                bare_times.append(timed(theirs)[0])
        ours50, ours95 = percentile(our_times, 0.5), percentile(our_times, 0.95)
        bare50, bare95 = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
        print(
            f"{label:<24} {ours50:>7.1f}ms {ours95:>7.1f}ms {bare50:>7.1f}ms {bare95:>7.1f}ms "
            f"{ours50 / bare50:>6.1f} {ours95 / bare95:>6.1f} {statistics.mean(hit_counts):>6.0f}"
        )
    print("\nhits: mean number of hits returned by our call.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'hjulet-search-benchmark.sqlite3'}",
        help="a scratch database: its search index is replaced",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--similar", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--refill", action="store_true", help="refill even if already filled")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    prepare_database(arguments.database_url)
    run(arguments)


if __name__ == "__main__":
    main()
