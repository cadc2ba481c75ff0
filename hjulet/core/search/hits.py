"""What a search returns: hits whose highlighted HTML is built when it is first read."""

from dataclasses import dataclass

from django.db import connection

from .base import Backend, Candidate
from .highlight import Highlighter


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
