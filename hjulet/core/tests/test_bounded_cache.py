"""``core.cache.BoundedLocMemCache``: a process's cache bounded in bytes, the least recently
used entries dropped first."""

from hjulet.core.cache import BoundedLocMemCache


def bounded(name: str, max_bytes: int) -> BoundedLocMemCache:
    cache = BoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 100}})
    cache.clear()
    return cache


def test_the_least_recently_used_go_when_the_bytes_run_out():
    cache = bounded("test-bounded-lru", 3_500)
    for name in "abc":
        cache.set(name, b"x" * 1_000)
    assert cache.get("a") is not None  # a is used again: b is now the least recent
    cache.set("d", b"x" * 1_000)
    assert cache.get("b") is None
    assert all(cache.get(name) is not None for name in "acd")


def test_the_bound_holds_whatever_the_sizes():
    cache = bounded("test-bounded-total", 10_000)
    for number in range(50):
        cache.set(f"page-{number}", b"x" * (100 * (number % 7 + 1)))
    assert sum(len(kept) for kept in cache._cache.values()) <= 10_000
    assert cache.get("page-49") is not None  # the newest stays


def test_one_entry_larger_than_the_bound_is_still_kept_alone():
    cache = bounded("test-bounded-large", 1_000)
    cache.set("small", b"x" * 100)
    cache.set("large", b"x" * 5_000)
    assert cache.get("large") is not None and cache.get("small") is None


def test_without_a_bound_it_is_django_s_cache():
    cache = bounded("test-bounded-none", 0)
    for number in range(50):
        cache.set(f"page-{number}", b"x" * 10_000)
    assert cache.get("page-0") is not None
