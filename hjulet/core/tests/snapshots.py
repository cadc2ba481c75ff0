"""What the database holds, row by row, to prove that a refused call changed nothing.

Counting rows misses a refused call that UPDATEs a row (or deletes one and creates another).
``snapshot()`` reads every row of every model of Hjulet's apps (many-to-many tables
included) as ``{model label: {pk: (field values…)}}``; two snapshots are equal only when no
value changed. ``changes()`` names what differs, so a failure says which rows a refused call
touched. Django's own tables (sessions, content types) and the cache are left out: they are
not the apps' data, and a request may legitimately write a session."""

from collections.abc import Iterator
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models

Snapshot = dict[str, dict[Any, tuple]]


# Models that are caches of other rows, written by reads (a survey's answer columns are
# stored by the first results page that needs them): not data a refused call could change.
CACHE_MODELS = {"surveys.SurveyTableSnapshot"}


def app_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        if (
            model.__module__.startswith("hjulet.")
            and model._meta.managed
            and model._meta.label not in CACHE_MODELS
        ):
            yield model


@cache
def _selects() -> list[tuple[str, str, int]]:
    quote = connection.ops.quote_name
    selects = []
    for model in app_models():
        columns = [field.column for field in model._meta.concrete_fields]
        sql = f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)}"
        selects.append((model._meta.label, sql, columns.index(model._meta.pk.column)))
    return selects


def snapshot() -> Snapshot:
    """Every row of every app model, by primary key, as the database returns it (plain SQL:
    the ORM's per-query overhead would make a snapshot per refused call too slow)."""
    result: Snapshot = {}
    with connection.cursor() as cursor:
        for label, sql, pk in _selects():
            cursor.execute(sql)
            result[label] = {row[pk]: row for row in cursor.fetchall()}
    return result


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs, one line per row: added, removed, or changed with the changed fields."""
    found = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        if old == new:
            continue
        model = apps.get_model(label)
        names = [field.attname for field in model._meta.concrete_fields]
        for pk in sorted(set(old) | set(new), key=str):
            if pk not in old:
                found.append(f"{label} {pk} added")
            elif pk not in new:
                found.append(f"{label} {pk} removed")
            elif old[pk] != new[pk]:
                fields = [
                    f"{name}: {a!r} → {b!r}"
                    for name, a, b in zip(names, old[pk], new[pk], strict=True)
                    if a != b
                ]
                found.append(f"{label} {pk} changed ({'; '.join(fields)})")
    return found


def assert_unchanged(before: Snapshot, what: str) -> None:
    found = changes(before, snapshot())
    assert not found, f"{what} changed the database:\n  " + "\n  ".join(found[:20])
