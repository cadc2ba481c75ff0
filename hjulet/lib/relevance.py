"""Measures of a ranked result list against graded relevance judgements.

A judgement grades a document for one query: 0 (not relevant, also for every document not
graded), 1 (relevant) or 2 (what the person is looking for).
"""

import math
from collections.abc import Mapping, Sequence


def precision_at(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """The share of the first ``k`` places that hold a relevant document (grade ≥ 1); places
    left empty count as misses, unless fewer than ``k`` documents are relevant at all."""
    relevant = sum(1 for grade in grades.values() if grade > 0)
    if not relevant:
        return 0.0
    found = sum(1 for key in ranked[:k] if grades.get(key, 0) > 0)
    return found / min(k, relevant)


def dcg(gains: Sequence[int]) -> float:
    return sum((2**grade - 1) / math.log2(position + 2) for position, grade in enumerate(gains))


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """Normalised discounted cumulative gain of the first ``k`` places (gain 2^grade − 1,
    discount log2(place + 1)): 1.0 when the best documents come first, in order."""
    ideal = dcg(sorted((grade for grade in grades.values() if grade > 0), reverse=True)[:k])
    if not ideal:
        return 0.0
    return dcg([grades.get(key, 0) for key in ranked[:k]]) / ideal
