"""Swedish full-text search over any app's content.

Apps register what people should find: a service calls ``index_document`` inside its
transaction whenever it writes something searchable, and ``remove_document`` when it deletes
it; ``rebuild`` refills one kind from scratch (for a management command). Views call
``search`` for the search page and ``similar`` for "finns det redan?" while someone types.

Text is analysed once, in Python (``hjulet.lib.text``: words → no diacritics → Swedish or
English stem, and the parts of Swedish compounds on a lexicon), and the databases only ever
see analysed terms, as bound parameters inside quoted literals: no user text reaches FTS5 or
tsquery syntax. A query runs in up to five rounds (tiers), each ranked by the database and
placed after the one before; rounds 2–5 only while fewer than ``ENOUGH_HITS`` were found:

1. every query word as a whole word (any inflection);
2. every word or one of its synonyms (``synonyms``: data that coordinators keep);
3. … or a part of a compound ("vandring" → "trygghetsvandringar", never "äldre" →
   "föräldrar"), then a compound query word by its parts;
4. … or an indexed term a typo or two away ("fritidsbamken" → "fritidsbanken");
5. (for several words) any of the words, with all of the above.

A round that would match too many documents to rank them all quickly is ranked in tiers
(see ``_Rounds``). Hits build their HTML only when it is read.

See docs/architecture.md, "Search", for the design on each database.
"""

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from hjulet.lib.text import (
    DEFAULT_LANGUAGE,
    CachingAnalyser,
    analyse,
    analyse_query_word,
    compound_parts,
    edit_distance,
    is_stop_word,
    language_or_default,
    tokens,
)

from .base import Backend, Candidate, Piece, Row
from .highlight import Highlighter
from .synonyms import synonym_table

#: A query is cut to this many characters and this many distinct terms.
MAX_QUERY_CHARACTERS = 2000
MAX_QUERY_TERMS = 12
#: Below this many hits, relatives of the query terms are looked for.
ENOUGH_HITS = 10
MAX_TYPOS_PER_TERM = 8
#: A longer form of a query term, found with its typos, has at most this many more letters.
MAX_TAIL = 3
MAX_TYPO_CANDIDATES = 400
#: similar(): the text's rarest terms, at most this many, are looked for …
MAX_SIMILAR_TERMS = 8
MAX_SIMILAR_CHARACTERS = 4000
#: … leaving out terms found in more than this share of all documents, and stopping when
#: the terms chosen are found in the backend's ``rank_all_limit`` documents together.
COMMON_TERM_SHARE = 0.1


@dataclass(frozen=True)
class Hit:
    """One found document. ``score`` is higher for better hits and only compares hits of one
    result list. ``title_html`` and ``snippet_html`` are escaped HTML (safe to render as is)
    with the matching words in ``<mark>``; the snippet is about 30 words of the body around
    its first match."""

    kind: str
    pk: int
    score: float
    title_html: str
    snippet_html: str


class _Texts:
    """The titles and bodies behind one result list, read from the index when a hit's HTML
    is first wanted, a window of hits at a time in rank order: a search may return a
    thousand hits of which a page shows twenty, and bodies are the bulk of the index."""

    WINDOW = 50

    def __init__(self, backend: Backend, ids: list[int]) -> None:
        self.backend, self.ids = backend, ids
        self.position = {document_id: index for index, document_id in enumerate(ids)}
        self.loaded: dict[int, tuple[str, str]] = {}

    def get(self, document_id: int) -> tuple[str, str]:
        if document_id not in self.loaded:
            start = self.position[document_id]
            window = [d for d in self.ids[start:] if d not in self.loaded][: self.WINDOW]
            with connection.cursor() as cursor:
                found = self.backend.texts(cursor, window)
            # A document removed a moment ago by another transaction has no text left.
            self.loaded.update({d: found.get(d, ("", "")) for d in window})
        return self.loaded[document_id]


