"""Survey statistics on columns of answers (NumPy arrays), with no Django.

Conventions: a single-choice column is an int array of option indexes, -1 where the question
was not answered; a multiple-choice column is a boolean matrix (respondents × options) plus
a boolean "answered" vector; a number column is a float array with NaN where not answered.
An optional boolean ``asked`` vector marks who was shown the question at all: those not asked
(a condition hid it from them) are counted apart from those who were asked and did not answer,
and are in no denominator.
"""

import math
from dataclasses import dataclass, field

import numpy as np

# SciPy is imported where a test needs it, not with the module: it is 60 MB of every web
# worker's memory and seconds of start-up, and only the cross-tabulations use it.

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
FISHER_REL_TOLERANCE = 1e-7  # tables this close to the observed probability count as as likely
FISHER_EDGE_LIMIT = 600_000  # the exact test gives way to simulation above this much work …
FISHER_PATH_LIMIT = 3_000_000  # … (about half a second); the same table always gets the same
FISHER_DRAWS = 100_000  # draws of the simulated p-value
FISHER_SEED = 20260  # fixed, so a simulated p-value is the same figure on every load


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
    # exactly 0 and 1 at the ends (the formula leaves rounding dust such as 2.8e-17 there)
    low = np.where((total > 0) & (k <= 0), 0.0, low)
    high = np.where((total > 0) & (k >= total), 1.0, high)
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
    n_not_asked: int = 0  # a condition hid the question from them: in no denominator


