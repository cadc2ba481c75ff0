"""The synonym table that search widens a query with (round 2, see ``search``).

Coordinators keep groups of near-synonyms as data (``hjulet.core.models.SearchSynonym``:
äldre / seniorer / pensionärer …). Each process keeps the analysed table in memory and
checks a cheap version (the number of groups and the latest change) before using it, so a
change made in any process is seen by the next search everywhere.
"""

import threading

from hjulet.lib.text import analyse

_lock = threading.Lock()
# {database alias: ((count, latest change), {term: (synonym terms …)})}
_cache: dict[str, tuple[tuple, dict[str, tuple[str, ...]]]] = {}


def split_words(words: str) -> list[str]:
    """The words of a stored group ("äldre, seniorer, pensionärer")."""
    return [word.strip() for word in words.replace("\n", ",").split(",") if word.strip()]


def build_table(groups: list[str]) -> dict[str, tuple[str, ...]]:
    """{term: the other terms of its groups} from the groups' stored words."""
    table: dict[str, dict[str, None]] = {}
    for words in groups:
        terms = list(dict.fromkeys(t for word in split_words(words) for t in analyse(word)[:1]))
        for term in terms:
            others = table.setdefault(term, {})
            others.update(dict.fromkeys(other for other in terms if other != term))
    return {term: tuple(others) for term, others in table.items() if others}


def synonym_table(cursor) -> dict[str, tuple[str, ...]]:
    """The analysed synonym table, read again only when the groups have changed."""
    cursor.execute("SELECT count(*), max(updated_at) FROM core_searchsynonym")
    version = tuple(cursor.fetchone())
    alias = getattr(getattr(cursor, "db", None), "alias", "default")
    cached = _cache.get(alias)
    if cached is not None and cached[0] == version:
        return cached[1]
    cursor.execute("SELECT words FROM core_searchsynonym ORDER BY id")
    table = build_table([row[0] for row in cursor.fetchall()])
    with _lock:
        _cache[alias] = (version, table)
    return table


def forget() -> None:
    """Drop the cached tables (after a write in this process; other processes notice the
    version)."""
    with _lock:
        _cache.clear()
