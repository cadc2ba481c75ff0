"""What the search's parts share: the backend of the default connection, and cleaning text."""

from collections.abc import Iterable

from django.db import connection

from .base import Backend

_BACKENDS: dict[str, Backend] = {}


def _backend() -> Backend:
    vendor = connection.vendor
    if vendor not in _BACKENDS:
        if vendor == "sqlite":
            from .sqlite import SQLiteBackend

            _BACKENDS[vendor] = SQLiteBackend()
        elif vendor == "postgresql":
            from .postgresql import PostgreSQLBackend

            _BACKENDS[vendor] = PostgreSQLBackend()
        else:
            raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {vendor}.")
    return _BACKENDS[vendor]


def _clean(text: str | None) -> str:
    # PostgreSQL cannot store NUL characters; nobody means them.
    return (text or "").replace("\x00", "")


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
