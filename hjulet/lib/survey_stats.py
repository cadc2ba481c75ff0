"""Survey statistics on columns of answers (NumPy arrays), with no Django.

Conventions: a single-choice column is an int array of option indexes, -1 where the question
was not answered; a multiple-choice column is a boolean matrix (respondents × options) plus
a boolean "answered" vector; a number column is a float array with NaN where not answered.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
EXACT_FISHER_MAX_N = 300  # above this, Fisher's test for tables larger than 2×2 is simulated


def wilson_interval(
    successes: np.ndarray | int, n: np.ndarray | int, z: float = Z_95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes of n (vectorised). NaN where n is 0."""
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        z2 = z * z
        centre = (p + z2 / (2 * total)) / (1 + z2 / total)
        half = z * np.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
        low = np.where(total > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(total > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


@dataclass
class Shares:
    """Counts per option with their share of the denominator and a Wilson 95 % interval."""

    n_answered: int
    n_missing: int
    denominator: int
    counts: np.ndarray
    shares: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _shares(counts: np.ndarray, n_answered: int, n_missing: int) -> Shares:
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(n_answered > 0, counts / max(n_answered, 1), np.nan)
    low, high = wilson_interval(counts, np.full(len(counts), n_answered))
    return Shares(n_answered, n_missing, n_answered, counts, shares, low, high)


def single_choice(codes: np.ndarray, n_options: int) -> Shares:
    """One option per respondent (-1: not answered)."""
    answered = codes >= 0
    n_answered = int(answered.sum())
    counts = np.bincount(codes[answered], minlength=n_options)[:n_options]
    return _shares(counts, n_answered, len(codes) - n_answered)


def multiple_choice(matrix: np.ndarray, answered: np.ndarray) -> Shares:
    """Several options per respondent. The denominator of every option's share is the number
    who answered the question (chose at least one option), stated in ``denominator``."""
    n_answered = int(answered.sum())
    counts = matrix[answered].sum(axis=0)
    return _shares(counts, n_answered, len(answered) - n_answered)


@dataclass
class NumberSummary:
    n_answered: int
    n_missing: int
    mean: float
    median: float
    sd: float  # sample standard deviation (n − 1); NaN with fewer than two answers
    minimum: float
    maximum: float


def numbers(values: np.ndarray) -> NumberSummary:
    present = values[~np.isnan(values)]
    n = len(present)
    if n == 0:
        nan = math.nan
        return NumberSummary(0, len(values), nan, nan, nan, nan, nan)
    return NumberSummary(
        n_answered=n,
        n_missing=len(values) - n,
        mean=float(present.mean()),
        median=float(np.median(present)),
        sd=float(present.std(ddof=1)) if n > 1 else math.nan,
        minimum=float(present.min()),
        maximum=float(present.max()),
    )


@dataclass
class CrossTab:
    counts: np.ndarray  # rows × columns, respondents who answered both questions
    n: int
    test: str  # "chi-square", "fisher" or "" (too little data to test)
    statistic: float = math.nan
    p_value: float = math.nan
    dof: int = 0
    min_expected: float = math.nan
    expected: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def crosstab_counts(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> np.ndarray:
    both = (a >= 0) & (b >= 0)
    flat = a[both].astype(np.int64) * nb + b[both]
    return np.bincount(flat, minlength=na * nb)[: na * nb].reshape(na, nb)


def independence(counts: np.ndarray) -> CrossTab:
    """Pearson's chi-square test (no continuity correction) of a contingency table, or
    Fisher's exact test when any expected count is under 5. Empty rows and columns are left
    out of the test (they have no expected counts)."""
    table = np.asarray(counts)
    n = int(table.sum())
    kept = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if kept.shape[0] < 2 or kept.shape[1] < 2:
        return CrossTab(table, n, "")
    expected = stats.contingency.expected_freq(kept)
    min_expected = float(expected.min())
    dof = (kept.shape[0] - 1) * (kept.shape[1] - 1)
    if min_expected < 5:
        if kept.shape == (2, 2) or n <= EXACT_FISHER_MAX_N:
            result = stats.fisher_exact(kept)
        else:
            method = stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(0))
            result = stats.fisher_exact(kept, method=method)
        return CrossTab(
            table,
            n,
            "fisher",
            float(result.statistic),
            float(result.pvalue),
            dof,
            min_expected,
            expected,
        )
    chi2, p, dof, expected = stats.chi2_contingency(kept, correction=False)
    return CrossTab(table, n, "chi-square", float(chi2), float(p), int(dof), min_expected, expected)


def crosstab(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> CrossTab:
    return independence(crosstab_counts(a, b, na, nb))
