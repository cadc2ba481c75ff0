"""Where the server's CPU goes under the load test's mix: the visitors' requests
(``visitor_mix.py``, the same draw as ``locustfile.py``) made one after the other in one
process through Django's test client, with the CPU time of each page group and
pyinstrument's own time per function summed over the whole mix.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/mix_profile.py \\
        [--database-url sqlite:////tmp/hjulet-bench.sqlite3] [--requests 1000] \\
        [--warm-up 300] [--top 40] [--no-profile]

The load test divides the machine between gunicorn, the database and locust; this script
shows the app's share alone and which functions take it. ``--warm-up`` requests are made
first and not counted (the caches a running worker would have). Whole pages are kept for
visitors as on the servers (``core.page_cache``); ``PAGE_CACHE_SECONDS=0`` in the
environment measures every page rendered. Not part of the tests.
"""

import argparse
import gc
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import default_sqlite_url, setup
from profile_pages import own_times
from visitor_mix import VisitorMix, collect_sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warm-up", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--close-connections",
        action="store_true",
        help="close the database connection after each request, as a server does whose"
        " connections do not persist (CONN_MAX_AGE 0); the test client keeps it open",
    )
    arguments = parser.parse_args()
    setup(arguments.database_url, keep_pages=True)  # as the load test's servers do

    from django.db import connections
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()

    def get_json(path: str):
        return json.loads(client.get(path).content)

    mix = VisitorMix(collect_sample(get_json, arguments.seed), random.Random(arguments.seed))
    for _ in range(arguments.warm_up):
        client.get(mix.choose()[1])
    gc.collect()
    gc.freeze()  # as config/gunicorn.conf.py does before forking

    cpu: dict[str, list[float]] = defaultdict(list)
    profiler = None if arguments.no_profile else Profiler(interval=0.0005)
    if profiler is not None:
        profiler.start()
    wall = time.perf_counter()
    for _ in range(arguments.requests):
        name, path = mix.choose()
        start = time.process_time()
        response = client.get(path)
        if arguments.close_connections:
            connections.close_all()
        cpu[name].append(time.process_time() - start)
        if response.status_code != 200:
            print(f"  {response.status_code} {path}", file=sys.stderr)
    wall = time.perf_counter() - wall
    total = sum(sum(times) for times in cpu.values())
    each = total * 1000 / arguments.requests
    profiled = " (profiler included)" if profiler is not None else ""
    print(f"{arguments.requests} requests in {wall:.1f} s, CPU {each:.1f} ms a request{profiled}")
    print(f"\n{'page group':<26} {'requests':>8} {'CPU ms each':>11} {'share':>6}")
    for name, times in sorted(cpu.items(), key=lambda item: -sum(item[1])):
        print(
            f"{name:<26} {len(times):>8} {sum(times) * 1000 / len(times):>11.1f} "
            f"{sum(times) / total:>6.0%}"
        )
    if profiler is not None:
        session = profiler.stop()
        per_request = session.duration * 1000 / arguments.requests
        print(f"\nown time per function, ms a request (of {per_request:.1f}):")
        top: Counter = own_times(session).most_common(arguments.top)
        for function, seconds in top:
            print(f"  {seconds * 1000 / arguments.requests:7.2f}  {function}")


if __name__ == "__main__":
    main()
