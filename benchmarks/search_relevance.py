"""Search relevance on the relevance set: precision@3 and nDCG@5, per query and on average.

    .venv/bin/python benchmarks/search_relevance.py [--database-url URL] [--verbose]

Indexes hjulet/core/tests/relevance_set.py into a scratch database (default: a new SQLite
file in the temp folder; a PostgreSQL database is created when missing and its search index
emptied first) after migrating it, and prints the figures. The test
hjulet/core/tests/test_relevance.py fails when they drop below the recorded level.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--verbose", action="store_true", help="every query's ranking")
    arguments = parser.parse_args()
    url = arguments.database_url
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp()}/relevance.sqlite3"
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from hjulet.core.search.relevance import evaluate
    from hjulet.core.tests.relevance_set import DOCUMENTS, QUERIES

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_search_document WHERE kind = 'relevance'")
        result = evaluate(DOCUMENTS, QUERIES)
        transaction.set_rollback(True)
    if arguments.verbose:
        for found in result.queries:
            print(
                f"{found.precision_at_3:5.2f} {found.ndcg_at_5:5.2f}  {found.query}: "
                f"{', '.join(found.ranked[:5])}"
            )
    print(
        f"{connection.vendor}: {len(DOCUMENTS)} documents, {len(QUERIES)} queries: "
        f"precision@3 {result.precision_at_3:.3f}, nDCG@5 {result.ndcg_at_5:.3f}"
    )


if __name__ == "__main__":
    main()
