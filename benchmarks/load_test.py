"""Load test: the real server (gunicorn) under a real load generator (locust) on loopback.

    .venv/bin/python benchmarks/load_test.py --database-url sqlite:////tmp/hjulet.sqlite3
    .venv/bin/python benchmarks/load_test.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hjulet_bench --duration 30

The database must already be filled and migrated (``benchmarks/knowledge_bank.py`` and
``manage.py load_demo --force``, or ``benchmarks/generate.py``); it is only read. The script:

1. collects the static files into a temporary ``STATIC_ROOT`` (WhiteNoise serves them, as in
   production) and starts gunicorn with ``config/gunicorn.conf.py`` (the app preloaded in
   the master) on a free loopback port with production settings
   (``DEBUG=0``, a random ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, no SSL redirect since
   there is no proxy) and ``--workers`` sync workers;
2. warms every worker up with a few requests of each kind (imports, templates, caches);
3. for each level (default 16, then 64 users) runs locust headless for ``--duration``
   seconds with the visitors of ``benchmarks/locustfile.py``: think time 1–3 s between
   requests (``--wait``), statistics reset once every user is running, so the ramp-up is not
   counted; meanwhile the resident memory (RSS) of every gunicorn worker is sampled twice a
   second;
4. prints per level the requests per second, p50/p95/p99 per page group and overall, the
   error rate, the largest RSS of each worker and the verdicts against issue 8's targets
   (at 16 users: every list and detail page p95 ≤ 100 ms and no errors; at every level:
   ≤ 200 MB per worker);
5. stops locust and gunicorn (the whole process group) and removes the temporary folder.

``--saturation`` adds a run with no think time (a closed loop: each user sends its next
request as soon as the last is answered), which measures the most the server does on this
machine, not a visitor load; it is reported separately and has no target.

Locust runs on the same 2 cores as the server and the database, so the figures are for the
whole machine. ``run()`` is the entry point for ``benchmarks/run_all.py``.
"""

import argparse
import contextlib
import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"

PAGE_P95_MS = 100.0  # list and detail pages at TARGET_USERS users
TARGET_USERS = 16
MAX_RSS_MB = 200.0
RSS_INTERVAL = 0.5  # seconds between memory samples
START_TIMEOUT = 180  # seconds for gunicorn to answer (imports are slow on a busy machine)
WARM_UP_PATHS = [
    "/",
    "/initiativ/",
    "/initiativ/?stage=etablerad",
    "/metoder/",
    "/forskarverkstad/",
    "/enkater/",
    "/arenor/",
    "/utmaningar/",
    "/stod/",
    "/utlysningar/",
    "/effekt/",
    "/api/v1/initiatives?limit=20",
]


def is_page(group: str) -> bool:
    """Whether the target for list and detail pages applies to a page group of the
    locustfile: every HTML page but the start page (the API has no latency target)."""
    return group != "home" and not group.startswith("api ")


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1: a sync worker holds its process while it waits
    for the database, so one or two per core more than the cores keeps them busy (5 on 2)."""
    return 2 * (os.cpu_count() or 1) + 1


def database_url_of(value: str) -> str:
    """A URL as given, or a path to a SQLite file turned into one."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).resolve()}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


class Server:
    """gunicorn with production settings on a free loopback port, in its own process group."""

    def __init__(self, database_url: str, workers: int, extra_env: dict | None = None) -> None:
        self.workers = workers
        self.folder = Path(tempfile.mkdtemp(prefix="hjulet-load-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "HJULET_TESTING"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(self.folder / "static"),
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),  # e.g. DATABASE_REPLICA_URL (replica_two_servers.py)
        }
        self.process: subprocess.Popen | None = None
        self.log = self.folder / "gunicorn.log"

    def _manage(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")

    def start(self) -> None:
        self._manage("migrate", "--check")  # filled and migrated: this script only reads
        self._manage("collectstatic", "--noinput", "--verbosity", "0")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--config",
                    str(ROOT / "config" / "gunicorn.conf.py"),
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                answered = _get(self.url + "/api/v1/geography/counties", timeout=5) == 200
                if answered and len(self.worker_pids()) >= self.workers:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT} s:\n{self.log.read_text()}")

    def worker_pids(self) -> list[int]:
        try:
            return [child.pid for child in psutil.Process(self.process.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def warm_up(self) -> None:
        """Every kind of page once per worker, concurrently, so that each worker has run its
        views and filled its caches before anything is measured."""
        paths = WARM_UP_PATHS * self.workers

        def status(path: str) -> int:
            try:
                return _get(self.url + path, timeout=120)
            except OSError:
                return 0

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            statuses = list(pool.map(status, paths))
        failed = sorted({path for path, code in zip(paths, statuses, strict=True) if code != 200})
        if failed:
            raise RuntimeError(
                f"Warm-up failed for {', '.join(failed)}:\n{self.log.read_text()[-3000:]}"
            )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Workers left behind by a master that died would still be in the group.
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


class MemorySampler(threading.Thread):
    """The largest RSS of every gunicorn worker while a level runs (workers by pid), and the
    largest USS: the memory only that worker holds. With the app preloaded, the pages the
    workers share with the master count in every worker's RSS but in no worker's USS."""

    def __init__(self, server: Server) -> None:
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


def level(server: Server, users: int, duration: int, wait: tuple[float, float], label: str) -> dict:
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


def run(
    database_url: str,
    users: tuple[int, ...] = (16, 64),
    duration: int = 60,
    workers: int | None = None,
    wait: tuple[float, float] = (1.0, 3.0),
    saturation: bool = False,
) -> list[dict]:
    """Start gunicorn on ``database_url`` (filled already), run every level, stop it all."""
    database_url = database_url_of(database_url)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    server = Server(database_url, workers or default_workers())
    results = []
    try:
        print(f"Starting gunicorn ({server.workers} sync workers) on {vendor} …", flush=True)
        started = time.perf_counter()
        server.start()
        server.warm_up()
        print(f"  up and warmed in {time.perf_counter() - started:.0f} s at {server.url}")
        for count in users:
            label = f"load {count} users ({vendor}, {server.workers} workers)"
            results.append(level(server, count, duration, wait, label))
        if saturation:
            count = users[0]
            label = f"saturation {count} users, no think time ({vendor}, {server.workers} workers)"
            results.append(level(server, count, duration, (0.0, 0.0), label))
    finally:
        server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        required=True,
        help="a filled database: a URL (postgres://…, sqlite:///…) or a SQLite file's path",
    )
    parser.add_argument("--users", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--duration", type=int, default=60, help="seconds per level")
    parser.add_argument(
        "--workers", type=int, default=None, help=f"gunicorn workers (default {default_workers()})"
    )
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        default=[1.0, 3.0],
        metavar=("MIN", "MAX"),
        help="think time between a user's requests, seconds",
    )
    parser.add_argument(
        "--saturation", action="store_true", help="also run the first level with no think time"
    )
    arguments = parser.parse_args()
    results = run(
        arguments.database_url,
        users=tuple(arguments.users),
        duration=arguments.duration,
        workers=arguments.workers,
        wait=tuple(arguments.wait),
        saturation=arguments.saturation,
    )
    print("\n## Summary")
    for result in results:
        print(
            f"{result['label']}: {result['rps']:.1f} req/s, p50/p95/p99 "
            f"{_ms(result['p50'])}/{_ms(result['p95'])}/{_ms(result['p99'])} ms, "
            f"errors {result['error_rate']:.2%}, max RSS {result['max_rss_mb']:.0f} MB: "
            f"{result['verdict']}"
        )


if __name__ == "__main__":
    main()
