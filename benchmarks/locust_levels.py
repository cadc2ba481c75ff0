"""One level of ``load_test.py``: locust headless against a running server for a while (the
visitors of ``locustfile.py``), the workers' memory sampled meanwhile, and the figures and
verdicts against issue 8's targets printed (also used by ``replica_two_servers.py``)."""

import contextlib
import csv
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psutil
from visitor_mix import GROUP_WEIGHTS

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"

PAGE_P95_MS = 100.0  # list and detail pages at TARGET_USERS users
TARGET_USERS = 16
MAX_RSS_MB = 200.0
RSS_INTERVAL = 0.5  # seconds between memory samples


def is_page(group: str) -> bool:
    """Whether the target for list and detail pages applies to a page group of the
    locustfile: every HTML page but the start page (the API has no latency target)."""
    return group != "home" and not group.startswith("api ")


def _load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


class MemorySampler(threading.Thread):
    """The largest RSS of every gunicorn worker while a level runs (workers by pid), and the
    largest USS: the memory only that worker holds. With the app preloaded, the pages the
    workers share with the master count in every worker's RSS but in no worker's USS."""

    def __init__(self, server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.peaks: dict[int, float] = {}
        self.unique: dict[int, float] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            for pid in self.server.worker_pids():
                with contextlib.suppress(psutil.NoSuchProcess):
                    memory = psutil.Process(pid).memory_full_info()
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), memory.rss / 2**20)
                    self.unique[pid] = max(self.unique.get(pid, 0.0), memory.uss / 2**20)
            self.halt.wait(RSS_INTERVAL)

    def stop(self) -> tuple[dict[int, float], dict[int, float]]:
        self.halt.set()
        self.join()
        return self.peaks, self.unique


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def run_locust(host: str, users: int, duration: int, wait: tuple[float, float], folder: Path):
    """One level; returns locust's statistics rows by name ("Aggregated" for all)."""
    prefix = folder / f"locust-{users}-{int(wait[1] * 1000)}"
    env = {
        **os.environ,
        "LOAD_WAIT_MIN": str(wait[0]),
        "LOAD_WAIT_MAX": str(wait[1]),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 4)),  # everyone running within about 4 s
        "--run-time",
        f"{duration}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--reset-stats",
        "--only-summary",
        "--stop-timeout",
        "5",
        "--loglevel",
        "WARNING",
    ]
    with (folder / f"locust-{users}.log").open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout=duration + 120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError("locust did not stop in time") from None
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise RuntimeError(
            f"locust wrote no statistics:\n{(folder / f'locust-{users}.log').read_text()[-3000:]}"
        )
    with stats_file.open(newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    failures_file = Path(f"{prefix}_failures.csv")
    failures = []
    if failures_file.exists():
        with failures_file.open(newline="") as handle:
            failures = list(csv.DictReader(handle))
    return rows, failures


def _figures(row: dict) -> dict:
    requests = int(row["Request Count"])
    return {
        "requests": requests,
        "failures": int(row["Failure Count"]),
        "rps": _number(row["Requests/s"]) or 0.0,
        "p50": _number(row["50%"]),
        "p95": _number(row["95%"]),
        "p99": _number(row["99%"]),
        "error_rate": int(row["Failure Count"]) / requests if requests else 0.0,
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def level(server, users: int, duration: int, wait: tuple[float, float], label: str) -> dict:
    sampler = MemorySampler(server)
    sampler.start()
    load_before = _load_average()
    try:
        rows, failures = run_locust(server.url, users, duration, wait, server.folder)
    finally:
        peaks, unique = sampler.stop()
    overall = _figures(rows.pop("Aggregated"))
    groups = {name: _figures(row) for name, row in sorted(rows.items())}
    targeted = users == TARGET_USERS and wait[1] > 0
    slow = [
        name
        for name, figures in groups.items()
        if is_page(name) and (figures["p95"] or 0) > PAGE_P95_MS
    ]
    max_rss = max(peaks.values(), default=0.0)
    problems = []
    # A group that made no request failed before it asked (see locust's log): its figures
    # would be missing from every verdict without a word.
    silent = [name for name in GROUP_WEIGHTS if name not in groups]
    if silent:
        problems.append(f"no requests from {', '.join(silent)} (see locust-{users}.log)")
    if targeted and slow:
        problems.append(f"p95 > {PAGE_P95_MS:.0f} ms: {', '.join(slow)}")
    if targeted and overall["failures"]:
        problems.append(f"{overall['failures']} errors")
    if max_rss > MAX_RSS_MB:
        problems.append(f"a worker reached {max_rss:.0f} MB > {MAX_RSS_MB:.0f} MB")
    if targeted:
        verdict = "met" if not problems else "missed (" + "; ".join(problems) + ")"
    else:
        scope = "memory target only"
        verdict = ("met" if not problems else "missed (" + "; ".join(problems) + ")") + f", {scope}"

    print(f"\n## {label}: {users} users, {duration} s, think time {wait[0]:g}–{wait[1]:g} s")
    print(f"load average before: {load_before}, after: {_load_average()}")
    header = (
        f"{'page group':<26} {'target':>6} {'requests':>8} {'req/s':>7} "
        f"{'p50':>5} {'p95':>5} {'p99':>5} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, figures in groups.items():
        mark = "yes" if is_page(name) else ""
        print(
            f"{name:<26} {mark:>6} {figures['requests']:>8} {figures['rps']:>7.1f} "
            f"{_ms(figures['p50']):>5} {_ms(figures['p95']):>5} {_ms(figures['p99']):>5} "
            f"{figures['failures']:>6}"
        )
    print(
        f"{'overall':<26} {'':>6} {overall['requests']:>8} {overall['rps']:>7.1f} "
        f"{_ms(overall['p50']):>5} {_ms(overall['p95']):>5} {_ms(overall['p99']):>5} "
        f"{overall['failures']:>6}"
    )
    print(f"error rate: {overall['error_rate']:.2%}")
    for failure in failures[:10]:
        print(
            f"  {failure['Occurrences']}× {failure['Method']} {failure['Name']}: "
            f"{failure['Error'][:160]}"
        )
    print(
        "max RSS per worker (MB): "
        + ", ".join(f"{pid}: {rss:.0f}" for pid, rss in sorted(peaks.items()))
        + (
            f" ({len(peaks)} workers seen, {server.workers} configured)"
            if len(peaks) != server.workers
            else ""
        )
    )
    print(
        "max USS per worker (MB, not shared with the master): "
        + ", ".join(f"{pid}: {uss:.0f}" for pid, uss in sorted(unique.items()))
    )
    print(f"verdict: {verdict}")
    return {
        "label": label,
        "users": users,
        "duration": duration,
        "think_time": wait,
        "workers": server.workers,
        "rps": overall["rps"],
        "p50": overall["p50"],
        "p95": overall["p95"],
        "p99": overall["p99"],
        "error_rate": overall["error_rate"],
        "max_rss_mb": max_rss,
        "rss_per_worker_mb": sorted(peaks.values()),
        "max_uss_mb": max(unique.values(), default=0.0),
        "groups": groups,
        "verdict": verdict,
    }