class _Hit(Hit):
    """A Hit that builds ``title_html`` and ``snippet_html`` when one is first read.
    Otherwise it is a Hit like any other (equal, hashable, printable, picklable, usable
    with dataclasses.replace)."""

    def __init__(
        self,
        kind: str,
        pk: int,
        score: float,
        title_html: str | None = None,
        snippet_html: str | None = None,
        *,
        source: tuple[_Texts, int, Highlighter] | None = None,
    ) -> None:
        # Frozen: set the fields the way dataclasses' own __init__ does, past __setattr__.
        self.__dict__.update(kind=kind, pk=pk, score=score, _source=source)
        if title_html is not None and snippet_html is not None:
            self.__dict__.update(title_html=title_html, snippet_html=snippet_html)

    def __getattr__(self, name: str):
        source = self.__dict__.get("_source")
        if name not in ("title_html", "snippet_html") or source is None:
            raise AttributeError(name)
        texts, document_id, highlighter = source
        title, body = texts.get(document_id)
        self.__dict__.update(
            title_html=highlighter.title_html(title),
            snippet_html=highlighter.snippet_html(body),
            _source=None,
        )
        return self.__dict__[name]

    def _fields(self) -> tuple[str, int, float, str, str]:
        return (self.kind, self.pk, self.score, self.title_html, self.snippet_html)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Hit):
            return self._fields() == (
                other.kind,
                other.pk,
                other.score,
                other.title_html,
                other.snippet_html,
            )
        return NotImplemented

    __hash__ = Hit.__hash__

    def __reduce__(self):
        return (Hit, self._fields())


_BACKENDS: dict[str, Backend] = {}


def _backend() -> Backend:
    vendor = connection.vendor
    if vendor not in _BACKENDS:
        if vendor == "sqlite":
            from .sqlite import SQLiteBackend

            _BACKENDS[vendor] = SQLiteBackend()
        elif vendor == "postgresql":
            from .postgresql import PostgreSQLBackend

            _BACKENDS[vendor] = PostgreSQLBackend()
        else:
            raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {vendor}.")
    return _BACKENDS[vendor]


def _clean(text: str | None) -> str:
    # PostgreSQL cannot store NUL characters; nobody means them.
    return (text or "").replace("\x00", "")


# --- writing --------------------------------------------------------------------------


def _row(
    pk: int, title: str, body: str, language: str, analyser: CachingAnalyser | None = None
) -> Row:
    title, body, language = _clean(title), _clean(body), language_or_default(language)
    analyser = analyser or CachingAnalyser(language)
    title_terms, title_parts = analyser.with_parts(title)
    body_terms, body_parts = analyser.with_parts(body)
    return (pk, title, body, language, title_terms, body_terms, [*title_parts, *body_parts])


def index_document(*, kind: str, pk: int, title: str, body: str, language: str = "sv") -> None:
    """Index (or re-index) one document, on the default database connection and so inside
    the caller's transaction: if that rolls back, so does the index entry. ``language`` is
    "sv" (Swedish, the default) or "en" (English); anything else is taken as Swedish."""
    pk, title, body, language, title_terms, body_terms, part_terms = _row(pk, title, body, language)
    with connection.cursor() as cursor:
        _backend().write(
            cursor,
            kind=kind,
            pk=pk,
            title=title,
            body=body,
            language=language,
            title_terms=title_terms,
            body_terms=body_terms,
            part_terms=part_terms,
        )


#: Documents written per batch by ``index_documents``.
INDEX_BATCH_SIZE = 1000

#: What ``index_documents`` and ``rebuild`` take: (pk, title, body) or (pk, title, body,
#: language).
Document = tuple[int, str, str] | tuple[int, str, str, str]


class _Analysers(dict):
    """One caching analyser per language, for a bulk write."""

    def __missing__(self, language: str) -> CachingAnalyser:
        analyser = self[language] = CachingAnalyser(language)
        return analyser


def _rows(documents: Iterable[Document]) -> Iterator[Row]:
    analysers = _Analysers()
    for document in documents:
        pk, title, body, *rest = document
        language = language_or_default(rest[0] if rest else DEFAULT_LANGUAGE)
        yield _row(pk, title, body, language, analysers[language])


def index_documents(*, kind: str, documents: Iterable[Document]) -> int:
    """Index (or re-index) many documents of one kind, (pk, title, body) or (pk, title,
    body, language) each, like ``index_document`` (on the default connection, inside the
    caller's transaction) but a batch at a time: a bulk import's queries do not grow with
    its rows. Returns how many."""
    backend = _backend()
    count = 0
    batch: list[Row] = []
    with connection.cursor() as cursor:
        for row in _rows(documents):
            batch.append(row)
            if len(batch) >= INDEX_BATCH_SIZE:
                backend.add_many(cursor, kind=kind, rows=batch)
                count += len(batch)
                batch = []
        backend.add_many(cursor, kind=kind, rows=batch)
    return count + len(batch)


