"""Every read of the working-day calendar.

``get_calendar()`` is what deadline code calls: a :class:`~crossdesk.workcal.lib.WorkCalendar`
built from the rows and cached per process until the calendar's revision changes.
"""

from __future__ import annotations

import calendar as pycalendar
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .lib import HORIZON_FIRST_YEAR, HORIZON_LAST_YEAR, DayInfo, DayKind, WorkCalendar, format_hhmm
from .models import CalendarDay, CalendarYear, Layer, WorkSettings

NOVEMBER = 11  # the State Council publishes the coming year's schedule in November


def can_edit_calendar(user) -> bool:
    """Administrators (staff or superusers) edit the calendar; everyone else reads it."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser)
    )


# --- the calendar object -----------------------------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[object, WorkCalendar] | None = None


def build_calendar(*, periods=None, time_zone: str | None = None) -> WorkCalendar:
    """A fresh WorkCalendar from the rows (three queries). Prefer :func:`get_calendar`."""
    if periods is None or time_zone is None:
        row = WorkSettings.objects.filter(pk=WorkSettings.SINGLETON_ID).values("periods", "time_zone").first()
        defaults = WorkSettings()
        periods = row["periods"] if row else defaults.periods
        time_zone = row["time_zone"] if row else defaults.time_zone
    # by layer, then by is_working: date → name
    statutory: dict[bool, dict[date, str]] = {False: {}, True: {}}
    company: dict[bool, dict[date, str]] = {False: {}, True: {}}
    for day, layer, is_working, name in CalendarDay.objects.values_list(
        "date", "layer", "is_working", "name"
    ):
        (company if layer == Layer.COMPANY else statutory)[is_working][day] = name
    return WorkCalendar(
        periods=periods,
        time_zone=time_zone,
        statutory_off=statutory[False],
        statutory_work=statutory[True],
        company_off=company[False],
        company_work=company[True],
        known_years=CalendarYear.objects.values_list("year", flat=True),
    )


def get_calendar() -> WorkCalendar:
    """The current calendar: one small query per call, a rebuild only after a change.

    Code that computes many deadlines in a loop calls this once and keeps the object.
    """
    global _cached
    row = (
        WorkSettings.objects.filter(pk=WorkSettings.SINGLETON_ID)
        .values("revision", "periods", "time_zone")
        .first()
    )
    if row is None:
        return build_calendar()  # nothing seeded yet: not cached, the first write creates the row
    cached = _cached
    if cached is not None and cached[0] == row["revision"]:
        return cached[1]
    with _cache_lock:
        cached = _cached
        if cached is not None and cached[0] == row["revision"]:
            return cached[1]
        calendar = build_calendar(periods=row["periods"], time_zone=row["time_zone"])
        _cached = (row["revision"], calendar)
        return calendar


def work_settings() -> WorkSettings:
    """The working-hours row (an unsaved default when nothing was stored yet)."""
    return WorkSettings.objects.filter(pk=WorkSettings.SINGLETON_ID).first() or WorkSettings()


def known_years() -> dict[int, str]:
    """Years whose statutory schedule is known, with its source."""
    return dict(CalendarYear.objects.values_list("year", "source"))


# --- warnings ----------------------------------------------------------------------------


def calendar_warnings() -> list[dict]:
    """Warnings an administrator must act on: this year, or (from 1 November) next year,
    has no statutory schedule, so deadlines in it count weekends only."""
    today = timezone.localdate()
    years = [today.year]
    if today.month >= NOVEMBER:
        years.append(today.year + 1)
    known = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [
        {
            "year": year,
            "message": uncovered_year_message(year),
            "url": reverse("workcal:official", args=[year]),
        }
        for year in years
        if year not in known and HORIZON_FIRST_YEAR <= year <= HORIZON_LAST_YEAR
    ]


def uncovered_year_message(year: int) -> str:
    return _(
        "The statutory holiday schedule for %(year)s has not been entered yet, so deadlines are "
        "counted on weekends only for now. Enter the schedule the State Council published on the "
        "calendar page."
    ) % {"year": year}


# --- the month view ----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCell:
    """One square of the month grid."""

    info: DayInfo
    in_month: bool
    is_today: bool
    note: str = ""

    @property
    def date(self) -> date:
        return self.info.date

    @property
    def css(self) -> str:
        classes = []
        if not self.info.is_working:
            classes.append("off")
        if self.info.kind == DayKind.MAKEUP:
            classes.append("makeup")
        if self.info.is_override:
            classes.append("override")
        if not self.in_month:
            classes.append("outside")
        if self.is_today:
            classes.append("today")
        return " ".join(classes)


@dataclass(frozen=True)
class Month:
    """A month of the calendar, Monday-first weeks, with what the page shows around it."""

    year: int
    month: int
    weeks: list[list[MonthCell]]
    periods: list[tuple[str, str]]
    time_zone: str
    day_hours: float
    estimated: bool
    known_source: str | None
    previous: date | None = None
    next: date | None = None
    overrides: list[MonthCell] = field(default_factory=list)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


def month_days(year: int, month: int) -> Month:
    """The month grid of ``year``-``month``: every cell's status, names and notes.

    Two queries when the calendar is cached (its revision, this month's override notes)
    plus one for the year's source, whatever the month holds.
    """
    cal = get_calendar()
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    start = max(start, cal.first_day)
    end = min(end, cal.last_day)
    notes = dict(
        CalendarDay.objects.filter(layer=Layer.COMPANY, date__range=(start, end)).values_list("date", "note")
    )
    today = timezone.localdate()
    cells = []
    day = start
    while day <= end:
        cells.append(
            MonthCell(
                info=cal.day_info(day),
                in_month=day.month == month,
                is_today=day == today,
                note=notes.get(day, ""),
            )
        )
        day += timedelta(days=1)
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    previous = first - timedelta(days=1)
    following = last + timedelta(days=1)
    source = CalendarYear.objects.filter(year=year).values_list("source", flat=True).first()
    return Month(
        year=year,
        month=month,
        weeks=weeks,
        periods=[(format_hhmm(s), format_hhmm(e)) for s, e in cal.periods],
        time_zone=cal.time_zone_name,
        day_hours=cal.day_length_seconds / 3600,
        estimated=year not in cal.known_years,
        known_source=source,
        previous=previous.replace(day=1) if previous >= cal.first_day else None,
        next=following if following <= cal.last_day else None,
        overrides=[c for c in cells if c.in_month and c.info.is_override],
    )


def days_between(start: date, end: date) -> list[DayInfo]:
    """Every day from ``start`` to ``end`` (inclusive) as the calendar sees it."""
    cal = get_calendar()
    out = []
    day = start
    while day <= end:
        out.append(cal.day_info(day))
        day += timedelta(days=1)
    return out


def override_get(day: date) -> CalendarDay | None:
    """The company's change on ``day``, if there is one."""
    return CalendarDay.objects.filter(layer=Layer.COMPANY, date=day).first()


def statutory_schedule(year: int) -> tuple[list[tuple[str, date, date]], list[date]]:
    """A year's statutory schedule as entered: holiday ranges (name, first, last day) and
    make-up working days. Consecutive days off with the same name form one range."""
    ranges: list[tuple[str, date, date]] = []
    makeup: list[date] = []
    rows = (
        CalendarDay.objects.filter(layer=Layer.STATUTORY, date__year=year)
        .order_by("date")
        .values_list("date", "is_working", "name")
    )
    for day, is_working, name in rows:
        if is_working:
            makeup.append(day)
        elif ranges and ranges[-1][0] == name and (day - ranges[-1][2]).days == 1:
            ranges[-1] = (name, ranges[-1][1], day)
        else:
            ranges.append((name, day, day))
    return ranges, makeup
