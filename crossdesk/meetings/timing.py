"""Time rules of meetings that are checks, not clocks (SPEC §4 [001][002]).

The notice must go out at least N working days before the meeting. Counted in whole
working days, as an office counts "提前3个工作日通知": the day the notice is sent counts
when it is a working day, the meeting's own day does not. A meeting on Fri 9 Oct 2026 may
be noticed on Tue 29 Sep at the latest (29 Sep, 30 Sep, 8 Oct; 1–7 Oct is National Day).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

from crossdesk.workcal.lib import WorkCalendar

MAX_SPAN_DAYS = 400


def working_days_ahead(calendar: WorkCalendar, sent_at: datetime, starts_at: datetime) -> int:
    """Working days from the day the notice is sent up to (not including) the meeting's day."""
    first = calendar.local_date(sent_at)
    last = calendar.local_date(starts_at)
    count = 0
    day = first
    stop = min(last, first + timedelta(days=MAX_SPAN_DAYS))
    while day < stop:
        if calendar.is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def latest_notice_date(calendar: WorkCalendar, starts_at: datetime, days: int) -> date:
    """The last day on which the notice is still on time (the N-th working day before)."""
    day = calendar.local_date(starts_at)
    found = 0
    for _step in range(MAX_SPAN_DAYS):
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            found += 1
            if found >= days:
                return day
    return day


def notice_is_on_time(
    calendar: WorkCalendar, sent_at: datetime, starts_at: datetime, amount: Decimal | float, unit: str
) -> bool:
    """Whether a notice sent at ``sent_at`` meets the rule "``amount`` ``unit`` ahead"."""
    if unit == "working_days":
        return working_days_ahead(calendar, sent_at, starts_at) >= math.ceil(float(amount))
    return calendar.add(sent_at, float(amount), unit) <= starts_at  # type: ignore[arg-type]
