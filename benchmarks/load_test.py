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
``--server-cpus 0`` pins gunicorn to one core, to compare the throughput of one core with two.

Locust runs on the same 2 cores as the server and the database, so the figures are for the
whole machine. ``run()`` is the entry point for ``benchmarks/run_all.py``.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import gunicorn_server

# PAGE_P95_MS, TARGET_USERS (run_all.py) and run_locust, _figures, … (replica_two_servers.py)
# are imported from here.
from locust_levels import (  # noqa: F401
    PAGE_P95_MS,
    TARGET_USERS,
    _figures,
    _load_average,
    _ms,
    level,
    run_locust,
)

ROOT = Path(__file__).resolve().parent.parent

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


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1: a sync worker holds its process while it waits
    for the database, so one or two per core more than the cores keeps them busy (5 on 2)."""
    return 2 * (os.cpu_count() or 1) + 1


def database_url_of(value: str) -> str:
    """A URL as given, or a path to a SQLite file turned into one."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).resolve()}"


def _get(url: str, timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """gunicorn with production settings on a free loopback port, in its own process group."""

    def __init__(self, database_url: str, workers: int, extra_env: dict | None = None) -> None:
        self.workers = workers
        self.folder = Path(tempfile.mkdtemp(prefix="hjulet-load-"))
        self.port = gunicorn_server.free_port()
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
        self.process = gunicorn_server.start(self.port, self.workers, self.env, self.log)
        gunicorn_server.wait_until_ready(
            self.process,
            self.ready,
            name="gunicorn",
            timeout=START_TIMEOUT,
            interval=0.5,
            log_tail=lambda: self.log.read_text()[-2000:],
        )

    def ready(self) -> bool:
        """Answers, with every worker started."""
        with contextlib.suppress(OSError):
            answered = _get(self.url + "/api/v1/geography/counties", timeout=5) == 200
            return answered and len(self.worker_pids()) >= self.workers
        return False

    def worker_pids(self) -> list[int]:
        try:
            return [child.pid for child in psutil.Process(self.process.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def pin(self, cpus: list[int]) -> None:
        """Run the master and its workers on ``cpus`` only (workers it forks later inherit
        it): how the server scales with cores, the load generator and database left free."""
        for pid in [self.process.pid, *self.worker_pids()]:
            psutil.Process(pid).cpu_affinity(cpus)

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
            gunicorn_server.stop(self.process)
        # Workers left behind by a master that died would still be in the group.
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


def run(
    database_url: str,
    users: tuple[int, ...] = (16, 64),
    duration: int = 60,
    workers: int | None = None,
    wait: tuple[float, float] = (1.0, 3.0),
    saturation: bool = False,
    server_cpus: list[int] | None = None,
) -> list[dict]:
    """Start gunicorn on ``database_url`` (filled already), run every level, stop it all.
    ``server_cpus``: the cores gunicorn's master and workers may run on (all by default)."""
    database_url = database_url_of(database_url)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    server = Server(database_url, workers or default_workers())
    results = []
    try:
        print(f"Starting gunicorn ({server.workers} sync workers) on {vendor} …", flush=True)
        started = time.perf_counter()
        server.start()
        if server_cpus:
            server.pin(server_cpus)
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
    parser.add_argument(
        "--server-cpus",
        type=lambda text: [int(cpu) for cpu in text.split(",")],
        help="pin gunicorn to these cores, e.g. 0 (to compare one core with two)",
    )
    arguments = parser.parse_args()
    results = run(
        arguments.database_url,
        users=tuple(arguments.users),
        duration=arguments.duration,
        workers=arguments.workers,
        wait=tuple(arguments.wait),
        saturation=arguments.saturation,
        server_cpus=arguments.server_cpus,
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
