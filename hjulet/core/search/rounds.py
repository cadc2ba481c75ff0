"""The rounds of one search, and the widening of its groups of terms from round to round."""

import math

from ._common import _unique
from .base import Backend, Candidate, Match


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
        query = Match(
            groups=groups,
            require_all=require_all,
            with_parts=self.with_parts,
            kinds=self.kinds,
            exclude_ids=exclude_ids,
            exclude=self.exclude,
            limit=self.remaining,
            **scope,
        )
        found = self.backend.match(self.cursor, query)
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
            span = _next_span(span, upper - lower, found, self.remaining, limit)
            upper = lower


#: How many more documents than needed the next slice is sized for (matches are not spread
#: evenly over the ids).
SLICE_MARGIN = 1.25


def _next_span(span: int, ids: int, found: int, remaining: int, limit: int) -> int:
    """The ids of the next slice: as many as should hold the ``remaining`` hits at the last
    slice's density of matches (it found ``found`` in ``ids``), but never so many that the
    slice would rank more than half of ``limit`` documents; twice as many after a slice
    without a match. Sizing the last slice by what is missing, not doubling it, ranked some
    300 documents instead of 3,000 for a common word at national scale."""
    if not found:
        return span * 2
    density = found / ids
    return max(1, int(min(remaining * SLICE_MARGIN, limit / 2) / density))


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
