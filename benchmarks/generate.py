"""Deterministic national-scale data for every capability, for the benchmarks.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/generate.py \\
        [--scale 1] [--database-url postgres://postgres@127.0.0.1:5432/hjulet_bench] [--refill] \\
        [--only survey]

Fills a scratch database (default: a SQLite file in the temp folder; a PostgreSQL database
is created when missing) with Swedish content from fixed seeds. At ``--scale 1``:

- reference data (counties, municipalities, vocabularies: ``hjulet.core.reference_data``);
- 5,000 people (a coordinator, 50 researchers with profiles, the rest members) and about
  6,000 memberships of 10,000 organisations in all 290 municipalities;
- the knowledge bank: 1,000 methods, 100,000 initiatives (tags, methods, a lead and
  sometimes a partner organisation) and 50,000 adaptations; the search index rebuilt;
- impact: 2,000 initiatives with two indicators of four measurements each, 500 of them with
  a published impact report;
- the science shop: 2,000 questions over every status, with a formulation, a timeline
  event, assignments and knowledge summaries;
- one survey of 40 questions with 100,000 submitted responses (the questions and answers of
  ``survey_analysis.py``);
- arenas: 100 arenas, 200 challenges, 20,000 ideas (some challenges draw far more than
  others) with 40,000 supports and 10,000 comments, one event per challenge;
- support: 500 support structures, 300 funding calls and 1,000 advice requests.

Rows are written with ``bulk_create`` in batches (the services would take hours), then the
search index is rebuilt and the planner statistics refreshed (ANALYZE). A database whose
counts match is reused (``--refill`` forces a refill). ``--scale 0.1`` gives a tenth.
``--only survey`` fills just the survey (one coordinator, one organisation, the survey and
its responses, all answering for that organisation) in a minute instead of ten, for
``survey_analysis.py``; a full fill replaces it.
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log, prepare_database
from filling import FULL, START, Filler, counts_for  # noqa: F401 (FULL: for the other benchmarks)

# --- what is in the database ----------------------------------------------------------


def present() -> dict[str, int]:
    """The counts a complete fill leaves, as a fill of that scale would give them."""
    from django.db import connection

    from hjulet.accounts.models import Organisation, User
    from hjulet.arenas.models import Arena, Challenge, Idea
    from hjulet.impact.models import ImpactReport
    from hjulet.knowledge.models import Adaptation, Initiative, Method
    from hjulet.scienceshop.models import Question
    from hjulet.support.models import AdviceRequest, FundingCall, SupportStructure
    from hjulet.surveys.models import Response

    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*) FROM core_search_document GROUP BY kind")
        indexed = dict(cursor.fetchall())
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "methods": Method.objects.count(),
        "initiatives": Initiative.objects.count(),
        "adaptations": Adaptation.objects.count(),
        "impact_reports": ImpactReport.objects.count(),
        "questions": Question.objects.count(),
        "responses": Response.objects.count(),
        "arenas": Arena.objects.count(),
        "challenges": Challenge.objects.count(),
        "ideas": Idea.objects.count(),
        "structures": SupportStructure.objects.count(),
        "calls": FundingCall.objects.count(),
        "advice_requests": AdviceRequest.objects.count(),
        "indexed methods": indexed.get("method", 0),
        "indexed initiatives": indexed.get("initiative", 0),
    }


def wanted(scale: float) -> dict[str, int]:
    counts = counts_for(scale)
    expected = {
        name: counts[name]
        for name in (
            "users",
            "organisations",
            "methods",
            "initiatives",
            "adaptations",
            "impact_reports",
            "questions",
            "responses",
            "arenas",
            "challenges",
            "ideas",
            "structures",
            "calls",
            "advice_requests",
        )
    }
    expected["indexed methods"] = counts["methods"]
    expected["indexed initiatives"] = counts["initiatives"]
    return expected


def _empty() -> None:
    """Empty every table but the reference data and Django's own (a scratch database)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    keep = {"core_county", "core_municipality", "core_vocabulary", "core_term"}
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label.startswith("hjulet") or model.__module__.startswith("hjulet"):
            tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    tables = sorted(t for t in tables & existing if t not in keep)
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


def _reset_sequences() -> None:
    """Rows were written with their ids: the sequences must continue after them."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models() if m.__module__.startswith("hjulet")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@contextlib.contextmanager
def _without_gin_indexes():
    """On PostgreSQL, drop the search tables' GIN indexes while the index is rebuilt and
    create them again afterwards (as their migration defined them): one index build is far
    faster than 100,000 inserts into it. SQLite has nothing of the kind."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
            "('core_search_document', 'core_search_term') AND indexdef LIKE '%%USING gin%%'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


