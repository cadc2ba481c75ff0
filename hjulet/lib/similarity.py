"""TF-IDF vectors and cosine similarity over analysed terms (pure Python, no Django).

Used to rank documents (researchers' expertise) by how close they are to a text (a question),
and to explain each match with the terms both share.

Weights: ``tf × idf`` with the raw count as ``tf`` and the smoothed
``idf(t) = ln((1 + N) / (1 + df(t))) + 1``, where N is the number of documents and df(t) the
number of documents containing t. Terms that occur in no document get no weight, so the
query cannot match on them.
"""

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    score: float
    shared_terms: tuple[str, ...]  # most important first


def idf(documents: Mapping[Hashable, Sequence[str]]) -> dict[str, float]:
    count = len(documents)
    frequency: Counter[str] = Counter()
    for terms in documents.values():
        frequency.update(set(terms))
    return {term: math.log((1 + count) / (1 + df)) + 1 for term, df in frequency.items()}


def vector(terms: Sequence[str], weights: Mapping[str, float]) -> dict[str, float]:
    counts = Counter(term for term in terms if term in weights)
    return {term: count * weights[term] for term, count in counts.items()}


def cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    dot = sum(value * second[term] for term, value in first.items() if term in second)
    norms = math.sqrt(sum(v * v for v in first.values())) * math.sqrt(
        sum(v * v for v in second.values())
    )
    return dot / norms if norms else 0.0


def rank(
    query: Sequence[str], documents: Mapping[Hashable, Sequence[str]], *, limit: int = 10
) -> list[Ranked]:
    """Documents sharing at least one term with ``query``, closest first (ties by key order
    as given), each with the shared terms ordered by their contribution to the score."""
    weights = idf(documents)
    query_vector = vector(query, weights)
    ranked = []
    for key, terms in documents.items():
        document_vector = vector(terms, weights)
        score = cosine(query_vector, document_vector)
        if score <= 0:
            continue
        shared = sorted(
            (term for term in query_vector if term in document_vector),
            key=lambda term: (-query_vector[term] * document_vector[term], term),
        )
        ranked.append(Ranked(key, score, tuple(shared)))
    ranked.sort(key=lambda item: -item.score)
    return ranked[:limit]
