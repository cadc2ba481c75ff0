"""One search for everything public: every kind the apps registered (see
``hjulet.core.search.registry``), with counts per kind, for the page /sok/ and the API.

One engine search over every registered kind (``search.search``, up to ``MAX_HITS`` hits);
then, per kind present that has visibility rules, one query for which of its hits the
person may see (and in which order among themselves: open funding calls first); then, for
the page shown, one query per kind on it for urls, titles and context lines. The queries
do not grow with the number of hits. When the engine's list is full (``MAX_HITS``) the
counts are lower bounds (``capped``) and a kind filter searches that kind alone, so none
of its hits are lost. Inside a regional hub (``area``), one more query per kind with a place
on the list: the hits in the hub's area take the list's first places among that kinds' hits,
each part in rank order; kinds without a place keep their places.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator

from hjulet.core import search
from hjulet.core.search import registry

MAX_HITS = 1000
PER_PAGE = 20
#: Longer queries are refused by the API and cut by the page.
MAX_QUERY_LENGTH = 300


@dataclass(frozen=True)
class KindCount:
    code: str
    label: str
    label_plural: str
    count: int


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    pk: int
    url: str
    title: str
    context: str
    title_html: str
    snippet_html: str


@dataclass
class Found:
    query: str
    kind: str
    counts: list[KindCount]
    #: Hits over every kind the person may see.
    total_all: int
    #: Hits in the chosen kind (or all).
    total: int
    #: The engine returned its maximum: counts are "at least".
    capped: bool
    page: Page | None
    results: list[Result] = field(default_factory=list)


def known_kind(code: str) -> bool:
    return registry.get(code) is not None


def _visible_hits(hits: Sequence[search.Hit], user: Any) -> list[search.Hit]:
    """The hits ``user`` may see, a kind's hits in the order its ``visible_ids`` gives them,
    each kind keeping the places its hits had in the list."""
    by_kind: dict[str, list[search.Hit]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit)
    queues: dict[str, list[search.Hit]] = {}
    for code, kind_hits in by_kind.items():
        kind = registry.get(code)
        if kind is None:
            continue
        if kind.visible_ids is None:
            queues[code] = kind_hits[::-1]
            continue
        by_pk = {hit.pk: hit for hit in kind_hits}
        visible = kind.visible_ids([hit.pk for hit in kind_hits], user)
        queues[code] = [by_pk[pk] for pk in visible if pk in by_pk][::-1]
    shown = []
    for hit in hits:
        queue = queues.get(hit.kind)
        if queue:
            shown.append(queue.pop())
    return shown


def _area_first(hits: list[search.Hit], area: Any) -> list[search.Hit]:
    """``hits`` with those of kinds with a place that lie in ``area`` first among the places
    such hits hold, each part in rank order; hits of kinds without a place stay where they
    are. One query per kind with a place among the hits."""
    if area is None:
        return hits
    by_kind: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit.pk)
    inside: set[tuple[str, int]] = set()
    placed: set[str] = set()
    for code, pks in by_kind.items():
        kind = registry.get(code)
        if kind is not None and kind.in_area is not None:
            placed.add(code)
            inside.update((code, pk) for pk in kind.in_area(pks, area))
    if not placed:
        return hits
    slots = [hit for hit in hits if hit.kind in placed]
    queue = [hit for hit in slots if (hit.kind, hit.pk) in inside]
    queue += [hit for hit in slots if (hit.kind, hit.pk) not in inside]
    queue.reverse()
    return [queue.pop() if hit.kind in placed else hit for hit in hits]


def _results(hits: Sequence[search.Hit], user: Any) -> list[Result]:
    pks: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        pks[hit.kind].append(hit.pk)
    entries: dict[tuple[str, int], registry.Entry] = {}
    for code, kind_pks in pks.items():
        for entry in registry.get(code).entries(kind_pks, user):
            entries[code, entry.pk] = entry
    results = []
    for hit in hits:
        entry = entries.get((hit.kind, hit.pk))
        if entry is None:
            continue
        kind = registry.get(hit.kind)
        results.append(
            Result(
                kind=hit.kind,
                kind_label=str(kind.label),
                pk=hit.pk,
                url=entry.url,
                title=entry.title,
                context=entry.context,
                title_html=hit.title_html,
                snippet_html=hit.snippet_html,
            )
        )
    return results


def find(
    query: str,
    *,
    user: Any,
    kind: str = "",
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
    area: Any = None,
) -> Found:
    """What ``user`` may see that matches ``query``, with counts per kind; ``kind`` (a
    registered code, else ignored) limits the list, not the counts; ``area`` (a regional
    hub's, ``hjulet.regions.area.Area``) puts the hits in it first. Never raises on what a
    person typed: a query without words finds nothing."""
    query = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    kind = kind if known_kind(kind) else ""
    all_kinds = [k.code for k in registry.kinds()]
    hits = search.search(query, kinds=all_kinds, limit=MAX_HITS) if query and all_kinds else []
    capped = len(hits) >= MAX_HITS
    visible = _visible_hits(hits, user)
    per_kind = Counter(hit.kind for hit in visible)
    counts = [
        KindCount(k.code, str(k.label), str(k.label_plural), per_kind.get(k.code, 0))
        for k in registry.kinds()
    ]
    if kind:
        if capped:
            listed = _visible_hits(search.search(query, kinds=[kind], limit=MAX_HITS), user)
        else:
            listed = [hit for hit in visible if hit.kind == kind]
    else:
        listed = visible
    listed = _area_first(listed, area)
    found = Found(
        query=query,
        kind=kind,
        counts=counts,
        total_all=len(visible),
        total=len(listed),
        capped=capped,
        page=None,
    )
    if listed:
        found.page = Paginator(listed, per_page).get_page(page)
        found.results = _results(found.page.object_list, user)
    return found
