"""The search index on PostgreSQL: weighted tsvectors of analysed terms, pg_trgm on the
vocabulary.

Tables (migration core 0002): ``core_search_document`` (keys, original text, ``title_terms``
and ``terms``: tsvectors built with the 'simple' configuration from the analyser's terms,
title at weight A and body at weight B, each with a GIN index) and ``core_search_term``
(every indexed term, with a pg_trgm GIN index for substring look-ups). ``terms`` also holds
the analysed parts of the text's compounds at weight D (migration core 0007); a query that
should not match parts is matched against ``MAIN_TERMS``, the same vector without them
(``ts_filter``, with a GIN index of that expression: migration core 0012).
Ranking is ``ts_rank_cd`` with the title weighted five times the body and the body twice
the compound parts.

Queries reach PostgreSQL as bound parameters: tsqueries built from analysed terms, each a
quoted lexeme, and LIKE patterns with their wildcards escaped.
"""

import json
import time
from collections.abc import Sequence

from .base import Backend, Candidate, placed_condition

# ts_rank_cd's weights for D, C, B (body), A (title).
RANK_WEIGHTS = "{0.1, 0, 0.2, 1.0}"
# Without statistics (a small or new table), counting stops here: enough for telling common
# terms from rare ones.
FREQUENCY_CAP = 1000
# How long the planner's term statistics are reused before being read again, and the size
# from which they are used at all (below it, counting is cheap and sampling too rough).
STATISTICS_SECONDS = 300.0
STATISTICS_MIN_DOCUMENTS = 10_000

TITLE_TSVECTOR = "setweight(to_tsvector('simple', %s), 'A')"
BODY_TSVECTOR = "setweight(to_tsvector('simple', %s), 'B')"
PARTS_TSVECTOR = "setweight(to_tsvector('simple', %s), 'D')"


