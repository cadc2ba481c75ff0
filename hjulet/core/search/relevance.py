"""Measuring search against a relevance set (see hjulet/core/tests/relevance_set.py).

``evaluate`` indexes the set's documents into the real search index (on the default
connection, inside the caller's transaction), runs every judged query through ``search``
and returns precision@3 and nDCG@5 per query and on average. The test of the set
(hjulet/core/tests/test_relevance.py) and ``benchmarks/search_relevance.py`` use it.
"""

import inspect
from collections.abc import Sequence
from dataclasses import dataclass

from hjulet.lib.relevance import ndcg_at, precision_at

KIND = "relevance"


@dataclass(frozen=True)
class QueryResult:
    query: str
    ranked: list[str]
    precision_at_3: float
    ndcg_at_5: float


@dataclass(frozen=True)
class Evaluation:
    queries: list[QueryResult]

    @property
    def precision_at_3(self) -> float:
        return sum(result.precision_at_3 for result in self.queries) / len(self.queries)

    @property
    def ndcg_at_5(self) -> float:
        return sum(result.ndcg_at_5 for result in self.queries) / len(self.queries)


def index_set(documents: Sequence[tuple]) -> dict[int, str]:
    """Index the documents (key, title, body[, language]) as kind "relevance"; return
    {pk: key}."""
    from . import index_documents

    keys = {pk: document[0] for pk, document in enumerate(documents, start=1)}
    # An engine without languages (older code, for measuring "before") takes triples.
    languages = _takes_language()
    index_documents(
        kind=KIND,
        documents=[
            (pk, *document[1:]) if languages else (pk, *document[1:3])
            for pk, document in enumerate(documents, start=1)
        ],
    )
    return keys


def _takes_language() -> bool:
    from . import index_document

    return "language" in inspect.signature(index_document).parameters


def evaluate(documents: Sequence[tuple], queries: Sequence[tuple[str, dict[str, int]]]):
    from . import search

    keys = index_set(documents)
    results = []
    for query, grades in queries:
        ranked = [keys[hit.pk] for hit in search(query, kinds=[KIND], limit=10)]
        results.append(
            QueryResult(
                query=query,
                ranked=ranked,
                precision_at_3=precision_at(ranked, grades, 3),
                ndcg_at_5=ndcg_at(ranked, grades, 5),
            )
        )
    return Evaluation(results)
