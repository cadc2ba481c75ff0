"""Where a page's slow requests come from: each request timed alone, with the garbage
collector's pauses that fell inside it, so that a p95 far above the p50 can be put down to
the page or to the process.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/tail_latency.py \\
        [--database-url sqlite:////tmp/hjulet-bench.sqlite3] [--requests 200] \\
        [--path /api/v1/methods ...] [--freeze] [--profile-slowest /tmp/slow.html]

For each path: five requests to warm up, then ``--requests`` requests through Django's test
client, one after the other as ``maps_and_lists.py`` makes them. Reported: p50, p95 and the
slowest; how many requests took over twice the p50, how many of those had a full
(generation 2) collection inside them, and the share of their time those collections took.
``--freeze`` runs ``gc.freeze()`` after the warm-up (what ``config/gunicorn.conf.py`` does
before forking the workers): the objects alive by then are never scanned again.
``--profile-slowest`` keeps a pyinstrument profile of the slowest request. Not part of the
tests.
"""

import argparse
import gc
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile
from generate import default_sqlite_url, setup

DEFAULT_PATHS = ["/api/v1/methods", "/api/v1/challenges", "/api/v1/impact/totals", "/effekt/"]


@dataclass
class Pauses:
    """The garbage collector's pauses, by generation, as ``gc.callbacks`` tells them."""

    started: float = 0.0
    seen: list[tuple[int, float, float]] = field(default_factory=list)  # generation, start, end

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seen.append((info["generation"], self.started, time.perf_counter()))

    def within(self, start: float, end: float, generation: int) -> float:
        """Seconds of collections of ``generation`` inside [start, end]."""
        return sum(
            stop - begin
            for gen, begin, stop in self.seen
            if gen == generation and begin >= start and stop <= end
        )


@dataclass
class Request:
    path: str
    start: float
    end: float

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


def run(paths: list[str], requests: int, freeze: bool) -> list[list[Request]]:
    from django.test import Client

    client = Client()
    for path in paths:
        for _ in range(5):
            client.get(path)
    if freeze:
        gc.collect()
        gc.freeze()
    found = []
    for path in paths:
        timed = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(path)
            timed.append(Request(path, start, time.perf_counter()))
            assert response.status_code == 200, (path, response.status_code)
        found.append(timed)
    return found


def report(timed: list[Request], pauses: Pauses) -> str:
    times = [request.ms for request in timed]
    p50 = percentile(times, 0.5)
    slow = [request for request in timed if request.ms > 2 * p50]
    slow_ms = sum(request.ms for request in slow)
    in_full_gc = sum(pauses.within(r.start, r.end, 2) for r in slow) * 1000
    with_full_gc = sum(1 for r in slow if pauses.within(r.start, r.end, 2))
    return (
        f"{timed[0].path:<26} p50 {p50:6.1f}  p95 {percentile(times, 0.95):6.1f}  "
        f"max {max(times):6.1f} ms | {len(slow):3} over 2×p50, {with_full_gc:3} of them with "
        f"a full collection, which took {in_full_gc:6.0f} of their {slow_ms:6.0f} ms"
    )


def profile_slowest(path: str, out: Path) -> None:
    """Profile requests to ``path`` until one is over twice the median, and keep that one."""
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    times = []
    for _ in range(200):
        profiler = Profiler(interval=0.0005)
        profiler.start()
        started = time.perf_counter()
        client.get(path)
        took = time.perf_counter() - started
        profiler.stop()
        times.append(took)
        if len(times) > 20 and took > 2 * percentile(times, 0.5):
            out.write_text(profiler.output_html(), encoding="utf-8")
            print(f"profile of a {took * 1000:.0f} ms request to {path}: {out}")
            return
    print(f"no request to {path} over twice the median in 200")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--path", action="append", dest="paths")
    parser.add_argument("--freeze", action="store_true")
    parser.add_argument("--profile-slowest", type=Path)
    arguments = parser.parse_args()
    setup(arguments.database_url)
    from django.db import connection

    paths = arguments.paths or DEFAULT_PATHS
    pauses = Pauses()
    gc.callbacks.append(pauses)
    print(f"{connection.vendor}, gc.freeze() {'after' if arguments.freeze else 'not used'}")
    for timed in run(paths, arguments.requests, arguments.freeze):
        print(report(timed, pauses))
    if arguments.profile_slowest:
        profile_slowest(paths[0], arguments.profile_slowest)


if __name__ == "__main__":
    main()