def survey_present() -> dict[str, int]:
    from hjulet.surveys.models import Question, Response

    return {"survey questions": Question.objects.count(), "responses": Response.objects.count()}


def fill_survey(scale: float = 1.0, refill: bool = False) -> dict[str, int]:
    """Only the survey of ``survey_analysis.py`` (its owner organisation and coordinator
    made minimally), unless the database already holds just that."""
    import survey_analysis

    from hjulet.accounts.models import Organisation, Role, RoleGrant, User
    from hjulet.core.models import Term, Vocabulary
    from hjulet.core.reference_data import load_geography, load_vocabularies

    expected = {
        "survey questions": len(survey_analysis.specs()),
        "responses": counts_for(scale)["responses"],
    }
    if not refill and survey_present() == expected and Organisation.objects.count() == 1:
        log(f"Reusing the survey already in the database (scale {scale:g}).")
        return expected
    log(f"Filling only the survey at scale {scale:g} …")
    started = time.perf_counter()
    _empty()
    load_geography(with_boundaries=False)
    load_vocabularies()
    user = User.objects.create(
        pk=1, email="samordnare@exempel.se", email_canonical="samordnare@exempel.se",
        name="Samordnare", password="!", email_verified_at=START,
    )  # fmt: skip
    RoleGrant.objects.create(user=user, role=Role.COORDINATOR)
    Organisation.objects.create(
        pk=1, name="Forum för sociala innovationer", slug="forum-for-sociala-innovationer",
        sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).first(),
        municipality_id="2480", created_by=user,
    )  # fmt: skip
    Filler(scale).survey(only_survey=True)
    _reset_sequences()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    log(f"Filled in {time.perf_counter() - started:.0f} s.")
    return survey_present()


def fill(scale: float = 1.0, refill: bool = False) -> dict[str, int]:
    """Fill the current database at ``scale`` unless it already holds that fill; return
    the counts."""
    from django.db import connection

    from hjulet.core.reference_data import load_geography, load_vocabularies
    from hjulet.core.search.registry import rebuild_all

    expected = wanted(scale)
    if not refill and present() == expected:
        log(f"Reusing the data already in the database (scale {scale:g}).")
        return expected
    log(f"Filling the database at scale {scale:g} …")
    started = time.perf_counter()
    _empty()
    load_geography(with_boundaries=True)
    load_vocabularies()
    filler = Filler(scale)
    filler.people()
    filler.knowledge()
    filler.impact()
    filler.science_shop()
    filler.survey()
    filler.arenas()
    filler.support()
    _reset_sequences()
    written = time.perf_counter()
    log(f"  rows written in {written - started:.0f} s; rebuilding the search index …")
    with _without_gin_indexes():
        indexed = rebuild_all()  # every registered kind
    log(f"  {json.dumps(indexed)} indexed in {time.perf_counter() - written:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    log(f"Filled in {time.perf_counter() - started:.0f} s.")
    counts = present()
    if counts != expected:
        raise RuntimeError(f"The fill left {counts}, not {expected}.")
    return counts


def default_sqlite_url() -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / 'hjulet-bench.sqlite3'}"


def setup(database_url: str, *, keep_pages: bool = False) -> None:
    """Point Django at ``database_url`` (creating a PostgreSQL database when missing), set
    it up as in production (DEBUG off) and bring the schema up to date.

    Benchmarks that ask for a page again and again measure the page's own work, so pages are
    not kept for visitors (``core.page_cache``) unless ``keep_pages`` or
    ``PAGE_CACHE_SECONDS`` in the environment says so; the load test's servers keep them,
    as in production."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    prepare_database(database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: DEBUG would log every query, which costs more than some queries.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not keep_pages and "PAGE_CACHE_SECONDS" not in os.environ:
        settings.PAGE_CACHE_SECONDS = 0
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--database-url",
        default=default_sqlite_url(),
        help="a scratch database: everything but the reference data is replaced",
    )
    parser.add_argument("--refill", action="store_true", help="refill even if already filled")
    parser.add_argument(
        "--only", choices=["survey"], help="fill only this part (survey: for survey_analysis.py)"
    )
    arguments = parser.parse_args()
    setup(arguments.database_url)
    filling = fill_survey if arguments.only == "survey" else fill
    for name, count in filling(arguments.scale, arguments.refill).items():
        print(f"{name:<22} {count:>9,}")


if __name__ == "__main__":
    main()
