"""Query counting for the "no page makes more queries as the data grows" tests (no N+1).

``assert_queries_do_not_grow(client, urls, grow)`` builds data at size n, counts the queries
each page makes, grows the data to 3n and counts again: every page must make exactly as many
queries. When one does not, the message lists the statements that were repeated more often,
which is where the N+1 is.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hjulet.core import freshness

# Literals and parameter lists vary between otherwise identical statements.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b|%s|\?")
_LISTS = re.compile(r"\((?:\s*_\s*,)*\s*_\s*\)")


def _shape(sql: str) -> str:
    return _LISTS.sub("(…)", _LITERALS.sub("_", sql))


def forget_kept() -> None:
    """Forget what the app keeps until something changes: values (``core.freshness``, in the
    default cache and in the process) and whole pages for visitors (``core.page_cache``)."""
    for name in ("default", "pages"):
        caches[name].clear()
    freshness.forget_in_process()


def captured(client: Client, url: str, *, status: int = 200) -> list[str]:
    """The SQL one GET of ``url`` runs (after checking the status). Rate-limit counts start
    from nothing each time, so a counter's first write and its later increments (different
    statements in the database cache) do not look like growth; so do the values pages keep
    until something changes (``core.freshness``) and whole pages kept for visitors
    (``core.page_cache``), so that every count is of the page computing them (growing the
    data is a change: the count after it would be)."""
    caches["ratelimit"].clear()
    forget_kept()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if hasattr(response, "streaming_content"):
        with CaptureQueriesContext(connection) as streaming:
            b"".join(response.streaming_content)
        return [q["sql"] for q in context.captured_queries + streaming.captured_queries]
    return [q["sql"] for q in context.captured_queries]


def count_queries(client: Client, url: str, *, status: int = 200) -> int:
    return len(captured(client, url, status=status))


def _growth(few: list[str], many: list[str]) -> str:
    before, after = Counter(map(_shape, few)), Counter(map(_shape, many))
    lines = [
        f"  {before[shape]} → {after[shape]}: {shape[:300]}"
        for shape in {**before, **after}
        if after[shape] != before[shape]
    ]
    return "\n".join(lines)


def assert_queries_do_not_grow(
    client: Client,
    urls: str | Iterable[str] | Callable[[], Iterable[str]],
    grow: Callable[[int, int], object],
    *,
    n: int = 2,
    status: int = 200,
) -> None:
    """``grow(first, count)`` adds ``count`` more rows of everything the pages show, numbered
    from ``first`` so names stay unique. The pages are counted at n rows and again at 3n.
    ``urls`` may be a callable when the addresses depend on rows ``grow`` made. A page that
    makes fewer queries at 3n counts as a difference too (and lists what it stopped asking)."""

    def addresses() -> list[str]:
        found = urls() if callable(urls) else urls
        return [found] if isinstance(found, str) else list(found)

    grow(0, n)
    # Once unmeasured first, so that per-process caches filled on first use (content types,
    # vocabularies) are warm in both counts whichever tests ran before in this process.
    for url in addresses():
        captured(client, url, status=status)
    few = {url: captured(client, url, status=status) for url in addresses()}
    grow(n, 2 * n)
    problems = []
    for url in addresses():
        many = captured(client, url, status=status)
        if len(many) != len(few[url]):
            problems.append(
                f"{url}: {len(few[url])} queries with n={n}, {len(many)} with n={3 * n}\n"
                + _growth(few[url], many)
            )
    assert not problems, "\n".join(problems)
