"""What every database backend of the search index provides (see sqlite.py, postgresql.py).

Backends only store and look up *analysed terms* (hjulet.lib.text.analyse); analysing,
planning a query and highlighting happen once, in Python, for both databases.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple


class Candidate(NamedTuple):
    """One matching document: internal id, the caller's kind and pk, and the database's
    relevance (higher is better; only comparable within one query)."""

    id: int
    kind: str
    pk: int
    rank: float


class Piece(NamedTuple):
    """A substring to look for in the vocabulary; when ``first`` is set, it must start at a
    0-based position between ``first`` and ``last``."""

    text: str
    first: int | None = None
    last: int | None = None


@dataclass(frozen=True)
class Match:
    """What one round of a search asks a backend for: documents with a term of every group
    (``require_all``) or of any group, of ``kinds`` (None: all), leaving out the internal
    ``exclude_ids`` and the ``exclude`` (kind, pk), at most ``limit``. ``title_only``:
    matched and ranked in titles alone; ``not_in_title``: leaving out those that
    ``title_only`` finds; ``ids``: only internal ids in [first, last); ``with_parts``: a term
    may also match a compound part (ranked lower)."""

    groups: Sequence[Sequence[str]]
    require_all: bool
    kinds: Sequence[str] | None
    exclude_ids: Sequence[int]
    exclude: tuple[str, int] | None
    limit: int
    title_only: bool = False
    not_in_title: bool = False
    ids: tuple[int, int] | None = None
    with_parts: bool = False


def placed_condition(pieces: Sequence[Piece], position: str) -> tuple[str, list[Any]]:
    """``" AND (…)"`` keeping only the terms that hold a placed piece where it belongs, and
    its parameters; ``position`` is the SQL of a piece's 1-based position in the term with
    a ``%s`` for the piece (``"strpos(term, %s)"``). Empty when no piece is placed."""
    placed = [piece for piece in pieces if piece.first is not None]
    if not placed:
        return "", []
    where = " AND (" + " OR ".join([f"{position} BETWEEN %s AND %s"] * len(placed)) + ")"
    params = [value for p in placed for value in (p.text, p.first + 1, p.last + 1)]
    return where, params


#: A document to write: (pk, title, body, language, title terms, body terms, part terms).
Row = tuple[int, str, str, str, list[str], list[str], list[str]]


class Backend:
    vendor = ""
    #: Above this many expected matches, ranking them all would be too slow (see search()).
    rank_all_limit = 10_000

    def write(
        self,
        cursor: Any,
        *,
        kind: str,
        pk: int,
        title: str,
        body: str,
        language: str,
        title_terms: list[str],
        body_terms: list[str],
        part_terms: list[str],
    ) -> None:
        """Insert the document, or replace the one with the same kind and pk. ``part_terms``
        are the analysed parts of its compounds, matched only when a query asks for them."""
        raise NotImplementedError

    def write_many(self, cursor: Any, *, kind: str, rows: Iterable[Row]) -> int:
        """Insert many documents of a kind that holds none; return how many."""
        raise NotImplementedError

    def add_many(self, cursor: Any, *, kind: str, rows: Sequence[Row]) -> None:
        """Insert a batch of documents of a kind that may already hold some (those with the
        same pk are replaced), in a number of statements that does not grow with the batch."""
        raise NotImplementedError

    def delete(self, cursor: Any, *, kind: str, pk: int) -> None:
        raise NotImplementedError

    def delete_kind(self, cursor: Any, *, kind: str) -> None:
        raise NotImplementedError

    def match(self, cursor: Any, query: "Match") -> list[Candidate]:
        """The documents ``query`` asks for, best first."""
        raise NotImplementedError

    def texts(self, cursor: Any, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """{id: (title, body)} as indexed."""
        raise NotImplementedError

    def terms_containing(
        self, cursor: Any, pieces: Sequence[Piece], *, min_length: int, max_length: int, limit: int
    ) -> list[str]:
        """Indexed terms (shortest first) containing any of the pieces (3+ characters each)."""
        raise NotImplementedError

    def known_terms(self, cursor: Any, terms: Sequence[str]) -> set[str]:
        """Which of ``terms`` the index holds."""
        raise NotImplementedError

    def document_frequencies(self, cursor: Any, terms: Sequence[str]) -> dict[str, int]:
        """{term: number of documents containing it}; a rough figure is good enough."""
        raise NotImplementedError

    def document_count(self, cursor: Any) -> int:
        """How many documents the index holds (an estimate will do)."""
        raise NotImplementedError

    def newest_id(self, cursor: Any) -> int:
        """The largest internal id: ids grow as documents are first indexed."""
        raise NotImplementedError

    def bare_query(
        self, terms: Sequence[str], *, require_all: bool, limit: int
    ) -> tuple[str, list[Any]]:
        """SQL and parameters of the plainest ranked query for ``terms`` (benchmark only)."""
        raise NotImplementedError