def _asked(asked: np.ndarray | None, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if asked is None else np.asarray(asked, dtype=bool)


def _shares(counts: np.ndarray, n_answered: int, n_missing: int, n_not_asked: int) -> Shares:
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(n_answered > 0, counts / max(n_answered, 1), np.nan)
    low, high = wilson_interval(counts, np.full(len(counts), n_answered))
    return Shares(n_answered, n_missing, n_answered, counts, shares, low, high, n_not_asked)


def single_choice(codes: np.ndarray, n_options: int, asked: np.ndarray | None = None) -> Shares:
    """One option per respondent (-1: not answered). ``asked`` False: not shown the question
    (counted in ``n_not_asked``, not in ``n_missing``)."""
    shown = _asked(asked, len(codes))
    answered = (codes >= 0) & shown
    n_answered = int(answered.sum())
    n_shown = int(shown.sum())
    counts = np.bincount(codes[answered], minlength=n_options)[:n_options]
    return _shares(counts, n_answered, n_shown - n_answered, len(codes) - n_shown)


def multiple_choice(
    matrix: np.ndarray, answered: np.ndarray, asked: np.ndarray | None = None
) -> Shares:
    """Several options per respondent. The denominator of every option's share is the number
    who answered the question (chose at least one option), stated in ``denominator``."""
    shown = _asked(asked, len(answered))
    answered = answered & shown
    n_answered = int(answered.sum())
    n_shown = int(shown.sum())
    counts = matrix[answered].sum(axis=0)
    return _shares(counts, n_answered, n_shown - n_answered, len(answered) - n_shown)


@dataclass
class NumberSummary:
    n_answered: int
    n_missing: int
    mean: float
    median: float
    sd: float  # sample standard deviation (n − 1); NaN with fewer than two answers
    minimum: float
    maximum: float
    n_not_asked: int = 0


def numbers(values: np.ndarray, asked: np.ndarray | None = None) -> NumberSummary:
    shown = _asked(asked, len(values))
    n_shown = int(shown.sum())
    present = values[~np.isnan(values) & shown]
    n = len(present)
    if n == 0:
        nan = math.nan
        return NumberSummary(0, n_shown, nan, nan, nan, nan, nan, len(values) - n_shown)
    return NumberSummary(
        n_answered=n,
        n_missing=n_shown - n,
        mean=float(present.mean()),
        median=float(np.median(present)),
        sd=float(present.std(ddof=1)) if n > 1 else math.nan,
        minimum=float(present.min()),
        maximum=float(present.max()),
        n_not_asked=len(values) - n_shown,
    )


class TooLarge(Exception):
    """The exact test would take too long for this table."""


@dataclass
class FisherResult:
    """Fisher–Freeman–Halton test: ``p_value`` is the probability, given the margins, of a
    table at most as likely as the observed one (``table_probability``). ``method`` is
    "exact" (every table with these margins weighed) or "simulated" (``draws`` random tables
    with these margins, seeded; ``standard_error`` is that estimate's)."""

    p_value: float
    table_probability: float
    method: str
    draws: int = 0
    standard_error: float = 0.0


def _log_factorials(n: int) -> np.ndarray:
    from scipy import special

    return special.gammaln(np.arange(n + 1, dtype=float) + 1)


def _compositions(total: int, caps: np.ndarray) -> np.ndarray:
    """Every vector x (one a row) with sum ``total`` and 0 ≤ x[i] ≤ caps[i]."""
    parts = np.zeros((1, 0), dtype=np.int64)
    used = np.zeros(1, dtype=np.int64)
    for i in range(len(caps) - 1):
        rest = int(caps[i + 1 :].sum())
        low = np.maximum(0, total - used - rest)
        high = np.minimum(int(caps[i]), total - used)
        counts = np.maximum(high - low + 1, 0)
        if counts.sum() > FISHER_EDGE_LIMIT:
            raise TooLarge
        repeat = np.repeat(np.arange(len(used)), counts)
        value = low[repeat] + np.arange(len(repeat)) - np.repeat(np.cumsum(counts) - counts, counts)
        parts = np.column_stack([parts[repeat], value])
        used = used[repeat] + value
    last = total - used
    keep = last <= caps[-1]
    return np.column_stack([parts[keep], last[keep]])


def _exact_p(table: np.ndarray, lfact: np.ndarray, limit: float) -> float:
    """The network algorithm (Mehta & Patel): the table is filled column by column; a node is
    the row sums still to fill (sorted: only their multiset matters) and an edge one column's
    contents, weighted by its multinomial coefficient, so that a table's probability is
    K × the product of its edges. Each path so far is carried with how many paths share its
    product; it is settled as soon as even the longest completion is at most as likely as the
    observed table (all its completions count, summing to K × product × (m! / Π r!)) or even
    the shortest is more likely (none count). Raises TooLarge past the work limits."""
    # the nodes are vectors of row sums left: take as rows the side with fewer such vectors
    if np.prod(table.sum(axis=1) + 1.0) > np.prod(table.sum(axis=0) + 1.0):
        table = table.T
    rows = np.sort(table.sum(axis=1))
    cols = np.sort(table.sum(axis=0))  # the largest column last: it has a single edge
    n = int(rows.sum())
    width = len(rows)
    if float(n + 1) ** width >= 2.0**62:
        raise TooLarge
    radix = (n + 1) ** np.arange(width, dtype=np.int64)
    log_k = float(lfact[rows].sum() - lfact[n])
    nodes = [rows[None, :]]
    edges: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (from, to, log weight)
    n_edges = 0
    for c in cols:
        here = nodes[-1]
        x = _compositions(int(c), here.max(axis=0))
        sources, targets, weights = [], [], []
        chunk = max(1, 2_000_000 // max(len(x) * width, 1))
        for start in range(0, len(here), chunk):
            part = here[start : start + chunk]
            source, which = np.nonzero((x[None, :, :] <= part[:, None, :]).all(axis=2))
            n_edges += len(source)
            if n_edges > FISHER_EDGE_LIMIT:
                raise TooLarge
            sources.append(source + start)
            targets.append(np.sort(part[source] - x[which], axis=1))
            weights.append(lfact[c] - lfact[x[which]].sum(axis=1))
        children = np.concatenate(targets)
        _codes, first, target = np.unique(children @ radix, return_index=True, return_inverse=True)
        nodes.append(children[first])
        edges.append(
            (
                np.concatenate(sources).astype(np.int32),
                target.ravel().astype(np.int32),
                np.concatenate(weights),
            )
        )
        del children, sources, targets, weights
    # the longest and shortest completion of each node (log of the product of its edges)
    longest: list[np.ndarray] = [np.zeros(0)] * len(cols) + [np.zeros(1)]
    shortest: list[np.ndarray] = [np.zeros(0)] * len(cols) + [np.zeros(1)]
    for k in range(len(cols) - 1, -1, -1):
        source, target, weight = edges[k]
        longest[k] = np.full(len(nodes[k]), -np.inf)
        shortest[k] = np.full(len(nodes[k]), np.inf)
        np.maximum.at(longest[k], source, weight + longest[k + 1][target])
        np.minimum.at(shortest[k], source, weight + shortest[k + 1][target])
    at = np.zeros(1, dtype=np.int64)  # node of each distinct path so far
    past = np.zeros(1)  # log of its product
    count = np.ones(1)  # how many paths share it
    p = 0.0
    n_paths = 0
    remaining = n
    for k, c in enumerate(cols):
        remaining -= int(c)
        source, target, weight = edges[k]
        out = np.bincount(source, minlength=len(nodes[k]))
        first_edge = np.cumsum(out) - out
        reps = out[at]
        n_paths += int(reps.sum())
        if n_paths > FISHER_PATH_LIMIT:
            raise TooLarge
        entry = np.repeat(np.arange(len(at), dtype=np.int32), reps)
        edge = np.arange(len(entry), dtype=np.int32)
        edge += np.repeat((first_edge[at] - (np.cumsum(reps) - reps)).astype(np.int32), reps)
        node, path, times = target[edge], past[entry] + weight[edge], count[entry]
        del entry, edge
        settled = log_k + path + longest[k + 1][node] <= limit
        if settled.any():
            left = nodes[k + 1][node[settled]]
            log_total = lfact[remaining] - lfact[left].sum(axis=1)
            p += float(np.sum(times[settled] * np.exp(log_k + path[settled] + log_total)))
        alive = ~settled & (log_k + path + shortest[k + 1][node] <= limit)
        node, path, times = node[alive], path[alive], times[alive]
        if len(path) == 0:
            break
        key = np.round(path * 1e9)  # paths with the same product are merged
        order = np.lexsort((key, node))
        node, path, times, key = node[order], path[order], times[order], key[order]
        new = np.ones(len(key), dtype=bool)
        new[1:] = (node[1:] != node[:-1]) | (key[1:] != key[:-1])
        at, past = node[new], path[new]
        count = np.bincount(np.cumsum(new) - 1, weights=times)
    return min(1.0, p)


def _simulated_p(
    table: np.ndarray, lfact: np.ndarray, limit: float, draws: int, seed: int
) -> tuple[float, float]:
    """``limit``: the log probability to beat, less the margins' constant log(Π r! Π c! / n!).
    Share of random tables with the observed margins (Patefield's algorithm, seeded) at
    most as likely as the observed one, counted as R's fisher.test does: (1 + k) / (1 + N)."""
    from scipy import stats

    rng = np.random.default_rng(seed)
    sampler = stats.random_table(table.sum(axis=1), table.sum(axis=0))
    hits = 0
    chunk = 10_000
    for start in range(0, draws, chunk):
        tables = sampler.rvs(min(chunk, draws - start), random_state=rng)
        log_p = -lfact[tables].sum(axis=(1, 2))
        hits += int(np.count_nonzero(log_p <= limit))
    p = (1 + hits) / (1 + draws)
    return p, math.sqrt(p * (1 - p) / draws)


def fisher_freeman_halton(
    table: np.ndarray, *, draws: int = FISHER_DRAWS, seed: int = FISHER_SEED
) -> FisherResult:
    """Fisher's exact test of an R×C table (the Fisher–Freeman–Halton test): exact where the
    work is within the limits, else simulated with ``draws`` seeded draws. Tables within a
    relative 1e-7 of the observed probability count as equally likely, as in R."""
    table = np.asarray(table, dtype=np.int64)
    if table.ndim != 2 or (table < 0).any():
        raise ValueError("a table of non-negative counts is needed")
    n = int(table.sum())
    lfact = _log_factorials(n)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    log_margins = float(lfact[rows].sum() + lfact[cols].sum() - lfact[n])
    log_p0 = log_margins - float(lfact[table].sum())  # the observed table's probability
    tolerance = math.log1p(FISHER_REL_TOLERANCE)
    if n == 0 or min(table.shape) < 2:
        return FisherResult(1.0, 1.0, "exact")
    try:
        p = _exact_p(table, lfact, log_p0 + tolerance)
        return FisherResult(p, math.exp(log_p0), "exact")
    except TooLarge:
        p, se = _simulated_p(table, lfact, log_p0 - log_margins + tolerance, draws, seed)
        return FisherResult(p, math.exp(log_p0), "simulated", draws, se)


@dataclass
class CrossTab:
    counts: np.ndarray  # rows × columns, respondents who answered both questions
    n: int
    test: str  # "chi-square", "fisher" or "" (too little data to test)
    statistic: float = math.nan  # χ²; Fisher: the odds ratio (2×2) or the table's probability
    p_value: float = math.nan
    dof: int = 0
    min_expected: float = math.nan
    expected: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    method: str = ""  # "asymptotic" (chi-square), "exact" or "simulated" (Fisher)
    draws: int = 0  # simulated: how many random tables
    p_standard_error: float = 0.0  # simulated: the p-value's standard error


def crosstab_counts(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> np.ndarray:
    both = (a >= 0) & (b >= 0)
    flat = a[both].astype(np.int64) * nb + b[both]
    return np.bincount(flat, minlength=na * nb)[: na * nb].reshape(na, nb)


def independence(counts: np.ndarray) -> CrossTab:
    """Pearson's chi-square test (no continuity correction) of a contingency table, or
    Fisher's exact test when any expected count is under 5 (for tables larger than 2×2 the
    Fisher–Freeman–Halton test, exact or, for large tables, simulated with a fixed seed).
    Empty rows and columns are left out of the test (they have no expected counts)."""
    table = np.asarray(counts)
    n = int(table.sum())
    kept = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if kept.shape[0] < 2 or kept.shape[1] < 2:
        return CrossTab(table, n, "")
    from scipy import stats

    expected = stats.contingency.expected_freq(kept)
    min_expected = float(expected.min())
    dof = (kept.shape[0] - 1) * (kept.shape[1] - 1)
    if min_expected < 5:
        if kept.shape == (2, 2):
            two_by_two = stats.fisher_exact(kept)
            statistic = float(two_by_two.statistic)  # the odds ratio
            result = FisherResult(float(two_by_two.pvalue), math.nan, "exact")
        else:
            result = fisher_freeman_halton(kept)
            statistic = result.table_probability
        return CrossTab(
            table,
            n,
            "fisher",
            statistic,
            result.p_value,
            dof,
            min_expected,
            expected,
            result.method,
            result.draws,
            result.standard_error,
        )
    chi2, p, dof, expected = stats.chi2_contingency(kept, correction=False)
    return CrossTab(
        table,
        n,
        "chi-square",
        float(chi2),
        float(p),
        int(dof),
        min_expected,
        expected,
        "asymptotic",
    )


def crosstab(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> CrossTab:
    return independence(crosstab_counts(a, b, na, nb))
