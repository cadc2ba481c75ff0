"""Writing the index: one document, many in batches, a removal, or a whole kind rebuilt."""

from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from hjulet.lib.text import DEFAULT_LANGUAGE, CachingAnalyser, language_or_default

from ._common import _backend, _clean
from .base import Row


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