def tsquery_literal(term: str) -> str:
    """A quoted tsquery lexeme: the term can never be read as tsquery syntax."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def tsquery(groups: Sequence[Sequence[str]], *, require_all: bool, weights: str = "") -> str:
    """Groups of alternative lexemes, all groups (``require_all``) or any of them; with
    ``weights`` ("AB": the title and body) each lexeme only at those weights."""
    joiner = " & " if require_all else " | "
    suffix = f":{weights}" if weights else ""
    return joiner.join(
        "(" + " | ".join(tsquery_literal(term) + suffix for term in group) + ")" for group in groups
    )


#: A document's title and body terms without its compounds' parts, as indexed (migration
#: core 0012: the planner uses the index for this expression as written).
MAIN_TERMS = "ts_filter(d.terms, '{a,b}')"


def _vector(query) -> str:
    """What a query is matched against: the title alone, every term with the compounds'
    parts, or the title and body terms without them (``MAIN_TERMS``)."""
    if query.title_only:
        return "d.title_terms"
    return "d.terms" if query.with_parts else MAIN_TERMS


class PostgreSQLBackend(Backend):
    vendor = "postgresql"
    # Ranking reads each matching row's tsvector (some 5 µs a row): this many take ~15 ms.
    rank_all_limit = 3000

    def __init__(self) -> None:
        # {(what, database alias): (when read, value …)}
        self._statistics: dict[tuple[str, str], tuple] = {}

    # --- writing ------------------------------------------------------------------------

    def write(
        self, cursor, *, kind, pk, title, body, language, title_terms, body_terms, part_terms
    ) -> None:
        title_text, body_text = " ".join(title_terms), " ".join(body_terms)
        cursor.execute(
            "INSERT INTO core_search_document "
            "(kind, pk, title, body, language, title_terms, terms) "
            "SELECT %s, %s, %s, %s, %s, title_terms, "
            f"title_terms || {BODY_TSVECTOR} || {PARTS_TSVECTOR} "
            f"FROM (SELECT {TITLE_TSVECTOR} AS title_terms) AS analysed "
            "ON CONFLICT (kind, pk) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, "
            "language = EXCLUDED.language, "
            "title_terms = EXCLUDED.title_terms, terms = EXCLUDED.terms",
            [kind, pk, title, body, language, body_text, " ".join(part_terms), title_text],
        )
        self.add_terms(cursor, {*title_terms, *body_terms, *part_terms})

    def add_many(self, cursor, *, kind, rows) -> None:
        if not rows:
            return
        # One statement for the batch: the rows as one JSON array (json.dumps and PostgreSQL's
        # json parser are C; text[] parameters were quoted element by element in Python).
        cursor.execute(
            "INSERT INTO core_search_document "
            "(kind, pk, title, body, language, title_terms, terms) "
            "SELECT %s, pk, title, body, language, setweight(to_tsvector('simple', t), 'A'), "
            "setweight(to_tsvector('simple', t), 'A') || setweight(to_tsvector('simple', b), 'B') "
            "|| setweight(to_tsvector('simple', p), 'D') "
            "FROM json_to_recordset(%s::json) AS batch (pk bigint, title text, body text, "
            "language text, t text, b text, p text) "
            "ON CONFLICT (kind, pk) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, "
            "language = EXCLUDED.language, "
            "title_terms = EXCLUDED.title_terms, terms = EXCLUDED.terms",
            [
                kind,
                json.dumps(
                    [
                        {
                            "pk": row[0],
                            "title": row[1],
                            "body": row[2],
                            "language": row[3],
                            "t": " ".join(row[4]),
                            "b": " ".join(row[5]),
                            "p": " ".join(row[6]),
                        }
                        for row in rows
                    ]
                ),
            ],
        )
        terms: set[str] = set()
        for *_document, title_terms, body_terms, part_terms in rows:
            terms.update(title_terms)
            terms.update(body_terms)
            terms.update(part_terms)
        self.add_terms(cursor, terms)

    def add_terms(self, cursor, terms) -> None:
        # Sorted, so that two transactions adding the same new terms lock them in one order.
        cursor.execute(
            "INSERT INTO core_search_term (term) "
            "SELECT value FROM jsonb_array_elements_text(%s::jsonb) AS value "
            "ON CONFLICT DO NOTHING",
            [json.dumps(sorted(terms))],
        )

    def delete(self, cursor, *, kind: str, pk: int) -> None:
        cursor.execute("DELETE FROM core_search_document WHERE kind = %s AND pk = %s", [kind, pk])

    def delete_kind(self, cursor, *, kind: str) -> None:
        cursor.execute("DELETE FROM core_search_document WHERE kind = %s", [kind])

    def write_many(self, cursor, *, kind, rows) -> int:
        count = 0
        terms: set[str] = set()
        batch: list[list[object]] = []
        sql = (
            "INSERT INTO core_search_document "
            "(kind, pk, title, body, language, title_terms, terms) "
            "SELECT %s, %s, %s, %s, %s, title_terms, "
            f"title_terms || {BODY_TSVECTOR} || {PARTS_TSVECTOR} "
            f"FROM (SELECT {TITLE_TSVECTOR} AS title_terms) AS analysed"
        )
        for pk, title, body, language, title_terms, body_terms, part_terms in rows:
            batch.append(
                [
                    kind,
                    pk,
                    title,
                    body,
                    language,
                    " ".join(body_terms),
                    " ".join(part_terms),
                    " ".join(title_terms),
                ]
            )
            terms.update(title_terms)
            terms.update(body_terms)
            terms.update(part_terms)
            count += 1
            if len(batch) >= 1000:
                cursor.executemany(sql, batch)
                batch.clear()
            if len(terms) > 50_000:
                self.add_terms(cursor, terms)
                terms.clear()
        if batch:
            cursor.executemany(sql, batch)
        self.add_terms(cursor, terms)
        # Fresh statistics: document_frequencies() reads the planner's term counts.
        cursor.execute("ANALYZE core_search_document")
        self._statistics.clear()
        return count

    # --- reading ------------------------------------------------------------------------

    def match(self, cursor, query):
        vector = _vector(query)
        conditions, params = [f"{vector} @@ query"], []
        if query.not_in_title:
            conditions.append("NOT d.title_terms @@ query")
        if query.kinds is not None:
            conditions.append("d.kind = ANY(%s)")
            params.append(list(query.kinds))
        if query.exclude_ids:
            conditions.append("d.id <> ALL(%s)")
            params.append(list(query.exclude_ids))
        if query.exclude is not None:
            conditions.append("NOT (d.kind = %s AND d.pk = %s)")
            params.extend(query.exclude)
        if query.ids is not None:
            conditions.append("d.id >= %s AND d.id < %s")
            params.extend(query.ids)
        # Leaving the compounds' parts out is the matched expression's doing (``MAIN_TERMS``,
        # whose index knows no parts), not the query's weights: a GIN index cannot check
        # weights, so the table checked every document with the lexemes at any weight.
        # Ranking reads ``terms`` with the weights, which leave the parts out of the rank.
        terms = tsquery(query.groups, require_all=query.require_all)
        ranked = "d.title_terms" if query.title_only else "d.terms"
        ranked_terms = tsquery(
            query.groups, require_all=query.require_all, weights="" if query.with_parts else "AB"
        )
        cursor.execute(
            f"SELECT d.id, d.kind, d.pk, ts_rank_cd('{RANK_WEIGHTS}', {ranked}, ranked) AS rank "
            "FROM core_search_document d, to_tsquery('simple', %s) AS query, "
            "to_tsquery('simple', %s) AS ranked "
            f"WHERE {' AND '.join(conditions)} ORDER BY rank DESC, d.id DESC LIMIT %s",
            [terms, ranked_terms, *params, query.limit],
        )
        return [Candidate(*row) for row in cursor.fetchall()]

    def texts(self, cursor, ids):
        if not ids:
            return {}
        cursor.execute(
            "SELECT id, title, body FROM core_search_document WHERE id = ANY(%s)", [list(ids)]
        )
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}

    def terms_containing(self, cursor, pieces, *, min_length, max_length, limit):
        conditions = " OR ".join(["term LIKE %s"] * len(pieces))
        params: list[object] = [like_pattern(piece.text) for piece in pieces]
        where, placed = placed_condition(pieces, "strpos(term, %s)")
        params += [min_length, max_length, *placed]
        cursor.execute(
            f"SELECT term FROM core_search_term WHERE ({conditions}) "
            f"AND length(term) BETWEEN %s AND %s{where} "
            'ORDER BY length(term), term COLLATE "C" LIMIT %s',
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]

    def known_terms(self, cursor, terms):
        cursor.execute("SELECT term FROM core_search_term WHERE term = ANY(%s)", [list(terms)])
        return {row[0] for row in cursor.fetchall()}

    @staticmethod
    def _key(cursor) -> str:
        return getattr(getattr(cursor, "db", None), "alias", "default")

    def _term_statistics(self, cursor) -> tuple[dict[str, float], float] | None:
        """The planner's statistics on ``terms``: the share of rows holding each of the
        commonest terms, and the smallest share listed (every other term is rarer)."""
        key = ("terms", self._key(cursor))
        cached = self._statistics.get(key)
        if cached is not None and time.monotonic() - cached[0] < STATISTICS_SECONDS:
            return cached[1], cached[2]
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'core_search_document' "
            "AND attname = 'terms'"
        )
        row = cursor.fetchone()
        if row is None or not row[0]:
            return None
        terms, frequencies = row
        shares = dict(zip(terms, frequencies, strict=False))
        rarest = frequencies[len(terms)] if len(frequencies) > len(terms) else min(frequencies)
        self._statistics[key] = (time.monotonic(), shares, rarest)
        return shares, rarest

    def document_frequencies(self, cursor, terms):
        total = self.document_count(cursor)
        statistics = self._term_statistics(cursor) if total >= STATISTICS_MIN_DOCUMENTS else None
        if statistics is not None:
            shares, rarest = statistics
            # Terms never indexed have no documents; the others at least one.
            cursor.execute("SELECT term FROM core_search_term WHERE term = ANY(%s)", [list(terms)])
            known = [row[0] for row in cursor.fetchall()]
            return {term: max(1, round(shares.get(term, rarest / 2) * total)) for term in known}
        cursor.execute(
            "SELECT term, (SELECT count(*) FROM (SELECT 1 FROM core_search_document "
            "  WHERE terms @@ to_tsquery('simple', quoted) LIMIT %s) AS found) "
            "FROM unnest(%s::text[], %s::text[]) AS asked (term, quoted)",
            [FREQUENCY_CAP, list(terms), [tsquery_literal(term) for term in terms]],
        )
        return dict(cursor.fetchall())

    def document_count(self, cursor) -> int:
        # The planner's estimate is free and close enough for telling common terms from rare
        # (and is reused for a while); small tables are simply counted.
        key = ("count", self._key(cursor))
        cached = self._statistics.get(key)
        if cached is not None and time.monotonic() - cached[0] < STATISTICS_SECONDS:
            return cached[1]
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'core_search_document'::regclass"
        )
        estimate = cursor.fetchone()[0]
        if estimate is None or estimate < 1000:
            cursor.execute("SELECT count(*) FROM core_search_document")
            return cursor.fetchone()[0]
        self._statistics[key] = (time.monotonic(), estimate)
        return estimate

    def newest_id(self, cursor) -> int:
        cursor.execute("SELECT coalesce(max(id), 0) FROM core_search_document")
        return cursor.fetchone()[0]

    # --- for the benchmark --------------------------------------------------------------

    def bare_query(self, terms, *, require_all, limit):
        return (
            "SELECT id FROM core_search_document, to_tsquery('simple', %s) AS query "
            f"WHERE terms @@ query ORDER BY ts_rank_cd('{RANK_WEIGHTS}', terms, query) DESC "
            "LIMIT %s",
            [tsquery([[t] for t in terms], require_all=require_all), limit],
        )