def remove_document(*, kind: str, pk: int) -> None:
    """Take a document out of the index (nothing happens if it is not there)."""
    with connection.cursor() as cursor:
        _backend().delete(cursor, kind=kind, pk=pk)


def rebuild(kind: str, documents: Iterable[Document]) -> int:
    """Replace every document of ``kind`` with ``documents`` ((pk, title, body) or (pk,
    title, body, language) each), in one transaction; return how many were indexed."""
    with transaction.atomic(), connection.cursor() as cursor:
        backend = _backend()
        backend.delete_kind(cursor, kind=kind)
        return backend.write_many(cursor, kind=kind, rows=_rows(documents))


# --- reading --------------------------------------------------------------------------


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _query(query: str) -> list[tuple[list[str], list[str]]]:
    """(terms, compound parts) of each word the query looks for."""
    words: dict[str, tuple[list[str], list[str]]] = {}
    for word in tokens(_clean(query)[:MAX_QUERY_CHARACTERS]):
        found = analyse_query_word(word)
        if found and found[0] not in words:
            words[found[0]] = (found, compound_parts(word))
    content = [word for word in words.values() if not any(map(is_stop_word, word[0]))]
    return (content or list(words.values()))[:MAX_QUERY_TERMS]


def query_groups(query: str) -> list[list[str]]:
    """The terms a query looks for, one group per word: its Swedish term and, for a word
    that could be English, its English term (see ``analyse_query_word``). Common words are
    left out unless the query has nothing else."""
    return [terms for terms, _parts in _query(query)]


def query_terms(query: str) -> list[str]:
    """The (Swedish) analysed terms a query looks for: common words are left out unless the
    query has nothing else."""
    return [group[0] for group in query_groups(query)]


#: Endings (folded) that Snowball's Swedish stemmer sometimes leaves on a word
#: ("språkcaféet" → "sprakcafeet"): an indexed term that is a query term plus one of these
#: is taken as the same word.
_TAILS = "e a n t s en et er ar or na ns ts eet ets ens ern ers erna arna orna"
INFLECTION_TAILS = tuple(_TAILS.split(" "))
MIN_INFLECTED_TERM = 4


def inflections(cursor, backend: Backend, groups: list[list[str]]) -> list[list[str]]:
    """For each group, the indexed terms that are its Swedish term plus an inflection tail."""
    asked = {
        group[0]: [group[0] + tail for tail in INFLECTION_TAILS]
        for group in groups
        if len(group[0]) >= MIN_INFLECTED_TERM and not group[0].isdigit()
    }
    if not asked:
        return [[] for _group in groups]
    known = backend.known_terms(cursor, [term for terms in asked.values() for term in terms])
    return [[term for term in asked.get(group[0], ()) if term in known] for group in groups]


def allowed_typos(term: str) -> int:
    """How many letters may differ between a query term and an indexed term it finds."""
    if term.isdigit() or len(term) < 6:
        return 0
    return 1 if len(term) < 9 else 2


def _typo_pieces(term: str, typos: int) -> list[Piece]:
    """``typos`` + 1 consecutive pieces of ``term``: a word at most ``typos`` edits away keeps
    at least one of them intact, at about the same place."""
    count = typos + 1
    size, extra = divmod(len(term), count)
    pieces, start = [], 0
    for index in range(count):
        length = size + (1 if index < extra else 0)
        pieces.append(Piece(term[start : start + length], max(0, start - typos), start + typos))
        start += length
    return pieces


def typos_of(cursor, backend: Backend, term: str) -> list[str]:
    """Indexed terms a typo or two away from ``term``, nearest first, then those that are
    ``term`` and a few more letters ("trygghetsvandr" → "trygghetsvandring")."""
    typos = allowed_typos(term)
    if not typos:
        return []
    longer = backend.terms_containing(
        cursor,
        [Piece(term, 0, 0)],
        min_length=len(term) + 1,
        max_length=len(term) + MAX_TAIL,
        limit=MAX_TYPOS_PER_TERM,
    )
    candidates = backend.terms_containing(
        cursor,
        _typo_pieces(term, typos),
        min_length=len(term) - typos,
        max_length=len(term) + typos,
        limit=MAX_TYPO_CANDIDATES,
    )
    near = sorted(
        (distance, candidate)
        for candidate in candidates
        if candidate != term and (distance := edit_distance(term, candidate, typos)) <= typos
    )
    return _unique([candidate for _distance, candidate in near[:MAX_TYPOS_PER_TERM]] + longer)


