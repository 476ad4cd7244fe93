"""The period a figure covers: this week / month / quarter / year, or custom dates.

A request belongs to a period by the day it was raised (``raised_on``, the company's
local date of submission), so a figure and the request list filtered by the same dates
(``date_from`` / ``date_to``) count the same requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import param_choice, param_date

PRESETS = {
    "week": gettext_lazy("This week"),
    "month": gettext_lazy("This month"),
    "quarter": gettext_lazy("This quarter"),
    "year": gettext_lazy("This year"),
    "custom": gettext_lazy("Custom"),
}
# A longer span is a mistake in the dates rather than a question anyone asks.
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    """An inclusive range of days, and the preset it came from ("custom" for typed dates)."""

    start: date
    end: date
    preset: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def preset_period(preset: str, today: date | None = None) -> Period:
    """The week (Monday first), month, quarter or year that contains ``today``."""
    today = today or timezone.localdate()
    if preset == "week":
        start = today - timedelta(days=today.weekday())
        return Period(start, start + timedelta(days=6), preset)
    if preset == "month":
        start = today.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return Period(start, following - timedelta(days=1), preset)
    if preset == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, first_month, 1)
        following = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
        return Period(start, following - timedelta(days=1), preset)
    return Period(date(today.year, 1, 1), date(today.year, 12, 31), "year")


def checked_period(start: date | None, end: date | None, *, start_field: str, end_field: str) -> Period:
    """A custom period from two dates, or a 400 naming the field that is wrong."""
    if start is None:
        raise ApplicationError(_("Give the first day of the period."), field=start_field)
    if end is None:
        raise ApplicationError(_("Give the last day of the period."), field=end_field)
    if end < start:
        raise ApplicationError(_("The period cannot end before it starts."), field=end_field)
    if (end - start).days + 1 > MAX_DAYS:
        raise ApplicationError(_("A period is at most five years long."), field=end_field)
    return Period(start, end, "custom")


def period_from_params(params: Mapping, today: date | None = None) -> Period:
    """The pages' period: ``period`` (a preset; the quarter when absent, the span a head
    reviews and long enough for a trend) or ``from``/``to``."""
    preset = param_choice(params, "period", PRESETS) or ""
    start, end = param_date(params, "from"), param_date(params, "to")
    if preset == "custom" or (not preset and (start or end)):
        return checked_period(start, end, start_field="from", end_field="to")
    return preset_period(preset or "quarter", today)
