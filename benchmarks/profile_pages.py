"""Profile pages and API lists on a generated database: queries per request (Django's query
log), the time of a warm request, and pyinstrument's own time per function summed over a
number of requests — figures that hold on a busy machine better than the wall clock alone.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/profile_pages.py \\
        [--database-url sqlite:////tmp/hjulet-bench.sqlite3] [--repeat 10] [--top 15] \\
        [--as-coordinator] [path ...]

Without paths: the start page, the initiative list, an initiative, a search, the impact
totals and the API lists the benchmarks measure.
"""

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import default_sqlite_url, setup

DEFAULT_PATHS = [
    "/",
    "/initiativ/",
    "{initiative}",
    "/initiativ/?q=läxhjälp",
    "/sok/?q=läxhjälp",
    "/effekt/",
    "/api/v1/impact/totals",
    "/api/v1/initiatives",
    "/api/v1/methods",
    "/api/v1/challenges",
    "/api/v1/funding-calls",
    "/api/v1/surveys",
    "/api/v1/arenas",
    "/api/v1/support-structures",
]


def own_times(session) -> Counter:
    """Seconds spent in each function itself (not in what it calls), over the session."""
    totals: Counter = Counter()
    stack = [session.root_frame()]
    while stack:
        frame = stack.pop()
        if frame is None:
            continue
        own = frame.time - sum(child.time for child in frame.children)
        named = frame
        while named.parent is not None and named.function.startswith("["):
            named = named.parent  # pyinstrument's [self] and [await] frames: the caller's
        path = (named.file_path_short or "").replace("site-packages/", "")
        totals[f"{named.function} ({path}:{named.line_no})"] += max(own, 0.0)
        stack.extend(frame.children)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--as-coordinator", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("paths", nargs="*")
    arguments = parser.parse_args()
    setup(arguments.database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from hjulet.accounts.models import User
    from hjulet.knowledge.models import Initiative

    client = Client()
    if arguments.as_coordinator or any("surveys" in p for p in arguments.paths or DEFAULT_PATHS):
        client.force_login(User.objects.get(pk=1))
    initiative = Initiative.objects.order_by("pk").values_list("slug", flat=True).first()
    paths = [
        p.format(initiative=f"/initiativ/{initiative}/") for p in arguments.paths or DEFAULT_PATHS
    ]
    print(
        f"{'path':<40} {'status':>6} {'queries':>7} {'p50 ms':>8} {'min ms':>8} {'own ms/req':>10}"
    )
    for path in paths:
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        query_count = len(queries)  # read now: the next request empties the log
        times = []
        for _ in range(arguments.repeat):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        profile_ms = 0.0
        top: list = []
        if not arguments.no_profile:
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(arguments.repeat):
                client.get(path)
            session = profiler.stop()
            profile_ms = session.duration * 1000 / arguments.repeat
            top = own_times(profiler.last_session).most_common(arguments.top)
        print(
            f"{path:<40} {response.status_code:>6} {query_count:>7} "
            f"{statistics.median(times):>8.1f} {min(times):>8.1f} {profile_ms:>10.1f}"
        )
        for name, seconds in top:
            print(f"      {seconds * 1000 / arguments.repeat:7.2f} ms  {name}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
