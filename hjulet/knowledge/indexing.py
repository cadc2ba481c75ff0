"""What the search index holds for each method and initiative."""

from collections.abc import Iterable, Iterator

from hjulet.core import search

from .models import Initiative, Method
from .selectors import forget_facet_counts


def method_document(method: Method) -> tuple[str, str]:
    body = [
        method.summary,
        method.what,
        method.how,
        method.why,
        method.requirements,
        method.evidence,
    ]
    return method.title, "\n".join(body)


def initiative_document(initiative: Initiative) -> tuple[str, str]:
    body = [
        initiative.summary,
        initiative.description,
        initiative.results,
        initiative.evidence,
        initiative.place_name,
        initiative.place,
    ]
    return initiative.title, "\n".join(body)


def index_method(method: Method) -> None:
    title, body = method_document(method)
    search.index_document(
        kind="method", pk=method.pk, title=title, body=body, language=method.language
    )


def index_initiative(initiative: Initiative) -> None:
    title, body = initiative_document(initiative)
    search.index_document(
        kind="initiative", pk=initiative.pk, title=title, body=body, language=initiative.language
    )


def index_initiatives(initiatives: Iterable[Initiative]) -> int:
    """Index many initiatives (their municipality already loaded) a batch at a time."""
    return search.index_documents(
        kind="initiative",
        documents=(
            (initiative.pk, *initiative_document(initiative), initiative.language)
            for initiative in initiatives
        ),
    )


def _documents(queryset, document) -> Iterator[tuple[int, str, str, str]]:
    for entry in queryset.iterator(chunk_size=2000):
        yield (entry.pk, *document(entry), entry.language)


def rebuild_methods() -> int:
    return search.rebuild("method", _documents(Method.objects.all(), method_document))


def rebuild_initiatives() -> int:
    forget_facet_counts()
    return search.rebuild(
        "initiative",
        _documents(Initiative.objects.select_related("municipality"), initiative_document),
    )


def rebuild_all() -> dict[str, int]:
    """Refill the index for every method and initiative (after a restore or an upgrade)."""
    return {"method": rebuild_methods(), "initiative": rebuild_initiatives()}
