"""What every benchmark shares: timing ours against the bare engine interleaved, the rows
they return, the tables they print and the machine they ran on. Not part of the tests."""

import gc
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_engine import percentile, prepare_database, timed  # noqa: F401

MAX_RATIO = 2.0  # ours within 2× of the bare engine (p95), unless a row says otherwise

# Targets of issue 8 (p95, milliseconds).
SEARCH_P95_MS = 50.0
PAGE_P95_MS = 100.0
SIMILAR_P95_MS = 100.0
IMPORT_SECONDS = 60.0


def log(message: str) -> None:
    """Progress goes to stderr; the tables go to stdout."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Row:
    """One figure of the table: our call against the bare call, in milliseconds."""

    label: str
    ours50: float | None  # None: not measured (the row says why)
    ours95: float | None
    bare50: float | None = None
    bare95: float | None = None
    target: float | None = None  # p95 in ms
    max_ratio: float | None = MAX_RATIO
    note: str = ""
    database: str = ""

    @property
    def ratio(self) -> float | None:
        if self.bare95 is None or self.ours95 is None:
            return None
        return self.ours95 / self.bare95 if self.bare95 else float("inf")

    @property
    def verdict(self) -> str:
        if self.ours95 is None:
            return "not measured"
        if self.target is None and (self.max_ratio is None or self.ratio is None):
            return "(no target)"
        misses = []
        if self.target is not None and self.ours95 > self.target:
            misses.append(f"p95 > {_amount(self.target)}")
        if self.max_ratio is not None and self.ratio is not None and self.ratio > self.max_ratio:
            misses.append(f"> {self.max_ratio:g}× bare")
        return "met" if not misses else "MISSED: " + ", ".join(misses)

    @property
    def target_text(self) -> str:
        parts = []
        if self.target is not None:
            parts.append(f"≤ {_amount(self.target)}")
        if self.max_ratio is not None and self.bare95 is not None:
            parts.append(f"≤ {self.max_ratio:g}×")
        return ", ".join(parts) or "—"


def _amount(ms: float) -> str:
    return f"{ms / 1000:g} s" if ms >= 10_000 else f"{ms:,.0f} ms"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1000:,.1f} s" if value >= 10_000 else f"{value:,.1f}"


def measure(
    label: str,
    ours: Sequence[Callable[[], object]],
    bares: Sequence[Callable[[], object]],
    *,
    target: float | None,
    rounds: int = 2,
    max_ratio: float | None = MAX_RATIO,
    before_bare: Callable[[], object] | None = None,
    note: str = "",
) -> Row:
    """Warm every call once, then time ours and the bare call alternately, ``rounds`` times.

    The objects alive after the warm-up are frozen out of the garbage collector's reach
    while timing, as ``config/gunicorn.conf.py`` freezes the preloaded app in each worker:
    otherwise a full collection over everything this benchmark process has built (the
    fill, earlier rows) lands in a request now and then (``tail_latency.py`` shows it)."""
    for function in [*ours, *bares]:
        function()
    our_times, bare_times = [], []
    gc.collect()
    gc.freeze()
    try:
        for _ in range(rounds):
            for mine, theirs in zip(ours, bares, strict=True):
                our_times.append(timed(mine)[0])
                if before_bare is not None:
                    before_bare()
                bare_times.append(timed(theirs)[0])
    finally:
        gc.unfreeze()
    row = Row(
        label,
        percentile(our_times, 0.5),
        percentile(our_times, 0.95),
        percentile(bare_times, 0.5),
        percentile(bare_times, 0.95),
        target=target,
        max_ratio=max_ratio,
        note=note,
    )
    log(f"  {label}: p95 {row.ours95:.1f} ms against {row.bare95:.1f} ms")
    return row


class BareConnection:
    """A connection of its own for the bare queries, kept open (the engine at its best)."""

    def __init__(self) -> None:
        from django.db import connections

        self.connection = connections.create_connection("default")
        self.connection.ensure_connection()

    def rows(self, sql: str, params: Sequence = ()) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return len(cursor.fetchall())

    def close(self) -> None:
        self.connection.close()


# --- output -----------------------------------------------------------------------------


def print_table(title: str, rows: list[Row]) -> None:
    columns = ["ours p50", "ours p95", "bare p50", "bare p95"]
    header = f"{'call':<50} " + " ".join(f"{name:>10}" for name in columns)
    header += f" {'p95 ×':>7}  {'target':<16} verdict"
    print(f"\n{title}\n")
    print(header)
    print("-" * (len(header) + 20))
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "—"
        print(
            f"{row.label[:50]:<50} {_ms(row.ours50):>10} {_ms(row.ours95):>10} "
            f"{_ms(row.bare50):>10} {_ms(row.bare95):>10} {ratio:>7}  {row.target_text:<16} "
            f"{row.verdict}{'  (' + row.note + ')' if row.note else ''}"
        )
    print("\nTimes in ms unless marked s; bare: the engine doing the same work (see each row).")


def markdown_table(results: dict[str, list[Row]]) -> str:
    """One line per figure, one column group per database, ready for docs/benchmarks.md."""
    databases = list(results)
    labels = list(dict.fromkeys(row.label for rows in results.values() for row in rows))
    header = "| call | target |"
    rule = "| --- | --- |"
    for database in databases:
        header += (
            f" {database} ours p50 / p95 | {database} bare p50 / p95 | ratio (p95) | verdict |"
        )
        rule += " --- | --- | --- | --- |"
    lines = [header, rule]
    for label in labels:
        found = {db: next((r for r in results[db] if r.label == label), None) for db in databases}
        target = next((r.target_text for r in found.values() if r is not None), "—")
        line = f"| {label} | {target} |"
        for database in databases:
            row = found[database]
            if row is None:
                line += " — | — | — | — |"
                continue
            bare = f"{_ms(row.bare50)} / {_ms(row.bare95)}" if row.bare95 is not None else "—"
            ratio = f"{row.ratio:.2f}" if row.ratio is not None else "—"
            line += f" {_ms(row.ours50)} / {_ms(row.ours95)} | {bare} | {ratio} | {row.verdict} |"
        lines.append(line)
    return "\n".join(lines)


def machine(database_urls: Sequence[str] = ()) -> str:
    """Cores, memory, versions and load, for the record."""
    import django

    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            kib = int(handle.readline().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB RAM, "
    except (OSError, ValueError, IndexError):
        pass
    postgres = "not used"
    for url in database_urls:
        if url.startswith("postgres"):
            try:
                import psycopg

                # The server's own database: the benchmark's may not exist yet.
                with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres") as pg:
                    postgres = pg.execute("SHOW server_version").fetchone()[0]
            except Exception as error:
                postgres = f"unreachable ({error.__class__.__name__})"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {memory}Python {platform.python_version()}, "
        f"Django {django.get_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {postgres}, load average {load}"
    )


def elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"
