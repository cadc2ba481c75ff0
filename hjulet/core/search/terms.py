"""What a query looks for: its words' terms and compound parts, the indexed inflections of
its terms and the indexed terms a typo or two away."""

from hjulet.lib.text import (
    analyse_query_word,
    compound_parts,
    edit_distance,
    is_stop_word,
    tokens,
)

from ._common import _clean, _unique
from .base import Backend, Piece

#: A query is cut to this many characters and this many distinct terms.
MAX_QUERY_CHARACTERS = 2000
MAX_QUERY_TERMS = 12
MAX_TYPOS_PER_TERM = 8
#: A longer form of a query term, found with its typos, has at most this many more letters.
MAX_TAIL = 3
MAX_TYPO_CANDIDATES = 400


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
