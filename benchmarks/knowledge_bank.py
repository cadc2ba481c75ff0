"""End-to-end benchmark of the knowledge bank's search, against the bare database queries.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/knowledge_bank.py \\
        --initiatives 100000 [--database-url postgres://postgres@127.0.0.1:5432/hjulet_kb_bench]

Fills a scratch database (default: a SQLite file in the temp folder; for PostgreSQL the
database is created when missing) deterministically: the reference data (counties,
municipalities, vocabularies), some 2,000 organisations, 1,000 methods and N initiatives
with Swedish-like titles, summaries and descriptions (``TextGenerator`` from
``search_engine.py``) spread over all 290 municipalities and the stages, each with one to
three challenges, target groups and goals, zero to two methods and one lead organisation.
Rows are written with ``bulk_create`` (the services would take hours for 100,000
initiatives), then the search index is rebuilt with ``indexing.rebuild_all()`` and the
planner statistics refreshed. A filled database is reused when its counts match
(``--refill`` forces a refill).

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
own connection follows the settings (on SQLite a new one per request, CONN_MAX_AGE = 0).

``--profile LABEL`` runs the calls of one row under cProfile instead and prints where the
time goes, with every SQL statement's share. Not part of the tests.
"""

import argparse
import datetime
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The engine benchmark's generator and helpers, reused.
from search_engine import (
    SEED,
    TextGenerator,
    percentile,
    prepare_database,
    timed,
)

FILL_SEED = SEED + 7
QUERY_SEED = SEED + 1  # as the engine benchmark: the same queries and similar() texts
ORGANISATIONS = 2000
METHODS = 1000
BATCH = 2000  # initiatives written per transaction
START = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=6 * 365)  # creation times spread over six years

# Pages outside the targets, timed a few times with --spot-checks.
SPOT_CHECKS = ["/initiativ/", "/"]

SEARCH_P95_MS = 50.0
SIMILAR_P95_MS = 100.0
MAX_RATIO = 2.0

STAGE_WEIGHTS = {"ide": 15, "test": 20, "etablerad": 40, "spridd": 10, "avslutad": 15}
SECTOR_WEIGHTS = {"ideburen": 60, "offentlig": 25, "privat": 10, "akademi": 5}
ORGANISATION_KINDS = [
    "förening",
    "ideell förening",
    "idrottsförening",
    "hembygdsförening",
    "stiftelse",
    "kooperativ",
    "kommun",
    "AB",
    "studieförbund",
    "nätverk",
]


# --- filling ----------------------------------------------------------------------------


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _some(rng: random.Random, items: list, low: int, high: int) -> list:
    return rng.sample(items, rng.randint(low, high))


def _counts() -> dict[str, int]:
    from django.db import connection

    from hjulet.accounts.models import Organisation
    from hjulet.knowledge.models import Initiative, Method

    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*) FROM core_search_document GROUP BY kind")
        indexed = dict(cursor.fetchall())
    return {
        "organisations": Organisation.objects.count(),
        "methods": Method.objects.count(),
        "initiatives": Initiative.objects.count(),
        "indexed methods": indexed.get("method", 0),
        "indexed initiatives": indexed.get("initiative", 0),
    }


