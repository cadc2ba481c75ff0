"""Survey statistics against values worked out by hand (shown in the comments)."""

import math

import numpy as np
import pytest

from hjulet.lib import survey_stats as s


def test_wilson_interval_half_of_twenty():
    # p = 0.5, z² = 3.8415: centre 0.5; half-width 1.96·√(0.0125 + 0.0024)/1.19208 = 0.2007
    low, high = s.wilson_interval(10, 20)
    assert float(low) == pytest.approx(0.2993, abs=1e-4)
    assert float(high) == pytest.approx(0.7007, abs=1e-4)


def test_wilson_interval_none_of_ten_has_an_upper_bound():
    # k = 0: the interval is [0, z²/(n + z²)] = [0, 3.8415/13.8415]
    low, high = s.wilson_interval(0, 10)
    assert float(low) == 0.0
    assert float(high) == pytest.approx(3.8415 / 13.8415, abs=1e-4)


def test_wilson_interval_is_vectorised_and_nan_without_answers():
    low, high = s.wilson_interval(np.array([1, 0]), np.array([4, 0]))
    assert low[0] == pytest.approx(0.0456, abs=1e-4)  # 1 of 4: 0.0456–0.6994
    assert high[0] == pytest.approx(0.6994, abs=1e-4)
    assert math.isnan(low[1]) and math.isnan(high[1])


def test_single_choice_counts_shares_and_missing():
    codes = np.array([0, 1, 1, -1, 2, 1, -1])
    result = s.single_choice(codes, 3)
    assert result.n_answered == 5 and result.n_missing == 2
    assert result.counts.tolist() == [1, 3, 1]
    assert result.shares.tolist() == pytest.approx([0.2, 0.6, 0.2])


def test_multiple_choice_shares_are_of_those_who_answered():
    matrix = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 1, 1]], dtype=bool)
    answered = matrix.any(axis=1)
    result = s.multiple_choice(matrix, answered)
    assert result.denominator == 3 and result.n_missing == 1
    assert result.counts.tolist() == [2, 3, 1]
    assert result.shares.tolist() == pytest.approx([2 / 3, 1.0, 1 / 3])
    assert result.shares.sum() > 1  # several options per respondent


def test_number_summary():
    # 2 4 4 4 5 5 7 9: mean 5, median 4.5, squared deviations sum to 32 → sd √(32/7)
    values = np.array([2, 4, 4, np.nan, 4, 5, 5, 7, 9], dtype=float)
    summary = s.numbers(values)
    assert (summary.n_answered, summary.n_missing) == (8, 1)
    assert summary.mean == 5.0 and summary.median == 4.5
    assert summary.sd == pytest.approx(math.sqrt(32 / 7))
    assert (summary.minimum, summary.maximum) == (2.0, 9.0)


def test_number_summary_of_nothing_and_of_one():
    assert math.isnan(s.numbers(np.array([np.nan])).mean)
    one = s.numbers(np.array([3.0]))
    assert one.mean == 3.0 and math.isnan(one.sd)


def test_chi_square_without_continuity_correction():
    # expected [[12, 18], [28, 42]]; χ² = 4/12 + 4/18 + 4/28 + 4/42 = 0.79365, 1 df
    result = s.independence(np.array([[10, 20], [30, 40]]))
    assert result.test == "chi-square"
    assert result.statistic == pytest.approx(0.793651, abs=1e-6)
    assert result.dof == 1
    assert result.p_value == pytest.approx(0.37300, abs=1e-4)
    assert result.min_expected == 12.0


def test_fisher_when_an_expected_count_is_under_five():
    # Fisher's tea-tasting table: two-sided p = 34/70
    result = s.independence(np.array([[3, 1], [1, 3]]))
    assert result.test == "fisher"
    assert result.min_expected == 2.0
    assert result.p_value == pytest.approx(34 / 70, abs=1e-6)


def test_fisher_on_a_larger_sparse_table():
    result = s.independence(np.array([[3, 0, 1], [0, 3, 1]]))
    assert result.test == "fisher"
    assert 0 < result.p_value <= 1


def test_crosstab_counts_only_those_who_answered_both():
    a = np.array([0, 0, 1, 1, -1, 1])
    b = np.array([1, 0, 1, -1, 0, 1])
    counts = s.crosstab_counts(a, b, 2, 2)
    assert counts.tolist() == [[1, 1], [0, 2]]


def test_too_little_data_is_not_tested():
    result = s.independence(np.array([[5, 0], [0, 0]]))
    assert result.test == "" and math.isnan(result.p_value)
