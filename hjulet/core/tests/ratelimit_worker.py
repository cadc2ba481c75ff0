"""One worker process for ``test_rate_limits.py``: it sets Django up from scratch with the
project's settings (so the rate-limit cache is whatever they configure) against the
database in DATABASE_URL, says "ready", waits for "go" on stdin, then posts log-in
attempts through Hjulet's per-address login limit and prints what happened to each.

    python -m hjulet.core.tests.ratelimit_worker ATTEMPTS ADDRESS [--create-table]
"""

import json
import os
import sys


def main() -> None:
    attempts, address = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django_ratelimit.exceptions import Ratelimited

    from hjulet.core.ratelimits import limited, posted_email

    if "--create-table" in sys.argv:  # a scratch SQLite file has no tables yet
        call_command("createcachetable", verbosity=0)
    # The decorator, group and key of the login view's per-address limit; the view behind
    # it is left out so that the worker needs no other table.
    view = limited("login_per_email", key=posted_email)(lambda request: HttpResponse())
    factory = RequestFactory()
    print("ready", flush=True)
    sys.stdin.readline()
    outcomes = []
    for _ in range(attempts):
        request = factory.post("/konto/logga-in/", {"username": address, "password": "fel"})
        try:
            view(request)
            outcomes.append("processed")
        except Ratelimited:
            outcomes.append("limited")
    print(json.dumps(outcomes), flush=True)


if __name__ == "__main__":
    main()
