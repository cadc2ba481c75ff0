"""Plain INSERTs of many rows, a batch per statement, for bulk services (an import of
100,000 initiatives): no model instance and no per-value preparation per row.

On PostgreSQL a batch is one ``INSERT … SELECT * FROM unnest(%s::type[], …)`` (one array
per column, one round trip and one plan); elsewhere an ``executemany`` (SQLite runs it in
C). The caller gives values as the database takes them: ids, text, numbers, booleans,
dates and times already adapted (``connection.ops.adapt_datetimefield_value``), JSON as
a ``json.dumps`` string.
"""

import itertools
from collections.abc import Iterable, Sequence

from django.db import connection, models

BATCH_SIZE = 1000


def _array_type(model: type[models.Model], column: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    kind = field.db_type(connection) or "text"
    # The array takes the plain type: a serial id is a bigint or integer, varchar(n) text.
    return {"bigserial": "bigint", "serial": "integer"}.get(kind, kind).split("(")[0]


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    batch_size: int = BATCH_SIZE,
) -> int:
    """INSERT ``rows`` (values in the order of ``columns``) into ``model``'s table, inside
    the caller's transaction; return how many."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(map(quote, columns))
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{_array_type(model, column)}[]" for column in columns)
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"
    else:
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = iter(rows)
    count = 0
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, batch_size)):
            if connection.vendor == "postgresql":
                cursor.execute(sql, [list(values) for values in zip(*batch, strict=True)])
            else:
                cursor.executemany(sql, batch)
            count += len(batch)
    return count