def _kinds(kinds: Sequence[str] | None) -> list[str] | None:
    if kinds is None:
        return None
    return [kinds] if isinstance(kinds, str) else [str(kind) for kind in kinds]


def _hits(backend: Backend, rounds: list[list[Candidate]], highlighter: Highlighter) -> list[Hit]:
    """Hits in round order; a round's scores all lie above the next round's."""
    texts = _Texts(backend, [found.id for round_ in rounds for found in round_])
    hits = []
    for index, round_ in enumerate(rounds):
        floor = len(rounds) - index
        for found in round_:
            rank = max(float(found.rank or 0.0), 0.0)
            score = floor + rank / (1.0 + rank)
            hits.append(_Hit(found.kind, found.pk, score, source=(texts, found.id, highlighter)))
    return hits


class _Rounds:
    """The rounds of one search, each ranking documents that no earlier round found.

    A round that would match so many documents that ranking them all is slow (more than the
    backend's ``rank_all_limit``) goes tier by tier instead: first the documents matching in
    their titles alone, then the others a slice of (newest) documents at a time, each tier
    ranked on its own, until there are enough hits."""

    def __init__(
        self,
        cursor,
        backend: Backend,
        kinds: list[str] | None,
        limit: int,
        exclude: tuple[str, int] | None = None,
    ) -> None:
        self.cursor, self.backend, self.kinds, self.limit = cursor, backend, kinds, limit
        self.exclude = exclude
        self.found: list[list[Candidate]] = []
        self.with_parts = False
        self.seen: list[int] = []
        self._frequencies: dict[str, int] = {}
        self._total: int | None = None

    @property
    def remaining(self) -> int:
        return self.limit - len(self.seen)

    def _ask(self, groups, require_all: bool, exclude_ids: list[int], **scope) -> int:
        found = self.backend.match(
            self.cursor,
            groups=groups,
            require_all=require_all,
            with_parts=self.with_parts,
            kinds=self.kinds,
            exclude_ids=exclude_ids,
            exclude=self.exclude,
            limit=self.remaining,
            **scope,
        )
        if found:
            self.found.append(found)
            self.seen.extend(candidate.id for candidate in found)
        return len(found)

    def expected_matches(self, groups: list[list[str]], require_all: bool) -> float:
        """About how many documents match (as if terms occurred independently)."""
        asked = [term for group in groups for term in group if term not in self._frequencies]
        if asked:
            self._frequencies.update(self.backend.document_frequencies(self.cursor, asked))
        if self._total is None:
            self._total = self.backend.document_count(self.cursor)
        total = self._total
        if not total:
            return 0.0
        shares = [
            min(1.0, sum(self._frequencies.get(term, 0) for term in group) / total)
            for group in groups
        ]
        if require_all:
            return total * math.prod(shares)
        return total * min(1.0, sum(shares))

    def round(
        self, groups: list[list[str]], *, require_all: bool, with_parts: bool = False
    ) -> None:
        if self.remaining <= 0:
            return
        self.with_parts = with_parts
        earlier = list(self.seen)  # few: later rounds only run after a small first one
        expected = self.expected_matches(groups, require_all)
        limit = self.backend.rank_all_limit
        if expected <= limit:
            self._ask(groups, require_all, earlier)
            return
        self._ask(groups, require_all, earlier, title_only=True)
        newest = self.backend.newest_id(self.cursor)
        span = max(1, int(limit / 2 * newest / expected))
        upper = newest + 1
        while self.remaining > 0 and upper > 1:
            lower = max(1, upper - span)
            found = self._ask(groups, require_all, earlier, not_in_title=True, ids=(lower, upper))
            if found < limit / 4:
                span *= 2  # fewer than expected here: take bigger slices
            upper = lower


def _widened(groups: list[list[str]], extra: list[list[str]]) -> list[list[str]]:
    return [_unique([*group, *more]) for group, more in zip(groups, extra, strict=True)]


def _split_groups(
    groups: list[list[str]], words: list[tuple[list[str], list[str]]], table: dict
) -> list[list[str]]:
    """The groups with each compound word replaced by its parts (and their synonyms)."""
    split: list[list[str]] = []
    for group, (_terms, parts) in zip(groups, words, strict=True):
        if parts:
            split += [[part, *table.get(part, ())] for part in parts]
        else:
            split.append(group)
    return split