def _empty() -> None:
    """Remove what an earlier fill wrote (a scratch database: nothing else is kept)."""
    from django.db import connection, transaction

    from hjulet.accounts.models import Organisation
    from hjulet.knowledge.models import Adaptation, ImportBatch, Initiative, Method, Partnership

    models = [
        Adaptation,
        Partnership,
        Initiative.challenges.through,
        Initiative.target_groups.through,
        Initiative.sdgs.through,
        Initiative.methods.through,
        Initiative,
        Method.challenges.through,
        Method.target_groups.through,
        Method.sdgs.through,
        Method.organisations.through,
        Method,
        ImportBatch,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        # Organisations that people joined (none in a scratch database) are kept by PROTECT.
        Organisation.objects.filter(memberships__isnull=True).delete()


def fill(count: int, refill: bool) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils.text import slugify

    from hjulet.accounts.models import Organisation
    from hjulet.core.models import Municipality, Term, Vocabulary
    from hjulet.core.reference_data import load_geography, load_vocabularies
    from hjulet.knowledge import indexing
    from hjulet.knowledge.models import Initiative, Method, PartnerRole, Partnership

    wanted = {
        "organisations": ORGANISATIONS,
        "methods": METHODS,
        "initiatives": count,
        "indexed methods": METHODS,
        "indexed initiatives": count,
    }
    present = _counts()
    if present == wanted and not refill:
        print(f"Reusing the {count:,} initiatives already in the database.")
        return
    print(f"Filling the database with {count:,} initiatives …", flush=True)
    started = time.perf_counter()
    _empty()
    load_geography(with_boundaries=False)
    load_vocabularies()
    rng = random.Random(FILL_SEED)
    generator = TextGenerator(FILL_SEED)
    municipalities = list(Municipality.objects.order_by("code"))
    municipality_codes = [m.code for m in municipalities]
    terms = {
        slug: list(Term.objects.in_vocabulary(slug).order_by("position").values_list("code", "pk"))
        for slug in (
            Vocabulary.CHALLENGE,
            Vocabulary.TARGET_GROUP,
            Vocabulary.SDG,
            Vocabulary.STAGE,
            Vocabulary.SECTOR,
        )
    }
    tag_ids = {
        "challenges": [pk for _code, pk in terms[Vocabulary.CHALLENGE]],
        "target_groups": [pk for _code, pk in terms[Vocabulary.TARGET_GROUP]],
        "sdgs": [pk for _code, pk in terms[Vocabulary.SDG]],
    }
    stage_ids, stage_weights = zip(
        *[(pk, STAGE_WEIGHTS.get(code, 10)) for code, pk in terms[Vocabulary.STAGE]],
        strict=True,
    )
    sector_ids, sector_weights = zip(
        *[(pk, SECTOR_WEIGHTS.get(code, 10)) for code, pk in terms[Vocabulary.SECTOR]],
        strict=True,
    )

    def created(index: int, total: int) -> datetime.datetime:
        # Later rows are newer, as in a real database; no two share a time.
        return START + SPAN * (index / total) + datetime.timedelta(seconds=rng.random())

    def write_tags(model, owner: str, owner_id: int, rows: dict[str, list]) -> None:
        for field, ids in tag_ids.items():
            through = getattr(model, field).through
            for term_id in _some(rng, ids, 1, 3):
                rows[field].append(through(**{f"{owner}_id": owner_id, "term_id": term_id}))

    def save(rows: dict[str, list], models: dict[str, type]) -> None:
        for name, objects in rows.items():
            models[name].objects.bulk_create(objects, batch_size=1000)

    # Organisations.
    organisations = []
    for pk in range(1, ORGANISATIONS + 1):
        municipality = rng.choice(municipalities)
        words = generator.content_words(rng.randint(1, 2))
        kind = rng.choice(ORGANISATION_KINDS)
        name = f"{_capitalised(' '.join(words))} {kind} {municipality.name}"
        organisations.append(
            Organisation(
                pk=pk,
                name=name[:200],
                slug=f"{slugify(name)[:200]}-{pk}",
                sector_id=rng.choices(sector_ids, weights=sector_weights)[0],
                municipality=municipality,
                description=generator.text(rng.randint(10, 30), words) + ".",
                created_at=created(pk, ORGANISATIONS),
            )
        )
    with transaction.atomic():
        Organisation.objects.bulk_create(organisations, batch_size=1000)
    organisation_ids = [o.pk for o in organisations]

    # Methods.
    method_rows: dict[str, list] = defaultdict(list)
    for pk in range(1, METHODS + 1):
        topics = generator.content_words(3)
        title = generator.text(rng.randint(2, 6), topics)
        method_rows["method"].append(
            Method(
                pk=pk,
                title=title[:200],
                slug=f"{slugify(title)[:200]}-{pk}",
                summary=(generator.text(rng.randint(12, 30), topics) + ".")[:400],
                what=generator.body(rng.randint(60, 120), topics),
                how=generator.body(rng.randint(40, 90), topics),
                why=generator.body(rng.randint(20, 50), topics),
                requirements=generator.text(rng.randint(8, 25), topics) + ".",
                evidence=generator.body(rng.randint(20, 40), topics) if rng.random() < 0.3 else "",
                is_reviewed=rng.random() < 0.5,
                is_featured=rng.random() < 0.02,
                created_at=created(pk, METHODS),
            )
        )
        write_tags(Method, "method", pk, method_rows)
        for organisation_id in _some(rng, organisation_ids, 0, 2):
            method_rows["organisations"].append(
                Method.organisations.through(method_id=pk, organisation_id=organisation_id)
            )
    with transaction.atomic():
        save(
            method_rows,
            {
                "method": Method,
                "organisations": Method.organisations.through,
                **{field: getattr(Method, field).through for field in tag_ids},
            },
        )
    method_ids = list(range(1, METHODS + 1))
    # Some methods are used far more than others.
    method_weights = [1.0 / (rank + 10) for rank in range(len(method_ids))]

    # Initiatives, in batches.
    models = {
        "initiative": Initiative,
        "methods": Initiative.methods.through,
        "partnership": Partnership,
        **{field: getattr(Initiative, field).through for field in tag_ids},
    }
    for first in range(1, count + 1, BATCH):
        rows: dict[str, list] = defaultdict(list)
        for pk in range(first, min(count, first + BATCH - 1) + 1):
            topics = generator.content_words(3)
            title = generator.text(rng.randint(5, 11), topics)
            municipality = (
                municipality_codes[pk - 1]
                if pk <= len(municipality_codes)
                else rng.choice(municipality_codes)
            )
            stage_id = rng.choices(stage_ids, weights=stage_weights)[0]
            at = created(pk, count)
            start = (at - datetime.timedelta(days=rng.randint(0, 400))).date()
            has_start = rng.random() < 0.8
            ended = has_start and stage_id == terms[Vocabulary.STAGE][-1][1]
            rows["initiative"].append(
                Initiative(
                    pk=pk,
                    title=title[:200],
                    slug=f"{slugify(title)[:200]}-{pk}",
                    summary=(generator.text(rng.randint(15, 35), topics) + ".")[:400],
                    description=generator.body(rng.randint(120, 180), topics),
                    results=(
                        generator.body(rng.randint(15, 40), topics) if rng.random() < 0.4 else ""
                    ),
                    evidence=(
                        generator.body(rng.randint(10, 30), topics) if rng.random() < 0.15 else ""
                    ),
                    municipality_id=municipality,
                    stage_id=stage_id,
                    start_date=start if has_start else None,
                    end_date=(
                        start + datetime.timedelta(days=rng.randint(30, 700)) if ended else None
                    ),
                    participants_reached=rng.randint(5, 5000) if rng.random() < 0.5 else None,
                    is_reviewed=rng.random() < 0.3,
                    is_featured=rng.random() < 0.01,
                    created_at=at,
                )
            )
            write_tags(Initiative, "initiative", pk, rows)
            used = set(rng.choices(method_ids, weights=method_weights, k=rng.randint(0, 2)))
            for method_id in sorted(used):
                rows["methods"].append(
                    Initiative.methods.through(initiative_id=pk, method_id=method_id)
                )
            rows["partnership"].append(
                Partnership(
                    initiative_id=pk,
                    organisation_id=rng.choice(organisation_ids),
                    role=PartnerRole.LEAD,
                )
            )
        with transaction.atomic():
            save(rows, models)
        done = min(count, first + BATCH - 1)
        if done % 20_000 == 0 or done == count:
            print(f"  {done:,} initiatives ({time.perf_counter() - started:.0f} s)", flush=True)

    # Rows were written with their ids: the sequences must continue after them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Organisation, Method, Initiative]
        ):
            cursor.execute(sql)
    written = time.perf_counter()
    print(f"  rows written in {written - started:.0f} s; rebuilding the search index …", flush=True)
    indexed = indexing.rebuild_all()
    print(f"  {indexed} indexed in {time.perf_counter() - written:.0f} s", flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    print(f"Filled in {time.perf_counter() - started:.0f} s.", flush=True)


# --- measuring --------------------------------------------------------------------------


class Case:
    """One row of the table: our calls and the bare calls they are compared with."""

    def __init__(self, label: str, ours: list, bares: list, target: float | None) -> None:
        self.label, self.ours, self.bares, self.target = label, ours, bares, target


def _verdict(ours95: float, ratio: float, target: float | None) -> str:
    if target is None:
        return "(no target)"
    misses = []
    if ours95 > target:
        misses.append(f"p95 > {target:.0f} ms")
    if ratio > MAX_RATIO:
        misses.append(f"> {MAX_RATIO:.0f}× bare")
    return "met" if not misses else "MISSED: " + ", ".join(misses)


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


def run(arguments) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: DEBUG would log every query, which costs more than some queries.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.db import connection, connections
    from django.test import Client

    from hjulet.core.models import County, Term, Vocabulary
    from hjulet.core.search import _backend, distinctive_terms, query_terms
    from hjulet.knowledge import selectors
    from hjulet.knowledge.models import Initiative

    call_command("migrate", verbosity=0)
    fill(arguments.initiatives, arguments.refill)
    connection.ensure_connection()
    backend = _backend()

    # The bare queries get a connection of their own, never closed between requests.
    bare_connection = connections.create_connection("default")
    bare_connection.ensure_connection()

    def bare(sql: str, params: list) -> int:
        with bare_connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    def bare_search(terms: list[str]) -> int:
        return bare(*backend.bare_query(terms, require_all=True, limit=20)) if terms else 0

    def bare_similar(terms: list[str]) -> int:
        # similar_entries() asks similar() for twice the 5 entries it shows.
        return bare(*backend.bare_query(terms, require_all=False, limit=10)) if terms else 0

    generator = TextGenerator(QUERY_SEED)
    queries = [generator.query() for _ in range(arguments.queries)]
    texts = [
        " ".join(generator.document())[: generator.random.randint(60, 200)]
        for _ in range(arguments.similar)
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

    search_terms = [query_terms(query) for query in queries]
    similar_terms = [distinctive_terms(text) for text in texts]

    # Filtered lists without text: one county and one challenge, newest first. The first is
    # the example; the others are drawn from every county and challenge.
    challenges = dict(Term.objects.in_vocabulary(Vocabulary.CHALLENGE).values_list("code", "pk"))
    counties = list(County.objects.order_by("code").values_list("code", flat=True))
    filters = [("24", "integration")] + [
        (rng.choice(counties), rng.choice(sorted(challenges))) for _ in range(arguments.pages - 1)
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
            pk__in=sorted({rng.randint(1, last) for _ in range(arguments.pages)})
        ).values_list("pk", "slug")
    )

    cases = [
        Case(
            "ours: list page",
            [partial(list_page, q) for q in queries],
            [partial(bare_search, t) for t in search_terms],
            SEARCH_P95_MS,
        ),
        Case(
            "ours: API",
            [partial(api, q) for q in queries],
            [partial(bare_search, t) for t in search_terms],
            SEARCH_P95_MS,
        ),
        Case(
            "ours: selector",
            [partial(selector, q) for q in queries],
            [partial(bare_search, t) for t in search_terms],
            SEARCH_P95_MS,
        ),
        Case(
            "ours: similar",
            [partial(similar_selector, text) for text in texts],
            [partial(bare_similar, t) for t in similar_terms],
            SIMILAR_P95_MS,
        ),
        Case(
            "ours: similar panel",
            [partial(similar_panel, text) for text in texts],
            [partial(bare_similar, t) for t in similar_terms],
            SIMILAR_P95_MS,
        ),
        Case(
            "ours: filtered list page",
            [partial(page, "/initiativ/", {"county": c, "challenge": ch}) for c, ch in filters],
            [partial(bare, filtered_sql, [c, challenges[ch]]) for c, ch in filters],
            None,
        ),
        Case(
            "ours: detail page",
            [partial(page, f"/initiativ/{slug}/") for _pk, slug in details],
            [partial(bare, detail_sql, [pk]) for pk, _slug in details],
            None,
        ),
    ]
    if arguments.profile:
        chosen = [case for case in cases if arguments.profile in case.label]
        if not chosen:
            raise SystemExit(f"No row matches {arguments.profile!r}.")
        for case in chosen:
            profile(case, arguments.profile_lines)
        return

    print(
        f"\n{connection.vendor}, {arguments.initiatives:,} initiatives, {len(queries)} queries, "
        f"{len(texts)} similar texts, {len(filters)} filtered lists, {len(details)} detail "
        f"pages, {arguments.rounds} timed rounds\n"
    )
    columns = ["ours p50", "ours p95", "bare p50", "bare p95"]
    header = f"{'call':<26} " + " ".join(f"{name:>9}" for name in columns)
    header += f" {'p95 ×':>6}  {'target':<8} verdict"
    print(header)
    print("-" * (len(header) + 24))
    for case in cases:
        for function in case.ours + case.bares:  # warm the caches
            function()
        our_times, bare_times = [], []
        for _ in range(arguments.rounds):
            for mine, theirs in zip(case.ours, case.bares, strict=True):
                our_times.append(timed(mine)[0])
                bare_connection.ensure_connection()
                bare_times.append(timed(theirs)[0])
        ours50, ours95 = percentile(our_times, 0.5), percentile(our_times, 0.95)
        bare50, bare95 = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
        ratio = ours95 / bare95 if bare95 else float("inf")
        target = f"≤{case.target:.0f} ms" if case.target else "—"
        print(
            f"{case.label:<26} {ours50:>7.1f}ms {ours95:>7.1f}ms {bare50:>7.1f}ms "
            f"{bare95:>7.1f}ms {ratio:>6.2f}  {target:<8} {_verdict(ours95, ratio, case.target)}",
            flush=True,
        )
    totals = [selectors.search_initiatives(selectors.InitiativeFilters(q=q)).total for q in queries]
    print(
        f"\nSearch results per query: median {percentile(totals, 0.5):,}, "
        f"p95 {percentile(totals, 0.95):,} (search() is asked for up to 1,000)."
    )
    print(
        "Bare: search rows → the ranked full-text query for the query's analysed terms, LIMIT 20;"
        "\nsimilar rows → the ranked OR query for the text's distinctive terms, LIMIT 10;"
        "\nfiltered list → SQL for its first 20 rows; detail → SELECT by primary key."
    )
    if arguments.spot_checks:
        print("\nSpot checks (pages without a target; each timed twice after one warm-up call):")
        for path in SPOT_CHECKS:
            page(path)
            spent = [timed(page, path)[0] for _ in range(2)]
            print(f"  {path:<26} " + ", ".join(f"{ms:,.0f} ms" for ms in spent), flush=True)
    bare_connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'hjulet-knowledge-benchmark.sqlite3'}",
        help="a scratch database: its knowledge bank and search index are replaced",
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    prepare_database(arguments.database_url)
    run(arguments)


if __name__ == "__main__":
    main()
