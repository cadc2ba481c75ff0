"""The kinds of content the site-wide search finds, registered by the apps that own them.

Core knows nothing about the apps' models: each app registers its searchable kinds in its
``AppConfig.ready()`` with ``register(SearchableKind(...))``, saying

- ``code``: the kind the app indexes its documents under (``search.index_document(kind=…)``);
- ``label`` / ``label_plural``: what a person calls one and several (translatable);
- ``visible_ids(pks, user)``: which of these primary keys ``user`` may see, in the order
  they should be shown among themselves (the given order, or nudged: open funding calls
  first). One query, whatever the number of pks. ``None`` for a kind whose every indexed
  document is public (its services keep the index in step with every write): the hits are
  shown as found, without a query;
- ``entries(pks, user)``: the objects ``user`` may see among ``pks``, as ``Entry`` (url,
  title, a short line of context), ordered as given. A bounded number of queries;
- ``rebuild()``: refill the index for the kind from the database, returning how many
  (``rebuild_from`` does it from a queryset of what may be found);
- ``in_area(pks, area)``: which of these pks lie in a regional hub's area
  (``hjulet.regions.area.Area``), one query; ``None`` for a kind without a place. Inside a
  hub the search shows these first (see ``hjulet.core.site_search``).

The index holds only what is public, and apps take a document out when it stops being
public (hidden, unpublished, deleted); ``visible_ids`` checks again on every search so a
stale entry is never shown.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import index_document, rebuild, remove_document


@dataclass(frozen=True)
class Entry:
    """One found object as a results list shows it."""

    pk: int
    url: str
    title: str
    context: str = ""


@dataclass(frozen=True)
class SearchableKind:
    code: str
    label: str | Promise
    label_plural: str | Promise
    visible_ids: Callable[[Sequence[int], Any], list[int]] | None
    entries: Callable[[Sequence[int], Any], list[Entry]]
    rebuild: Callable[[], int]
    #: Place in the filter by kind (lower first).
    position: int = 100
    #: Which pks lie in a hub's area (one query); None for a kind without a place.
    in_area: Callable[[Sequence[int], Any], Iterable[int]] | None = None


_KINDS: dict[str, SearchableKind] = {}
#: Kinds an app indexes for its own use (the science shop's researcher profiles): rebuilt with
#: the others, never found by the site-wide search.
_PRIVATE_KINDS: dict[str, Callable[[], int]] = {}


def register(kind: SearchableKind) -> None:
    """Register (or re-register) a searchable kind."""
    if not kind.code or not kind.code.replace("_", "").isalnum():
        raise ValueError(f"A search kind's code is letters, digits and _: {kind.code!r}")
    _KINDS[kind.code] = kind


def register_private(code: str, rebuild: Callable[[], int]) -> None:
    """Register a kind that is indexed but never shown by the site-wide search."""
    _PRIVATE_KINDS[code] = rebuild


def kinds() -> list[SearchableKind]:
    """Every registered kind, in the order the filter shows them."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.position, kind.code))


def get(code: str) -> SearchableKind | None:
    return _KINDS.get(code)


def rebuild_all() -> dict[str, int]:
    """Refill the index for every registered kind, public or private; {kind: documents}."""
    counts = {kind.code: kind.rebuild() for kind in kinds()}
    counts.update({code: rebuild() for code, rebuild in _PRIVATE_KINDS.items()})
    return counts


def documents(
    queryset: Any, document: Callable[[Any], tuple[str, str]], *, chunk_size: int = 2000
) -> Iterator[tuple[int, str, str]]:
    """Each object's ``(pk, title, body)``, read a chunk at a time: what a kind's ``rebuild``
    gives ``search.rebuild``."""
    for entry in queryset.iterator(chunk_size=chunk_size):
        yield (entry.pk, *document(entry))


def rebuild_from(
    kind: str,
    queryset: Any,
    document: Callable[[Any], tuple[str, str]],
    *,
    chunk_size: int = 2000,
) -> int:
    """Refill the index for ``kind`` with the ``document`` of each object of ``queryset``
    (what may be found): a kind's ``rebuild``. Returns how many."""
    return rebuild(kind, documents(queryset, document, chunk_size=chunk_size))


def index_object(kind: str, obj: Any, document: Callable[[Any], tuple[str, str]]) -> None:
    """Index ``obj`` (again) under ``kind``, with the title and body ``document`` gives."""
    title, body = document(obj)
    index_document(kind=kind, pk=obj.pk, title=title, body=body)


def index_while_public(
    kind: str, obj: Any, document: Callable[[Any], tuple[str, str]], *, public: bool
) -> None:
    """Index ``obj`` while it is public; take it out of the index when it is not."""
    if public:
        index_object(kind, obj, document)
    else:
        remove_document(kind=kind, pk=obj.pk)


def visible_among(queryset: Any, pks: Sequence[int]) -> list[int]:
    """The ``pks`` that ``queryset`` (what may be seen) holds, in the order given; one query."""
    found = set(queryset.filter(pk__in=list(pks)).values_list("pk", flat=True))
    return [pk for pk in pks if pk in found]


def ordered(objects: dict[int, Any], pks: Sequence[int]) -> list[Any]:
    """``objects`` (by pk) in the order of ``pks``, leaving out those missing."""
    return [objects[pk] for pk in pks if pk in objects]


def entries_of(
    found: Iterable[Any],
    pks: Sequence[int],
    *,
    url: Callable[[Any], str],
    context: Callable[[Any], str],
    title: Callable[[Any], str] = lambda obj: obj.title,
) -> list[Entry]:
    """The ``Entry`` of each object ``found`` (its ``title``, by default its own, its ``url``
    and ``context``), in the order of ``pks``: what a kind's ``entries`` returns."""
    return ordered(
        {
            obj.pk: Entry(pk=obj.pk, url=url(obj), title=title(obj), context=context(obj))
            for obj in found
        },
        pks,
    )


def context_line(*parts: str) -> str:
    """An entry's line of context: the parts that are not empty, between middle dots."""
    return " · ".join(part for part in parts if part)


def published_on(day: Any) -> str:
    """An entry's "published <date>" part; empty while it has no date."""
    if not day:
        return ""
    return _("published %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
