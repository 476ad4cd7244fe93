"""Gap-free yearly numbers for records (SPEC §3: ``XMB-2026-001``; §4: ``2026-MKT-001``)."""

from __future__ import annotations

from django.db import transaction

from .models import NumberSequence


def next_number(scope: str, year: int) -> int:
    """The next number of ``scope`` in ``year``. Call inside the transaction that uses it.

    The series row is created if missing (a concurrent creator is ignored), then locked:
    two submitters queue on the lock and get consecutive numbers, and a rollback
    returns the number, so the series never has a gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    NumberSequence.objects.bulk_create([NumberSequence(scope=scope, year=year)], ignore_conflicts=True)
    sequence = NumberSequence.objects.select_for_update().get(scope=scope, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value
