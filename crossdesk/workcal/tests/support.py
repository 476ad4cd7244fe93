"""Helpers shared by the calendar's tests."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from crossdesk.workcal.lib import WorkCalendar
from crossdesk.workcal.services import chinese_calendar_schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    """A moment on the Shanghai wall clock: at(2026, 10, 8, 9) is 2026-10-08 09:00+08:00."""
    return datetime(*args, tzinfo=SHANGHAI)


def statutory_layers() -> dict:
    """WorkCalendar keyword arguments for the statutory days chinese-calendar knows (2010 on)."""
    off, work = {}, {}
    years = chinese_calendar_schedule()
    for days in years.values():
        for day, (is_working, name) in days.items():
            (work if is_working else off)[day] = name
    return {"statutory_off": off, "statutory_work": work, "known_years": set(years)}


def make_calendar(**kwargs) -> WorkCalendar:
    """The default company calendar (09:00–12:00, 13:30–18:00, Shanghai), with overrides."""
    return WorkCalendar(**{**statutory_layers(), **kwargs})


@cache
def default_calendar() -> WorkCalendar:
    return make_calendar()


@cache
def general_calendar() -> WorkCalendar:
    """The same calendar computed on the general (absolute-interval) path: the oracle."""
    return make_calendar(fast=False)


SPRING_FESTIVAL_2027 = ("春节", date(2027, 2, 6), date(2027, 2, 13))


def schedule_2027() -> dict:
    """A 2027 schedule shaped like the ones the State Council publishes."""
    return {
        "year": 2027,
        "holidays": [
            ("元旦", date(2027, 1, 1), date(2027, 1, 3)),
            SPRING_FESTIVAL_2027,
            ("国庆节", date(2027, 10, 1), date(2027, 10, 7)),
        ],
        "workdays": [date(2027, 2, 20), date(2027, 9, 26), date(2027, 10, 9)],
    }