def search(query: str, *, kinds: Sequence[str] | None = None, limit: int = 1000) -> list[Hit]:
    """Documents matching ``query``, best first (see the module's description of the
    rounds). ``kinds`` limits the search to those kinds. Never raises on what a person
    typed; a query without words gives []."""
    kinds = _kinds(kinds)
    if limit <= 0 or kinds == []:
        return []
    words = _query(query)
    if not words:
        return []
    groups = [terms for terms, _parts in words]
    backend = _backend()
    enough = min(ENOUGH_HITS, limit)
    with connection.cursor() as cursor:
        rounds = _Rounds(cursor, backend, kinds, limit)
        # 1. Every word, as a whole word (any inflection).
        groups = _widened(groups, inflections(cursor, backend, groups))
        rounds.round(groups, require_all=True)
        highlighted = {term for group in groups for term in group}
        if len(rounds.seen) < enough:
            # 2. Every word or a synonym of it.
            table = synonym_table(cursor)
            synonyms = [[s for term in group for s in table.get(term, ())] for group in groups]
            if any(synonyms):
                groups = _widened(groups, synonyms)
                rounds.round(groups, require_all=True)
                highlighted.update(term for group in groups for term in group)
        if len(rounds.seen) < enough:
            # 3. … or a part of a compound; then a compound of the query by its parts.
            rounds.round(groups, require_all=True, with_parts=True)
            if any(parts for _terms, parts in words) and len(rounds.seen) < enough:
                rounds.round(
                    _split_groups(groups, words, synonym_table(cursor)),
                    require_all=True,
                    with_parts=True,
                )
        if len(rounds.seen) < enough:
            # 4. … or a word a typo or two away.
            typos = [typos_of(cursor, backend, group[0]) for group in groups]
            if any(typos):
                groups = _widened(groups, typos)
                rounds.round(groups, require_all=True, with_parts=True)
                highlighted.update(term for group in groups for term in group)
        if len(groups) > 1 and len(rounds.seen) < enough:
            # 5. Any of the words, their synonyms, parts or typos.
            rounds.round(groups, require_all=False, with_parts=True)
        return _hits(backend, rounds.found, Highlighter(highlighted))


def _distinctive_terms(cursor, backend: Backend, text: str) -> list[str]:
    terms = [
        term
        for term in _unique(analyse(_clean(text)[:MAX_SIMILAR_CHARACTERS]))
        if not is_stop_word(term)
    ]
    if not terms:
        return []
    frequencies = backend.document_frequencies(cursor, terms)
    present = sorted(
        (frequency, position, term)
        for position, term in enumerate(terms)
        if (frequency := frequencies.get(term, 0)) > 0
    )
    if not present:
        return []
    common = max(ENOUGH_HITS, COMMON_TERM_SHARE * backend.document_count(cursor))
    rarest = [(f, term) for f, _p, term in present if f <= common] or [
        (f, term) for f, _p, term in present[:2]
    ]
    chosen, postings = [], 0
    for frequency, term in rarest[:MAX_SIMILAR_TERMS]:
        # Ranking costs about the same for every document holding a term.
        if len(chosen) >= 2 and postings + frequency > backend.rank_all_limit:
            break
        chosen.append(term)
        postings += frequency
    return chosen


def distinctive_terms(text: str) -> list[str]:
    """The terms ``similar`` looks for in ``text``: its rarest indexed terms, common words
    left out."""
    with connection.cursor() as cursor:
        return _distinctive_terms(cursor, _backend(), text)


def similar(
    text: str,
    *,
    kinds: Sequence[str] | None = None,
    exclude: tuple[str, int] | None = None,
    limit: int = 5,
) -> list[Hit]:
    """The documents most like ``text`` (say, the title and summary of something being
    written): any of its rarest terms, ranked. ``exclude`` = (kind, pk) leaves the document
    being edited out. Cheap enough to run on every keystroke."""
    kinds = _kinds(kinds)
    if limit <= 0 or kinds == []:
        return []
    backend = _backend()
    with connection.cursor() as cursor:
        chosen = _distinctive_terms(cursor, backend, text)
        if not chosen:
            return []
        excluded = (str(exclude[0]), int(exclude[1])) if exclude is not None else None
        rounds = _Rounds(cursor, backend, kinds, limit, exclude=excluded)
        rounds.round([[term] for term in chosen], require_all=False)
        return _hits(backend, rounds.found, Highlighter(chosen))


__all__ = [
    "Hit",
    "index_document",
    "index_documents",
    "rebuild",
    "remove_document",
    "search",
    "similar",
]
