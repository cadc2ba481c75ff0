"""The full-text search index (hjulet.core.search): raw tables, one design per database.

The SQL lives here rather than in the search package so that this migration keeps meaning
the same thing when the package changes. See docs/architecture.md, "Search".
"""

from django.db import migrations

SQLITE_CREATE = [
    # The original text (for snippets) and the keys that callers know documents by.
    """CREATE TABLE core_search_document (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        pk INTEGER NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (kind, pk)
    )""",
    # The analysed terms (folded, stemmed; see hjulet.lib.text) of title and body, and the
    # document's kind as one token (so that a kinds filter is part of the MATCH), one row per
    # document with rowid = core_search_document.id. The ascii tokenizer splits only on the
    # spaces the analyser puts between terms, so the index holds exactly the analyser's terms.
    """CREATE VIRTUAL TABLE core_search_fts USING fts5(
        title, body, kind, tokenize = 'ascii'
    )""",
    # Per-term document counts computed from the index (slow: for recounting only).
    "CREATE VIRTUAL TABLE core_search_fts_vocab USING fts5vocab(core_search_fts, 'row')",
    # Every term indexed, with the number of documents holding it (kept up to date by each
    # write, for picking a text's distinctive terms quickly), and a trigram index for
    # compound parts and typos.
    """CREATE TABLE core_search_term (
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE,
        documents INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE VIRTUAL TABLE core_search_term_trigram USING fts5(
        term, content = 'core_search_term', content_rowid = 'id', tokenize = 'trigram'
    )""",
    """CREATE TRIGGER core_search_term_added AFTER INSERT ON core_search_term BEGIN
        INSERT INTO core_search_term_trigram (rowid, term) VALUES (new.id, new.term);
    END""",
    """CREATE TRIGGER core_search_term_removed AFTER DELETE ON core_search_term BEGIN
        INSERT INTO core_search_term_trigram (core_search_term_trigram, rowid, term)
        VALUES ('delete', old.id, old.term);
    END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_search_term_removed",
    "DROP TRIGGER IF EXISTS core_search_term_added",
    "DROP TABLE IF EXISTS core_search_term_trigram",
    "DROP TABLE IF EXISTS core_search_term",
    "DROP TABLE IF EXISTS core_search_fts_vocab",
    "DROP TABLE IF EXISTS core_search_fts",
    "DROP TABLE IF EXISTS core_search_document",
]

POSTGRESQL_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # ``title_terms`` and ``terms`` are built from the analyser's terms with the 'simple'
    # configuration (which only lowercases), so PostgreSQL and SQLite index the very same
    # terms: ``title_terms`` the title at weight A, ``terms`` the title at A and the body at B.
    """CREATE TABLE core_search_document (
        id bigserial PRIMARY KEY,
        kind varchar(100) NOT NULL,
        pk bigint NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        title_terms tsvector NOT NULL,
        terms tsvector NOT NULL,
        CONSTRAINT core_search_document_key UNIQUE (kind, pk)
    )""",
    # Ranking reads ``terms`` of every matching row: keep it in the row and move the body
    # out of it first when a row grows past PostgreSQL's 2 kB.
    """ALTER TABLE core_search_document
        ALTER COLUMN body SET STORAGE EXTERNAL,
        ALTER COLUMN terms SET STORAGE MAIN""",
    "CREATE INDEX core_search_document_terms ON core_search_document USING gin (terms)",
    """CREATE INDEX core_search_document_title_terms ON core_search_document
        USING gin (title_terms)""",
    # Every term indexed, with a trigram index for compound parts and typos.
    "CREATE TABLE core_search_term (term text PRIMARY KEY)",
    """CREATE INDEX core_search_term_trigram ON core_search_term
        USING gin (term gin_trgm_ops)""",
]

POSTGRESQL_DROP = [
    "DROP TABLE IF EXISTS core_search_term",
    "DROP TABLE IF EXISTS core_search_document",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(schema_editor, create: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"Search has no index design for {vendor}.")
    forward, backward = STATEMENTS[vendor]
    for statement in forward if create else backward:
        schema_editor.execute(statement, params=None)


def create_index(apps, schema_editor):
    _run(schema_editor, create=True)


def drop_index(apps, schema_editor):
    _run(schema_editor, create=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
