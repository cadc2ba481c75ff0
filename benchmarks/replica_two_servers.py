"""Past one machine: reads through a PostgreSQL streaming replica, and two app servers
against one (issue 21).

    .venv/bin/python benchmarks/replica_two_servers.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hjulet_bench [--duration 45] \\
        [--users 16] [--workers 3] [--wait 0 0]

The database must be filled and migrated as for ``load_test.py`` (``generate.py``). The
script starts (or reuses) the loopback replica of ``scripts/pg_replica.py`` on 127.0.0.1:5433
and waits until it has replayed everything, then runs locust (``locustfile.py``, the same
visitors as ``load_test.py``) three times for ``--duration`` seconds each:

1. **one server, primary**: gunicorn with ``--workers`` workers reading the primary;
2. **one server, replica**: the same with ``DATABASE_REPLICA_URL`` (reads from the replica);
3. **two servers, replica**: two such servers, each with ``--workers`` workers and half the
   users (two locust processes at once; no load balancer in between). Throughput is the sum.

Default think time 0 (a closed loop: throughput at saturation). Printed per run: requests/s,
p50/p95/p99, errors, and the transactions the replica answered (``pg_stat_database``), which
shows that reads did go there. On this 2-core machine the two servers, both databases and
locust share the same cores, so two servers cannot be faster than one here: the figure shows
the overhead of the set-up, not the scaling a second machine gives.
"""

import argparse
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import (  # noqa: E402
    Server,
    _figures,
    _load_average,
    _ms,
    database_url_of,
    default_workers,
    run_locust,
)
from pg_replica import Replica  # noqa: E402


def replica_transactions(replica: Replica, database: str) -> int:
    return int(
        replica._psql(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            f"WHERE datname = '{database}'",
            port=replica.port,
        )
        or 0
    )


def measure(
    label: str,
    servers: list[Server],
    users: int,
    duration: int,
    wait: tuple[float, float],
    replica: Replica,
    database: str,
) -> dict:
    share = max(1, users // len(servers))
    before = replica_transactions(replica, database)
    load_before = _load_average()
    with ThreadPoolExecutor(max_workers=len(servers)) as pool:
        runs = list(
            pool.map(
                lambda server: run_locust(server.url, share, duration, wait, server.folder),
                servers,
            )
        )
    answered = replica_transactions(replica, database) - before
    parts = [_figures(rows["Aggregated"]) for rows, _failures in runs]
    result = {
        "label": label,
        "servers": len(servers),
        "users": share * len(servers),
        "rps": sum(part["rps"] for part in parts),
        "p50": max((part["p50"] or 0) for part in parts),
        "p95": max((part["p95"] or 0) for part in parts),
        "p99": max((part["p99"] or 0) for part in parts),
        "failures": sum(part["failures"] for part in parts),
        "requests": sum(part["requests"] for part in parts),
        "replica_transactions": answered,
        "load": f"{load_before} → {_load_average()}",
    }
    print(
        f"{label}: {result['rps']:.1f} req/s, p50/p95/p99 {_ms(result['p50'])}/"
        f"{_ms(result['p95'])}/{_ms(result['p99'])} ms (worst server), "
        f"{result['failures']} errors of {result['requests']}, replica answered "
        f"{answered} transactions; load {result['load']}",
        flush=True,
    )
    return result


def run(
    database_url: str,
    users: int = 16,
    duration: int = 45,
    workers: int | None = None,
    wait: tuple[float, float] = (0.0, 0.0),
    plans: tuple[str, ...] = ("primary", "replica", "two"),
) -> list[dict]:
    database_url = database_url_of(database_url)
    if not database_url.startswith("postgres"):
        raise SystemExit("A streaming replica needs PostgreSQL: give a postgres:// URL.")
    database = urlparse(database_url).path.lstrip("/")
    workers = workers or max(1, default_workers() // 2)
    replica = Replica()
    print(f"Replica: {replica.start()}; waiting until it has replayed everything …", flush=True)
    replica.wait_replayed(timeout=300)
    replica_env = {"DATABASE_REPLICA_URL": replica.url(database)}
    results = []
    every_plan = {
        "primary": ("one server, primary", [{}]),
        "replica": ("one server, reads from the replica", [replica_env]),
        "two": ("two servers, reads from the replica", [replica_env, replica_env]),
    }
    for label, environments in (every_plan[plan] for plan in plans):
        servers = [Server(database_url, workers, extra_env=env) for env in environments]
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=len(servers)) as pool:  # start them together
                list(pool.map(lambda server: (server.start(), server.warm_up()), servers))
            print(
                f"\n## {label} ({len(servers)} × {workers} workers, up in "
                f"{time.perf_counter() - started:.0f} s), {users} users, {duration} s, "
                f"think time {wait[0]:g}–{wait[1]:g} s",
                flush=True,
            )
            results.append(measure(label, servers, users, duration, wait, replica, database))
        finally:
            for server in servers:
                server.stop()
    return results


def main() -> None:
    # A stop (timeout, kill) still stops the servers: the finally blocks run on SystemExit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a filled PostgreSQL database")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", type=int, default=45, help="seconds per run")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers per server")
    parser.add_argument("--wait", type=float, nargs=2, default=[0.0, 0.0], metavar=("MIN", "MAX"))
    parser.add_argument(
        "--plans",
        nargs="+",
        choices=["primary", "replica", "two"],
        default=["primary", "replica", "two"],
        help="which runs (default all three)",
    )
    arguments = parser.parse_args()
    results = run(
        arguments.database_url,
        users=arguments.users,
        duration=arguments.duration,
        workers=arguments.workers,
        wait=tuple(arguments.wait),
        plans=tuple(arguments.plans),
    )
    print("\n| set-up | users | req/s | p50 / p95 ms | errors | replica transactions |")
    print("| --- | --- | --- | --- | --- | --- |")
    for result in results:
        print(
            f"| {result['label']} | {result['users']} | {result['rps']:.1f} | "
            f"{_ms(result['p50'])} / {_ms(result['p95'])} | {result['failures']} | "
            f"{result['replica_transactions']} |"
        )


if __name__ == "__main__":
    main()
