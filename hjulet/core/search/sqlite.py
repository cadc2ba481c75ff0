"""The search index on SQLite: FTS5 over analysed terms, a trigram FTS5 over the vocabulary.

Tables (migration core 0002, 0007): ``core_search_document`` (keys, original text and
language), ``core_search_fts`` (analysed title and body, the analysed parts of their
compounds, and a kind token; rowid = document id; ranked with ``bm25`` weighting the title
ten times the body and the body twice the compound parts), ``core_search_term`` (every
indexed term with the number of documents holding it) and ``core_search_term_trigram`` (a trigram
index over those terms, for substring look-ups).

Every query goes to FTS5 as a bound parameter built from analysed terms, each inside an FTS5
string literal, so nothing a person types is ever read as FTS5 syntax.
"""

import json
from collections import Counter
from collections.abc import Iterable, Sequence

from .base import Backend, Candidate, placed_condition

# The row of core_search_term for the empty term (never a real term) counts all documents.
ALL_DOCUMENTS = ""

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
PARTS_WEIGHT = 0.5
RANK = f"bm25(core_search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, {PARTS_WEIGHT}, 0.0)"


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _fts_string(term: str) -> str:
    """An FTS5 string literal: the term can never be read as query syntax."""
    return '"' + term.replace('"', '""') + '"'


def kind_token(kind: str) -> str:
    """The kind as one token of letters and digits, whatever characters the kind has."""
    return "k" + kind.encode().hex()


def fts_expression(
    groups: Sequence[Sequence[str]],
    *,
    require_all: bool,
    title_only: bool = False,
    with_parts: bool = False,
) -> str:
    joiner = " AND " if require_all else " OR "
    terms = joiner.join(
        "(" + " OR ".join(_fts_string(term) for term in group) + ")" for group in groups
    )
    # The column filter also keeps a query from ever matching the kind tokens.
    columns = "{title body parts}" if with_parts else "{title body}"
    if title_only:
        columns = "{title}"
    return columns + " : (" + terms + ")"


