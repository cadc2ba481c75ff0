"""TF-IDF and cosine similarity against values worked out by hand."""

import math

import pytest

from hjulet.lib.similarity import cosine, idf, rank, vector

DOCUMENTS = {
    "a": ["ensam", "aldr", "ensam"],
    "b": ["aldr", "bostad"],
    "c": ["skol"],
}


def test_idf_is_smoothed_and_rarer_terms_weigh_more():
    weights = idf(DOCUMENTS)
    # N = 3; "aldr" is in 2 documents, "ensam" in 1.
    assert weights["aldr"] == pytest.approx(math.log(4 / 3) + 1)  # 1.2877
    assert weights["ensam"] == pytest.approx(math.log(4 / 2) + 1)  # 1.6931
    assert weights["ensam"] > weights["aldr"]


def test_vector_counts_terms_and_ignores_unknown_ones():
    weights = {"ensam": 2.0, "aldr": 1.0}
    assert vector(["ensam", "ensam", "aldr", "okand"], weights) == {"ensam": 4.0, "aldr": 1.0}


def test_cosine_by_hand():
    # (1,1)·(1,0) = 1; |(1,1)| = √2; |(1,0)| = 1 → 1/√2
    assert cosine({"x": 1, "y": 1}, {"x": 1}) == pytest.approx(1 / math.sqrt(2))
    assert cosine({"x": 1}, {"y": 1}) == 0
    assert cosine({}, {"x": 1}) == 0


def test_rank_orders_by_cosine_and_explains_with_shared_terms():
    ranked = rank(["ensam", "aldr"], DOCUMENTS)
    assert [r.key for r in ranked] == ["a", "b"]  # "c" shares nothing and is left out
    w_ensam, w_aldr = math.log(2) + 1, math.log(4 / 3) + 1
    # query (ensam: w_e, aldr: w_a); a (ensam: 2·w_e, aldr: w_a)
    expected_a = (2 * w_ensam**2 + w_aldr**2) / (
        math.hypot(w_ensam, w_aldr) * math.hypot(2 * w_ensam, w_aldr)
    )
    assert ranked[0].score == pytest.approx(expected_a)  # ≈ 7.3916 / (2.1272 · 3.6229)
    assert ranked[0].score == pytest.approx(0.9591, abs=1e-4)
    assert ranked[0].shared_terms == ("ensam", "aldr")  # ensam contributes more
    # b (aldr: w_a, bostad: w_b)
    w_bostad = math.log(2) + 1
    expected_b = w_aldr**2 / (math.hypot(w_ensam, w_aldr) * math.hypot(w_aldr, w_bostad))
    assert ranked[1].score == pytest.approx(expected_b)
    assert ranked[1].shared_terms == ("aldr",)


def test_rank_with_nothing_in_common_or_no_documents():
    assert rank(["okand"], DOCUMENTS) == []
    assert rank(["ensam"], {}) == []
    assert len(rank(["aldr"], DOCUMENTS, limit=1)) == 1
