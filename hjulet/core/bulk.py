"""Plain INSERTs of many rows, a batch per statement, for bulk services (an import of
100,000 initiatives): no model instance and no per-value preparation per row.

On PostgreSQL the rows go in with one ``COPY … FROM STDIN`` (psycopg writes each value in
C; the ``unnest(%s::type[], …)`` arrays used before were quoted element by element in Python,
most of an import's time in its audit entries); elsewhere an ``executemany`` a batch at a
time (SQLite runs it in C). The caller gives values as the database takes them: ids, text,
numbers, booleans, dates and times already adapted
(``connection.ops.adapt_datetimefield_value``), JSON as a ``json.dumps`` string.
"""

import itertools
from collections.abc import Iterable, Sequence

from django.db import connection, models

BATCH_SIZE = 1000


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
    count = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for values in rows:
                copy.write_row(values)
                count += 1
        return count
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, batch_size)):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
