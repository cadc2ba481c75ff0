"""The search index keeps each document's language and the parts of its compounds.

* ``core_search_document.language``: "sv" or "en" (the language the text is analysed in).
* SQLite: ``core_search_fts`` gains a ``parts`` column (FTS5 tables cannot be altered, so
  the table is made anew); PostgreSQL: the parts go into ``terms`` at weight D.

Every indexed document is then analysed again with the current analyser (from the text kept
in ``core_search_document``), so the parts are there without a rebuild. See
docs/architecture.md, "Search".
"""

from django.db import migrations

SQLITE = [
    "ALTER TABLE core_search_document ADD COLUMN language TEXT NOT NULL DEFAULT 'sv'",
    "DROP TABLE IF EXISTS core_search_fts_vocab",
    "DROP TABLE IF EXISTS core_search_fts",
    """CREATE VIRTUAL TABLE core_search_fts USING fts5(
        title, body, parts, kind, tokenize = 'ascii'
    )""",
    "CREATE VIRTUAL TABLE core_search_fts_vocab USING fts5vocab(core_search_fts, 'row')",
]

POSTGRESQL = [
    "ALTER TABLE core_search_document ADD COLUMN language varchar(2) NOT NULL DEFAULT 'sv'",
]


def _kind_token(kind: str) -> str:
    return "k" + kind.encode().hex()


def _analysed(title: str, body: str, language: str):
    from hjulet.lib.text import CachingAnalyser

    analyser = CachingAnalyser(language)
    title_terms, title_parts = analyser.with_parts(title)
    body_terms, body_parts = analyser.with_parts(body)
    return title_terms, body_terms, [*title_parts, *body_parts]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"Search has no index design for {vendor}.")
    for statement in SQLITE if vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement, params=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, kind, title, body FROM core_search_document ORDER BY id")
        documents = cursor.fetchall()
        new_terms: set[str] = set()
        for document_id, kind, title, body in documents:
            title_terms, body_terms, parts = _analysed(title, body, "sv")
            new_terms.update(parts)
            if vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO core_search_fts (rowid, title, body, parts, kind) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        document_id,
                        " ".join(title_terms),
                        " ".join(body_terms),
                        " ".join(parts),
                        _kind_token(kind),
                    ],
                )
            elif parts:
                cursor.execute(
                    "UPDATE core_search_document SET terms = terms || "
                    "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                    [" ".join(parts), document_id],
                )
        if vendor == "sqlite":
            cursor.execute(
                "INSERT OR IGNORE INTO core_search_term (term) "
                "SELECT term FROM core_search_fts_vocab"
            )
            cursor.execute(
                "UPDATE core_search_term SET documents = coalesce((SELECT doc FROM "
                "core_search_fts_vocab v WHERE v.term = core_search_term.term), 0) "
                "WHERE term <> ''"
            )
        elif new_terms:
            cursor.execute(
                "INSERT INTO core_search_term (term) SELECT unnest(%s::text[]) "
                "ON CONFLICT DO NOTHING",
                [sorted(new_terms)],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_search_synonym"),
    ]

    # Going back leaves the new column and parts in place (harmless to the older code
    # on PostgreSQL; on SQLite, rebuild the index after going back).
    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
