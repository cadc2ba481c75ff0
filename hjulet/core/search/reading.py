"""Reading the index: ``search`` (the rounds described in the package's documentation) and
``similar`` ("finns det redan?")."""

from collections.abc import Sequence

from django.db import connection

from hjulet.lib.text import analyse, is_stop_word

from ._common import _backend, _clean, _unique
from .base import Backend
from .highlight import Highlighter
from .hits import Hit, _hits
from .rounds import _Rounds, _split_groups, _widened
from .synonyms import synonym_table
from .terms import _query, inflections, typos_of

#: Below this many hits, relatives of the query terms are looked for.
ENOUGH_HITS = 10
#: similar(): the text's rarest terms, at most this many, are looked for …
MAX_SIMILAR_TERMS = 8
MAX_SIMILAR_CHARACTERS = 4000
#: … leaving out terms found in more than this share of all documents, and stopping when
#: the terms chosen are found in the backend's ``rank_all_limit`` documents together.
COMMON_TERM_SHARE = 0.1


def _kinds(kinds: Sequence[str] | None) -> list[str] | None:
    if kinds is None:
        return None
    return [kinds] if isinstance(kinds, str) else [str(kind) for kind in kinds]


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
