"""Benchmark of the survey analysis (hjulet.surveys.analysis) against plain NumPy.

    # from a database (the survey of generate.py is filled there when missing), issue 18:
    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/survey_analysis.py \\
        --database-url sqlite:////tmp/hjulet-bench.sqlite3 [--responses 100000] [--repeat 15]
    # answers generated in memory (the analysis alone), issue 5:
    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/survey_analysis.py \\
        [--responses 100000] [--repeat 15]

The survey: 40 questions (14 single choice with 5 options, 10 Likert with 5 steps, 6
multiple choice with 6 options, 6 numbers, 4 free text; some questions left unanswered at
random, as conditions and skipping do), answers as they are stored (one dict per response).

From a database (``benchmark()``, also run by ``run_all.py``): the results (load + full
analysis) in a new process with nothing in memory, once with the stored columns forgotten
(rebuilt from the stored answers: the first load, or the one after an erasure) and once
read from the stored columns, with each process's peak RSS; the warm results (the check for
new responses plus the full analysis) and the full analysis alone, each interleaved with
plain NumPy computing the same figures on the same arrays; a new response submitted through
the service and the time until the next load counts it; the results after erasing those
responses again (through the service).

The full analysis: every figure of every question (n answered and not, counts, shares and
Wilson 95 % intervals per option, multiple choice per option out of those who answered,
mean/median/sd/min/max) plus a segment (one county) and one cross-tabulation with its test.
Not part of the tests.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django
import numpy as np
from scipy import stats

SEED = 20261123
Z = 1.959963984540054
TARGET_MS = 2000.0  # the full analysis of 100,000 responses (issue 5)
MAX_RATIO = 3.0  # within 3× of plain NumPy


def specs() -> list[tuple[str, str, list[str]]]:
    out = []
    out += [(f"enval_{i}", "select_one", [f"a{j}" for j in range(5)]) for i in range(14)]
    out += [(f"likert_{i}", "likert", [str(j) for j in range(1, 6)]) for i in range(10)]
    out += [(f"flerval_{i}", "select_multiple", [f"o{j}" for j in range(6)]) for i in range(6)]
    out += [(f"tal_{i}", "integer" if i % 2 else "decimal", []) for i in range(6)]
    out += [(f"text_{i}", "text", []) for i in range(4)]
    return out


def generate(n: int, columns: list) -> tuple[list[dict], list[str], list[str]]:
    rng = random.Random(SEED)
    answers = []
    for _ in range(n):
        row: dict = {}
        for name, kind, options in columns:
            if rng.random() < 0.1:
                continue  # not answered
            if kind == "select_multiple":
                row[name] = rng.sample(options, rng.randint(1, 3))
            elif options:
                row[name] = options[min(int(rng.expovariate(0.7)), len(options) - 1)]
            elif kind == "integer":
                row[name] = rng.randint(0, 200)
            elif kind == "decimal":
                row[name] = round(rng.gauss(50, 12), 2)
            else:
                row[name] = "Långsiktig finansiering och samverkan"
        answers.append(row)
    counties = [rng.choice(["24", "25", "01", "12", "14"]) for _ in range(n)]
    sectors = [rng.choice(["ideburen", "offentlig", "privat"]) for _ in range(n)]
    return answers, counties, sectors


def full_analysis(table) -> None:
    from hjulet.surveys import analysis

    analysis.analyse(table)
    analysis.analyse(table.segment(counties=["25"]))
    analysis.crosstab(table, "enval_0", "likert_0")


def _wilson(k: np.ndarray, n: float) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    return centre - half, centre + half


def _plain_figures(table) -> None:
    for column in table.columns.values():
        if column.matrix is not None:
            answered = column.matrix.any(axis=1)
            n = answered.sum()
            counts = column.matrix[answered].sum(axis=0)
            _wilson(counts, n)
        elif column.codes is not None:
            valid = column.codes[column.codes >= 0]
            counts = np.bincount(valid, minlength=len(column.options))
            _wilson(counts, len(valid))
        elif column.numbers is not None:
            values = column.numbers[~np.isnan(column.numbers)]
            (values.mean(), np.median(values), values.std(ddof=1), values.min(), values.max())
        else:
            column.answered.sum()


def plain_numpy(table) -> None:
    """The same figures with bare NumPy calls on the same arrays."""
    from hjulet.surveys import analysis

    _plain_figures(table)
    mask = table.county == "25"
    segment = analysis.SurveyTable(
        n=int(mask.sum()),
        columns={name: column.take(mask) for name, column in table.columns.items()},
        county=table.county[mask],
        sector=table.sector[mask],
        response_ids=table.response_ids[mask],
    )
    _plain_figures(segment)
    a, b = table.columns["enval_0"].codes, table.columns["likert_0"].codes
    both = (a >= 0) & (b >= 0)
    counts = np.bincount(a[both] * 5 + b[both], minlength=25).reshape(5, 5)
    stats.chi2_contingency(counts, correction=False)


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


SLUG = "medlemsenkat-2026"
WARM_TARGET_MS = 500.0  # issue 18: the full analysis once warm, from the database
RSS_TARGET_MB = 300.0  # issue 18: the process, while loading and analysing


def _memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the process's peak so far) in MB, from /proc."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cold_child(database_url: str, mode: str) -> dict:
    """In a fresh process: the results of the stored survey from nothing in memory, either
    from its stored columns (``stored``) or with them forgotten first (``rebuild``: the
    first load, or the one after an erasure). Prints and returns time and memory."""
    import json

    from generate import setup

    setup(database_url)
    from hjulet.surveys import selectors, tables
    from hjulet.surveys.models import Survey

    survey = Survey.objects.get(slug=SLUG)
    if mode == "rebuild":
        tables.forget(survey)
    before = _memory_mb("VmRSS")
    started = time.perf_counter()
    table = selectors.load_table(survey)
    full_analysis(table)
    seconds = time.perf_counter() - started
    found = {
        "mode": mode,
        "ms": seconds * 1000,
        "n": table.n,
        "rss_before_mb": before,
        "peak_mb": _memory_mb("VmHWM"),
    }
    print(json.dumps(found))
    return found


def _cold(database_url: str, mode: str) -> dict:
    import json
    import subprocess

    output = subprocess.run(
        [sys.executable, __file__, "--cold", mode, "--database-url", database_url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def analysed(survey, questions):
    """The results as a page computes them: the columns, up to date, then every figure."""
    from hjulet.surveys import selectors

    table = selectors.load_table(survey, questions)
    full_analysis(table)
    return table


def _new_answers(number: int) -> dict:
    rng = random.Random(SEED + number)
    answers: dict = {}
    for name, kind, options in specs():
        if kind == "select_multiple":
            answers[name] = rng.sample(options, 2)
        elif options:
            answers[name] = rng.choice(options)
        elif kind in ("integer", "decimal"):
            answers[name] = str(rng.randint(0, 200))
        else:
            answers[name] = "Mer tid för samverkan"
    return answers


def benchmark(repeat: int = 15, database_url: str | None = None) -> list:
    """The survey in the database filled by ``generate.py``, as rows for ``run_all.py``:
    the results from nothing in memory in a new process (columns rebuilt from the stored
    answers, and read from the stored columns), once warm (the check for new responses plus
    the full analysis) against plain NumPy, a new response (submitted through the service)
    visible in the results, and the results after an erasure; peak memory of each process."""
    from common import Row, log, measure, timed

    from hjulet.accounts.models import User
    from hjulet.surveys import selectors, services
    from hjulet.surveys.models import Survey

    database_url = database_url or os.environ["DATABASE_URL"]
    survey = Survey.objects.get(slug=SLUG)
    questions = selectors.questions_of(survey)
    rows = []
    cold_runs = max(2, repeat // 5)
    for mode, label, note in (
        (
            "rebuild",
            "rebuilt from the stored answers",
            "first load of a survey, or after a question change or a deletion behind the "
            "services' back",
        ),
        ("stored", "from the stored columns", "a new worker process"),
    ):
        runs = sorted((_cold(database_url, mode) for _ in range(cold_runs)), key=lambda r: r["ms"])
        peak = max(run["peak_mb"] for run in runs)
        log(f"  cold, {label}: {runs[len(runs) // 2]['ms']:.0f} ms, peak {peak:.0f} MB")
        rows.append(
            Row(
                f"survey: cold results, {label} ({runs[0]['n']:,} responses)",
                runs[len(runs) // 2]["ms"],
                runs[-1]["ms"],
                target=TARGET_MS,
                max_ratio=None,
                note=(
                    f"{note}; new process, load + full analysis, {len(runs)} runs; peak RSS "
                    f"{peak:.0f} MB (≤ {RSS_TARGET_MB:.0f} MB: "
                    f"{'met' if peak <= RSS_TARGET_MB else 'MISSED'}), "
                    f"{runs[0]['rss_before_mb']:.0f} MB before loading"
                ),
            )
        )
    table = selectors.load_table(survey, questions)
    log(f"Survey: {table.n:,} responses, {len(table.columns)} questions")

    def warm() -> None:
        full_analysis(selectors.load_table(survey, questions))

    rows.append(
        measure(
            "survey: warm results (check for new responses + full analysis) vs plain NumPy",
            [warm] * repeat,
            [lambda: plain_numpy(table)] * repeat,
            target=WARM_TARGET_MS,
            max_ratio=None,
            rounds=1,
            note="bare: the same figures with plain NumPy on arrays already in memory",
        )
    )
    rows.append(
        measure(
            "survey: full analysis vs plain NumPy",
            [lambda: full_analysis(table)] * repeat,
            [lambda: plain_numpy(table)] * repeat,
            target=TARGET_MS,
            max_ratio=MAX_RATIO,
            rounds=1,
        )
    )
    # A new response, through the services, then the results: it must be counted at once.
    coordinator = User.objects.get(pk=1)
    survey = services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=True)
    added, submits, visible = [], [], []
    for number in range(max(3, repeat // 3)):
        before = selectors.load_table(survey, questions).n
        started = time.perf_counter()
        token = services.response_start_anonymous(survey=survey, key=survey.anonymous_key)
        response, errors = services.response_save(
            token=token, raw=_new_answers(number), submit=True
        )
        assert not errors, errors
        submits.append((time.perf_counter() - started) * 1000)
        added.append(response.pk)
        ms, table = timed(lambda: analysed(survey, questions))
        visible.append(ms)
        if table.n != before + 1 or table.response_ids[-1] != response.pk:
            raise RuntimeError("the new response is not in the results")
    visible.sort()
    rows.append(
        Row(
            "survey: a new response visible (results right after a submission)",
            visible[len(visible) // 2],
            visible[-1],
            target=WARM_TARGET_MS,
            max_ratio=None,
            note=(
                f"{len(visible)} responses submitted through the service "
                f"({statistics.median(submits):.0f} ms each), each counted by the next "
                "results (load + full analysis)"
            ),
        )
    )
    # Erase them again (through the service): the next results are rebuilt without them.
    from hjulet.surveys.models import Response

    erasures = []
    for response in Response.objects.filter(pk__in=added):
        erasures.append(timed(services.response_erase, actor=coordinator, response=response)[0])
    ms, table = timed(lambda: analysed(survey, questions))
    if table.n != len(table.response_ids) or set(added) & set(table.response_ids.tolist()):
        raise RuntimeError("an erased response is still in the results")
    rows.append(
        Row(
            "survey: results after erasing them (taken out, not rebuilt)",
            ms,
            ms,
            target=WARM_TARGET_MS,
            max_ratio=None,
            note=(
                f"load + full analysis after {len(erasures)} erasures through the service "
                f"({statistics.median(erasures):.0f} ms each: the stored columns rewritten "
                f"without the response); peak RSS of this process over all the rows above "
                f"{_memory_mb('VmHWM'):.0f} MB"
            ),
        )
    )
    return rows


def in_memory(responses: int, repeat: int) -> None:
    """Answers generated in memory: the two ways of building the columns, then the full
    analysis against plain NumPy."""
    from hjulet.surveys import analysis, tables

    columns = specs()
    print(f"Generating {responses:,} responses × {len(columns)} questions …")
    answers, counties, sectors = generate(responses, columns)
    load = timed(analysis.build_table, columns, answers, counties, sectors, range(len(answers)))
    table = analysis.build_table(columns, answers, counties, sectors, range(len(answers)))
    print(f"Load (stored answers → columns, build_table): {load:.3f} s")

    def streamed() -> None:
        builder = tables.TableBuilder(columns, len(answers))
        for start in range(0, len(answers), tables.CHUNK):
            end = start + tables.CHUNK
            builder.add(answers[start:end], counties[start:end], sectors[start:end],
                        range(start, min(end, len(answers))))  # fmt: skip
        builder.table()

    print(f"Load (the same, TableBuilder in chunks): {timed(streamed):.3f} s")
    ours, plain = [], []
    for _ in range(repeat):
        ours.append(timed(full_analysis, table))
        plain.append(timed(plain_numpy, table))
    for label, values in (("full analysis", ours), ("plain NumPy", plain)):
        print(
            f"{label:14} p50 {statistics.median(values) * 1000:8.1f} ms"
            f"   p95 {percentile(values, 95) * 1000:8.1f} ms"
        )
    ratio = statistics.median(ours) / statistics.median(plain)
    print(f"ratio (p50): {ratio:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--database-url",
        help="measure from this database (the survey is generated there when missing: "
        "generate.py --only survey); without it, answers generated in memory",
    )
    parser.add_argument("--cold", choices=["stored", "rebuild"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        cold_child(args.database_url, args.cold)
        return
    if not args.database_url:
        django.setup()
        in_memory(args.responses, args.repeat)
        return
    from common import machine, markdown_table, print_table
    from generate import fill_survey, setup

    setup(args.database_url)
    fill_survey(args.responses / 100_000)
    print(machine([args.database_url]))
    rows = benchmark(args.repeat, args.database_url)
    from django.db import connection

    print_table(f"Survey analysis from the database ({connection.vendor})", rows)
    print(markdown_table({connection.vendor: rows}))
    print(machine([args.database_url]))


if __name__ == "__main__":
    main()
