"""INSERT and UPDATE of many rows with one prepared statement (``executemany``).

``bulk_create`` / ``bulk_update`` build a model instance per row, prepare every value
through its field and compile SQL per batch (SQLite batches hold under 100 rows), and
``bulk_update`` writes a CASE per column; for 20,000 people that was most of the
import's time. Here rows are plain tuples of values the database takes as they are
(text, integers, booleans, None, ids); columns that are the same on every row (a
timestamp, a default) are prepared once through their field, as Django would.

No ids come back: callers look new rows up by their unique key. Model signals are not
sent, as with bulk_create.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH = 2000


def _run(sql: str, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: list[tuple], *, fixed: Mapping[str, Any] | None = None
) -> None:
    """Insert ``rows`` (values of ``columns``, in order). Every other concrete field
    takes its value from ``fixed`` or else its default, the same on every row."""
    if not rows:
        return
    meta = model._meta
    fixed = dict(fixed or {})
    varying = [meta.get_field(name) for name in columns]
    constant = [f for f in meta.concrete_fields if not f.primary_key and f not in varying]
    tail = tuple(
        f.get_db_prep_save(fixed[f.name] if f.name in fixed else f.get_default(), connection)
        for f in constant
    )
    quote = connection.ops.quote_name
    fields = [*varying, *constant]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    _run(sql, [row + tail for row in rows])


def update_rows(
    model: type[Model], columns: Sequence[str], rows: list[tuple], *, fixed: Mapping[str, Any] | None = None
) -> None:
    """Update by primary key: each row is ``(*values of columns, pk)``; ``fixed``
    columns get the same value on every row (e.g. ``updated_at``)."""
    if not rows:
        return
    meta = model._meta
    fixed = dict(fixed or {})
    fixed_fields = [meta.get_field(name) for name in fixed]
    fixed_values = tuple(f.get_db_prep_save(fixed[f.name], connection) for f in fixed_fields)
    fields = [*(meta.get_field(name) for name in columns), *fixed_fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields), quote(meta.pk.column)
    )
    _run(sql, [(*row[:-1], *fixed_values, row[-1]) for row in rows])
