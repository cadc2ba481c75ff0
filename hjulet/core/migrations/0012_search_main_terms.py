"""PostgreSQL's search index gains ``main_terms``: a document's title and body terms
(weights A and B) without its compounds' parts (weight D), kept by PostgreSQL itself from
``terms`` (a generated column), with a GIN index of its own.

A query that must not match parts asked ``terms`` for its lexemes at weights A and B; a GIN
index does not know weights, so it handed over every document with the lexemes at any
weight, and each was checked again in the table: for "gården hjälper" at 100,000
initiatives, 19,653 candidates for 1,456 matches. Asked of ``main_terms`` without weights,
the index gives the matches themselves (docs/benchmarks.md, issue 21). SQLite's index is
unchanged.
"""

from django.db import migrations

FORWARD = [
    """ALTER TABLE core_search_document ADD COLUMN main_terms tsvector
        GENERATED ALWAYS AS (ts_filter(terms, '{a,b}')) STORED""",
    # Ranking reads the vector of every matching row: keep it in the row, as ``terms``.
    "ALTER TABLE core_search_document ALTER COLUMN main_terms SET STORAGE MAIN",
    """CREATE INDEX core_search_document_main_terms ON core_search_document
        USING gin (main_terms)""",
    "ANALYZE core_search_document",
]

BACKWARD = [
    "DROP INDEX IF EXISTS core_search_document_main_terms",
    "ALTER TABLE core_search_document DROP COLUMN IF EXISTS main_terms",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0011_content_generation")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
