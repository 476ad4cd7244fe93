"""Small statistics the figures share: shares, median, nearest-rank p90, a clock's outcome."""

from __future__ import annotations

import math
import statistics
from datetime import datetime

from crossdesk.deadlines.choices import ClockState


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def p90(values: list[float]) -> float | None:
    """The nearest-rank 90th percentile: the smallest value at or above 90 % of them."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 2)


def clock_outcome(clock: tuple[str, datetime, datetime | None] | None, now: datetime) -> bool | None:
    """True when met on time, False when met late or overdue, None while it may still be met
    (or it no longer applies: cancelled with its request)."""
    if clock is None:
        return None
    state, due_at, met_at = clock
    if state == ClockState.MET and met_at is not None:
        return met_at <= due_at
    if state == ClockState.CANCELLED:
        return None
    return False if state == ClockState.BREACHED or due_at < now else None
