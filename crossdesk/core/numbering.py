"""Gap-free yearly numbers for records (SPEC §3: ``XMB-2026-001``; §4: ``2026-MKT-001``)."""

from __future__ import annotations

from django.db import connection, transaction

from .models import NumberSequence


def next_number(scope: str, year: int) -> int:
    """The next number of ``scope`` in ``year``. Call inside the transaction that uses it.

    The series row is created if missing, or locked and counted on: two submitters queue
    on the row lock and get consecutive numbers, and a rollback returns the number, so
    the series never has a gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    # One statement creates the series or takes its row lock and counts on (PostgreSQL and
    # SQLite 3.35+ both have upserts with RETURNING): submitting is the hot write path.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, year, last_value) VALUES (%s, %s, 1) "
            f"ON CONFLICT (scope, year) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [scope, year],
        )
        return cursor.fetchone()[0]
