"""Survey statistics against values worked out by hand (shown in the comments), published
values and, for Fisher's test on R×C tables, a brute-force enumeration in exact fractions."""

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from hjulet.lib import survey_stats as s


def _tables(rows: list[int], cols: list[int]):
    """Every table of non-negative integers with these row and column sums (slowly)."""
    if len(rows) == 1:
        yield [list(cols)]
        return
    first, rest = rows[0], rows[1:]

    def fill(j: int, left: int, row: list[int]):
        if j == len(cols) - 1:
            if left <= cols[j]:
                yield [*row, left]
            return
        for x in range(min(left, cols[j]) + 1):
            yield from fill(j + 1, left - x, [*row, x])

    for row in fill(0, first, []):
        for tail in _tables(rest, [c - x for c, x in zip(cols, row, strict=True)]):
            yield [row, *tail]


def _brute_force_p(table: list[list[int]]) -> Fraction:
    """Sum of the probabilities (exact fractions) of all tables with the observed margins
    that are at most as probable as the observed one."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    n = sum(rows)
    constant = Fraction(
        math.prod(math.factorial(r) for r in rows) * math.prod(math.factorial(c) for c in cols),
        math.factorial(n),
    )

    def probability(t: list[list[int]]) -> Fraction:
        return constant / math.prod(math.factorial(x) for row in t for x in row)

    observed = probability(table)
    return sum(
        (p for p in map(probability, _tables(rows, cols)) if p <= observed), start=Fraction(0)
    )


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


def test_wilson_interval_is_exactly_0_and_1_at_the_ends():
    # all 14 of 14: [14/(14 + z²), 1]; none of 14: [0, z²/(14 + z²)]; the formula alone
    # leaves rounding dust (2.8e-17, 0.9999999999999999) where the bounds are 0 and 1
    low, high = s.wilson_interval(np.array([14, 0, 1]), np.array([14, 14, 1]))
    z2 = s.Z_95**2
    assert high[0] == 1.0 and low[1] == 0.0 and high[2] == 1.0
    assert low[0] == pytest.approx(14 / (14 + z2), abs=1e-12)
    assert high[1] == pytest.approx(z2 / (14 + z2), abs=1e-12)
    for n in range(1, 200):
        low, high = s.wilson_interval(np.array([0, n]), np.array([n, n]))
        assert low[0] == 0.0 and high[1] == 1.0


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


def test_fisher_on_a_larger_sparse_table_is_exact():
    # published: [[3, 0, 1], [0, 3, 1]] has exact p = 4/70, the same on every call
    result = s.independence(np.array([[3, 0, 1], [0, 3, 1]]))
    assert (result.test, result.method, result.draws) == ("fisher", "exact", 0)
    assert result.p_value == pytest.approx(4 / 70, rel=1e-9)
    assert s.independence(np.array([[3, 0, 1], [0, 3, 1]])).p_value == result.p_value


def test_fisher_freeman_halton_of_the_issue_table():
    # [[7, 0], [3, 0], [0, 2]]: exact p = 1/66 (SciPy's unseeded Monte Carlo gave 0.0149–0.0171)
    result = s.fisher_freeman_halton(np.array([[7, 0], [3, 0], [0, 2]]))
    assert result.method == "exact"
    assert result.p_value == pytest.approx(1 / 66, rel=1e-9)
    assert result.table_probability == pytest.approx(1 / 66, rel=1e-9)  # the only such table


def test_fisher_freeman_halton_of_the_job_satisfaction_table():
    # R: fisher.test(matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4)) → p = 0.7827
    job = np.array([[1, 2, 1, 0], [3, 3, 6, 1], [10, 10, 14, 9], [6, 7, 12, 11]]).T
    result = s.fisher_freeman_halton(job)
    assert result.method == "exact"
    assert result.p_value == pytest.approx(0.7827, abs=5e-5)


@pytest.mark.parametrize(
    "table",
    [
        [[1, 2, 3], [4, 0, 1]],  # 2×3
        [[2, 0, 5], [1, 4, 0]],  # 2×3
        [[3, 1, 0], [0, 2, 2], [1, 0, 4]],  # 3×3
        [[2, 2, 2], [2, 2, 2], [2, 2, 2]],  # 3×3, as likely as can be
        [[5, 0, 0, 0], [0, 0, 3, 0], [0, 1, 0, 2]],  # sparse 3×4
        [[0, 0, 6], [1, 0, 0], [0, 4, 0], [2, 0, 1]],  # sparse 4×3
        [[1, 0], [0, 1], [1, 1], [0, 3], [2, 0]],  # 5×2
        [[9, 1, 0], [0, 0, 3]],  # one strong association
    ],
)
def test_fisher_freeman_halton_equals_brute_force_enumeration(table):
    result = s.fisher_freeman_halton(np.array(table))
    assert result.method == "exact"
    assert result.p_value == pytest.approx(float(_brute_force_p(table)), rel=1e-9)


def test_fisher_freeman_halton_equals_brute_force_on_random_small_tables():
    # 60 tables of 2–4 rows and columns, up to 14 respondents, many with empty cells or rows
    rng = np.random.default_rng(18)
    for _ in range(60):
        shape = tuple(rng.integers(2, 5, size=2))
        table = rng.multinomial(
            int(rng.integers(1, 15)), rng.dirichlet(np.ones(shape[0] * shape[1]) * 0.5)
        )
        table = table.reshape(shape)
        result = s.fisher_freeman_halton(table)
        assert result.method == "exact"
        expected = float(_brute_force_p(table.tolist()))
        assert result.p_value == pytest.approx(expected, rel=1e-9), table.tolist()


@pytest.mark.parametrize(
    "table",
    [[[3, 1], [1, 3]], [[10, 3], [2, 15]], [[0, 5], [7, 1]], [[1, 2], [3, 4]], [[8, 2], [1, 5]]],
)
def test_fisher_freeman_halton_on_two_by_two_equals_scipy_exact(table):
    expected = stats.fisher_exact(table).pvalue
    assert s.fisher_freeman_halton(np.array(table)).p_value == pytest.approx(expected, rel=1e-9)
    crosstab = s.independence(np.array(table))
    if crosstab.test == "fisher":  # [[10, 3], [2, 15]] has every expected count ≥ 5
        assert crosstab.p_value == pytest.approx(expected, rel=1e-9)


def test_fisher_too_large_for_the_exact_test_is_simulated_with_a_fixed_seed(monkeypatch):
    table = np.array([[3, 1, 0], [0, 2, 2], [1, 0, 4]])
    exact = float(_brute_force_p(table.tolist()))
    monkeypatch.setattr(s, "FISHER_EDGE_LIMIT", 5)  # as if the table were large
    result = s.fisher_freeman_halton(table)
    assert (result.method, result.draws) == ("simulated", s.FISHER_DRAWS)
    assert result.standard_error == pytest.approx(
        math.sqrt(result.p_value * (1 - result.p_value) / s.FISHER_DRAWS)
    )
    assert abs(result.p_value - exact) < 4 * result.standard_error
    assert s.fisher_freeman_halton(table).p_value == result.p_value  # same on every load
    crosstab = s.independence(table)
    assert (crosstab.method, crosstab.draws) == ("simulated", s.FISHER_DRAWS)
    assert crosstab.p_standard_error == result.standard_error


def test_fisher_on_a_large_sparse_table_gives_way_to_simulation_and_stays_fixed():
    # 5×5, n = 300 with a rare row: far too many tables to weigh one by one
    table = np.array(
        [
            [20, 3, 40, 5, 9],
            [10, 30, 4, 50, 6],
            [7, 8, 30, 40, 2],
            [30, 20, 10, 5, 8],
            [1, 2, 3, 4, 0],
        ]
    )
    first = s.independence(table)
    assert (first.test, first.method) == ("fisher", "simulated")
    assert 0 < first.p_value < 1e-4  # an overwhelming association: 1/(N + 1) with no hits
    assert s.independence(table).p_value == first.p_value


def test_fisher_freeman_halton_refuses_what_is_not_a_table():
    with pytest.raises(ValueError):
        s.fisher_freeman_halton(np.array([[1, -1], [2, 3]]))
    with pytest.raises(ValueError):
        s.fisher_freeman_halton(np.array([1, 2, 3]))
    assert s.fisher_freeman_halton(np.zeros((2, 3), dtype=int)).p_value == 1.0
    assert s.fisher_freeman_halton(np.array([[4, 5, 6]])).p_value == 1.0


@pytest.mark.parametrize(
    "table", [np.zeros((0, 0), dtype=int), np.zeros((3, 3), dtype=int), [[4, 2, 1]], [[3], [5]]]
)
def test_empty_tables_and_single_rows_or_columns_are_not_tested(table):
    result = s.independence(np.array(table))
    assert result.test == "" and result.method == "" and math.isnan(result.p_value)


def test_chi_square_says_it_is_asymptotic():
    assert s.independence(np.array([[10, 20], [30, 40]])).method == "asymptotic"


def test_not_asked_counted_apart_from_not_answered():
    # 7 respondents: 2 not asked (a condition hid the question), of the 5 asked 1 skipped it
    codes = np.array([0, 1, -1, 1, 0, -1, -1])
    asked = np.array([True, True, True, True, True, False, False])
    single = s.single_choice(codes, 2, asked)
    assert (single.n_answered, single.n_missing, single.n_not_asked) == (4, 1, 2)
    assert single.denominator == 4 and single.shares.tolist() == [0.5, 0.5]
    matrix = np.array([[1, 0], [1, 1], [0, 0], [0, 1], [0, 0], [0, 0], [0, 0]], dtype=bool)
    multiple = s.multiple_choice(matrix, matrix.any(axis=1), asked)
    assert (multiple.n_answered, multiple.n_missing, multiple.n_not_asked) == (3, 2, 2)
    assert multiple.counts.tolist() == [2, 2]
    values = np.array([1, 2, np.nan, 3, np.nan, np.nan, np.nan])
    summary = s.numbers(values, asked)
    assert (summary.n_answered, summary.n_missing, summary.n_not_asked) == (3, 2, 2)
    assert summary.mean == 2.0
    nobody = s.numbers(values, np.zeros(7, dtype=bool))
    assert (nobody.n_answered, nobody.n_missing, nobody.n_not_asked) == (0, 0, 7)
    assert s.single_choice(codes, 2).n_not_asked == 0  # without a mask everyone was asked


def test_crosstab_counts_only_those_who_answered_both():
    a = np.array([0, 0, 1, 1, -1, 1])
    b = np.array([1, 0, 1, -1, 0, 1])
    counts = s.crosstab_counts(a, b, 2, 2)
    assert counts.tolist() == [[1, 1], [0, 2]]


def test_too_little_data_is_not_tested():
    result = s.independence(np.array([[5, 0], [0, 0]]))
    assert result.test == "" and math.isnan(result.p_value)