class SQLiteBackend(Backend):
    vendor = "sqlite"
    # bm25 costs about 1.5 µs per matching row: this many take some 15 ms.
    rank_all_limit = 10_000

    # --- writing ------------------------------------------------------------------------

    def write(
        self, cursor, *, kind, pk, title, body, language, title_terms, body_terms, part_terms
    ) -> None:
        new_terms = {*title_terms, *body_terms, *part_terms}
        row = [
            " ".join(title_terms),
            " ".join(body_terms),
            " ".join(part_terms),
            kind_token(kind),
        ]
        cursor.execute(
            "SELECT id FROM core_search_document WHERE kind = %s AND pk = %s", [kind, pk]
        )
        found = cursor.fetchone()
        if found is None:
            self._insert(cursor, [kind, pk, title, body, language], row)
            self._count(cursor, {ALL_DOCUMENTS, *new_terms}, +1)
            return
        document_id = found[0]
        old_terms = self._indexed_terms(cursor, document_id)
        cursor.execute(
            "UPDATE core_search_document SET title = %s, body = %s, language = %s WHERE id = %s",
            [title, body, language, document_id],
        )
        cursor.execute(
            "UPDATE core_search_fts SET title = %s, body = %s, parts = %s, kind = %s "
            "WHERE rowid = %s",
            [*row, document_id],
        )
        self._count(cursor, old_terms - new_terms, -1)
        self._count(cursor, new_terms - old_terms, +1)

    def _indexed_terms(self, cursor, document_id: int) -> set[str]:
        cursor.execute(
            "SELECT title, body, parts FROM core_search_fts WHERE rowid = %s", [document_id]
        )
        title, body, parts = cursor.fetchone()
        return {*title.split(), *body.split(), *parts.split()}

    def _count(self, cursor, terms: Iterable[str], change: int) -> None:
        """Add ``change`` to the document counts of ``terms`` (adding terms not seen yet)."""
        listed = json.dumps(sorted(terms))
        if listed == "[]":
            return
        if change > 0:
            cursor.execute(
                "INSERT OR IGNORE INTO core_search_term (term) SELECT value FROM json_each(%s)",
                [listed],
            )
        cursor.execute(
            "UPDATE core_search_term SET documents = documents + %s "
            "WHERE term IN (SELECT value FROM json_each(%s))",
            [change, listed],
        )

    def delete(self, cursor, *, kind: str, pk: int) -> None:
        cursor.execute(
            "SELECT id FROM core_search_document WHERE kind = %s AND pk = %s", [kind, pk]
        )
        found = cursor.fetchone()
        if found is not None:
            self._count(cursor, {ALL_DOCUMENTS, *self._indexed_terms(cursor, found[0])}, -1)
            cursor.execute("DELETE FROM core_search_fts WHERE rowid = %s", [found[0]])
            cursor.execute("DELETE FROM core_search_document WHERE id = %s", [found[0]])

    def delete_kind(self, cursor, *, kind: str) -> None:
        cursor.execute(
            "DELETE FROM core_search_fts WHERE rowid IN "
            "(SELECT id FROM core_search_document WHERE kind = %s)",
            [kind],
        )
        cursor.execute("DELETE FROM core_search_document WHERE kind = %s", [kind])

    @staticmethod
    def _insert(cursor, document: list, fts_row: list) -> None:
        """A new document's row ``(kind, pk, title, body, language)`` and its full-text row
        ``(title, body, parts, kind)`` under the same id."""
        cursor.execute(
            "INSERT INTO core_search_document (kind, pk, title, body, language) "
            "VALUES (%s, %s, %s, %s, %s)",
            document,
        )
        cursor.execute(
            "INSERT INTO core_search_fts (rowid, title, body, parts, kind) "
            "VALUES (%s, %s, %s, %s, %s)",
            [cursor.lastrowid, *fts_row],
        )

    def write_many(self, cursor, *, kind, rows) -> int:
        token = kind_token(kind)
        count = 0
        terms: set[str] = set()
        for pk, title, body, language, title_terms, body_terms, part_terms in rows:
            self._insert(
                cursor,
                [kind, pk, title, body, language],
                [" ".join(title_terms), " ".join(body_terms), " ".join(part_terms), token],
            )
            terms.update(title_terms)
            terms.update(body_terms)
            terms.update(part_terms)
            count += 1
            if len(terms) > 50_000:
                self._count(cursor, terms, +1)
                terms.clear()
        self._count(cursor, terms, +1)
        self._recount(cursor)
        return count

    def add_many(self, cursor, *, kind, rows) -> None:
        if not rows:
            return
        pks = [row[0] for row in rows]
        listed = json.dumps(pks)
        cursor.execute(
            "SELECT pk FROM core_search_document WHERE kind = %s "
            "AND pk IN (SELECT value FROM json_each(%s))",
            [kind, listed],
        )
        for (pk,) in cursor.fetchall():  # rare: an id used again after a delete
            self.delete(cursor, kind=kind, pk=pk)
        cursor.executemany(
            "INSERT INTO core_search_document (kind, pk, title, body, language) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(kind, pk, title, body, language) for pk, title, body, language, *_terms in rows],
        )
        cursor.execute(
            "SELECT pk, id FROM core_search_document WHERE kind = %s "
            "AND pk IN (SELECT value FROM json_each(%s))",
            [kind, listed],
        )
        ids = dict(cursor.fetchall())
        token = kind_token(kind)
        cursor.executemany(
            "INSERT INTO core_search_fts (rowid, title, body, parts, kind) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                (
                    ids[pk],
                    " ".join(title_terms),
                    " ".join(body_terms),
                    " ".join(part_terms),
                    token,
                )
                for pk, _title, _body, _language, title_terms, body_terms, part_terms in rows
            ],
        )
        # Each term's document count goes up by the number of new documents holding it.
        counts: Counter[str] = Counter()
        for *_document, title_terms, body_terms, part_terms in rows:
            counts.update({*title_terms, *body_terms, *part_terms})
        counts[ALL_DOCUMENTS] = len(rows)
        listed_counts = json.dumps(counts)
        cursor.execute(
            "INSERT OR IGNORE INTO core_search_term (term) SELECT key FROM json_each(%s)",
            [listed_counts],
        )
        cursor.execute(
            "UPDATE core_search_term SET documents = documents + added.value "
            "FROM json_each(%s) AS added WHERE core_search_term.term = added.key",
            [listed_counts],
        )

    def _recount(self, cursor) -> None:
        # One pass over the whole index: exact counts after a bulk change.
        cursor.execute(
            "UPDATE core_search_term SET documents = coalesce("
            "(SELECT doc FROM core_search_fts_vocab v WHERE v.term = core_search_term.term), 0)"
            " WHERE term <> %s",
            [ALL_DOCUMENTS],
        )
        cursor.execute("INSERT OR IGNORE INTO core_search_term (term) VALUES (%s)", [ALL_DOCUMENTS])
        cursor.execute(
            "UPDATE core_search_term SET documents = (SELECT count(*) FROM core_search_document)"
            " WHERE term = %s",
            [ALL_DOCUMENTS],
        )

    # --- reading ------------------------------------------------------------------------

    def match(self, cursor, query):
        groups, require_all = query.groups, query.require_all
        expression = fts_expression(
            groups,
            require_all=require_all,
            title_only=query.title_only,
            with_parts=query.with_parts,
        )
        if query.not_in_title:
            in_title = fts_expression(groups, require_all=require_all, title_only=True)
            expression = f"({expression}) NOT ({in_title})"
        if query.kinds is not None:
            tokens = " OR ".join(_fts_string(kind_token(kind)) for kind in query.kinds)
            expression = f"({expression}) AND {{kind}} : ({tokens})"
        conditions, params = ["core_search_fts MATCH %s"], [expression]
        excluded = list(query.exclude_ids)
        if query.exclude is not None:
            cursor.execute(
                "SELECT id FROM core_search_document WHERE kind = %s AND pk = %s",
                list(query.exclude),
            )
            excluded += [row[0] for row in cursor.fetchall()]
        if excluded:
            conditions.append(f"rowid NOT IN ({_placeholders(excluded)})")
            params.extend(excluded)
        if query.ids is not None:
            conditions.append("rowid >= %s AND rowid < %s")
            params.extend(query.ids)
        # Rank inside FTS5 first: only the rows kept are looked up in the documents table.
        cursor.execute(
            "SELECT d.id, d.kind, d.pk, -ranked.rank FROM ("
            f"  SELECT rowid AS id, {RANK} AS rank FROM core_search_fts"
            f"  WHERE {' AND '.join(conditions)} ORDER BY rank, rowid DESC LIMIT %s"
            ") AS ranked JOIN core_search_document d ON d.id = ranked.id "
            "ORDER BY ranked.rank, d.id DESC",
            [*params, query.limit],
        )
        return [Candidate(*row) for row in cursor.fetchall()]

    def texts(self, cursor, ids):
        if not ids:
            return {}
        cursor.execute(
            f"SELECT id, title, body FROM core_search_document WHERE id IN ({_placeholders(ids)})",
            list(ids),
        )
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}

    def terms_containing(self, cursor, pieces, *, min_length, max_length, limit):
        expression = " OR ".join(_fts_string(piece.text) for piece in pieces)
        where, params = placed_condition(pieces, "instr(t.term, %s)")
        cursor.execute(
            "SELECT t.term FROM core_search_term_trigram "
            "JOIN core_search_term t ON t.id = core_search_term_trigram.rowid "
            "WHERE core_search_term_trigram MATCH %s AND t.documents > 0 "
            f"AND length(t.term) BETWEEN %s AND %s{where} "
            "ORDER BY length(t.term), t.term LIMIT %s",
            [expression, min_length, max_length, *params, limit],
        )
        return [row[0] for row in cursor.fetchall()]

    def known_terms(self, cursor, terms):
        cursor.execute(
            f"SELECT term FROM core_search_term WHERE term IN ({_placeholders(terms)}) "
            "AND documents > 0",
            list(terms),
        )
        return {row[0] for row in cursor.fetchall()}

    def document_frequencies(self, cursor, terms):
        cursor.execute(
            f"SELECT term, documents FROM core_search_term WHERE term IN ({_placeholders(terms)})",
            list(terms),
        )
        return dict(cursor.fetchall())

    def document_count(self, cursor) -> int:
        cursor.execute("SELECT documents FROM core_search_term WHERE term = %s", [ALL_DOCUMENTS])
        row = cursor.fetchone()
        return row[0] if row else 0

    def newest_id(self, cursor) -> int:
        cursor.execute("SELECT coalesce(max(id), 0) FROM core_search_document")
        return cursor.fetchone()[0]

    # --- for the benchmark --------------------------------------------------------------

    def bare_query(self, terms: Sequence[str], *, require_all: bool, limit: int):
        """The plainest ranked FTS5 query for ``terms``: what the engine costs without us."""
        joiner = " AND " if require_all else " OR "
        return (
            f"SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s "
            f"ORDER BY {RANK} LIMIT %s",
            [joiner.join(_fts_string(term) for term in terms), limit],
        )
