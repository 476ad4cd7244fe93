"""The calendar API under /api/v1/calendar/: the same selectors and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from crossdesk.core.errors import ApplicationError
from crossdesk.core.schemas import error_responses

from . import selectors, services
from .lib import HORIZON_FIRST_YEAR, HORIZON_LAST_YEAR

router = Router(tags=["calendar"])

MAX_DAYS = 366


class DayOut(Schema):
    """One day: working or not, and why (kind: workday, weekend, holiday, makeup,
    company_off, company_work). ``estimated``: the year's statutory schedule is unknown."""

    date: date
    is_working: bool
    kind: str
    name: str
    holiday_name: str
    is_override: bool
    estimated: bool


class PeriodIn(Schema):
    start: str = Field(examples=["09:00"])
    end: str = Field(examples=["12:00"])


class PeriodOut(Schema):
    start: str
    end: str


class WorkingHoursIn(Schema):
    periods: list[PeriodIn]
    time_zone: str = Field(examples=["Asia/Shanghai"])


class WorkingHoursOut(Schema):
    periods: list[PeriodOut]
    time_zone: str
    working_day_hours: float
    version: int


class OverrideIn(Schema):
    is_working: bool = Field(description="false: company day off; true: extra working day")
    name: str = Field("", max_length=100, description="label shown on the calendar")
    note: str = Field(max_length=300, description="the reason, required")


class HolidayIn(Schema):
    name: str = Field(examples=["春节"])
    first_day: date
    last_day: date


class HolidayOut(Schema):
    name: str
    first_day: date
    last_day: date


class OfficialScheduleIn(Schema):
    year: int
    holidays: list[HolidayIn]
    workdays: list[date] = Field(default_factory=list, description="make-up working days (调休上班)")


class OfficialScheduleOut(Schema):
    year: int
    source: str
    holidays: list[HolidayOut]
    workdays: list[date]


class ComputeFilter(Schema):
    at: datetime = Field(description="the start, with its UTC offset: 2026-09-30T17:00:00+08:00")
    add: float = Field(ge=-100_000, le=100_000)
    unit: Literal["working_days", "working_hours", "clock_hours"]


class ComputeOut(Schema):
    at: datetime
    add: float
    unit: str
    due: datetime
    estimated: bool = Field(description="the span touches a year whose statutory schedule is unknown")
    uncovered_years: list[int]


def _working_hours_out() -> WorkingHoursOut:
    row = selectors.work_settings()
    cal = selectors.get_calendar()
    return WorkingHoursOut(
        periods=[PeriodOut(start=s, end=e) for s, e in row.periods],
        time_zone=row.time_zone,
        working_day_hours=cal.day_length_seconds / 3600,
        version=row.version,
    )


def _check_day(day: date, field: str) -> None:
    if not HORIZON_FIRST_YEAR <= day.year <= HORIZON_LAST_YEAR:
        raise ApplicationError(_("The calendar covers the years 2000 to 2100."), field=field)


@router.get("days", response={200: list[DayOut], **error_responses(400)})
def list_days(request: HttpRequest, start: date, end: date):
    """Every day from ``start`` to ``end`` inclusive (at most 366 days)."""
    _check_day(start, "start")
    _check_day(end, "end")
    if end < start:
        raise ApplicationError(_("The end must not be before the start."), field="end")
    if (end - start).days + 1 > MAX_DAYS:
        raise ApplicationError(
            _("Ask for at most %(days)s days at a time.") % {"days": MAX_DAYS}, field="end"
        )
    return selectors.days_between(start, end)


@router.get("working-hours", response={200: WorkingHoursOut, **error_responses()})
def get_working_hours(request: HttpRequest):
    """The working periods of every working day and the calendar's time zone."""
    return _working_hours_out()


@router.put("working-hours", response={200: WorkingHoursOut, **error_responses(400, 403)})
def put_working_hours(request: HttpRequest, payload: WorkingHoursIn):
    """Change the working hours (administrators). Running deadlines are recomputed."""
    services.work_settings_update(
        actor=request.user,
        periods=[(p.start, p.end) for p in payload.periods],
        time_zone=payload.time_zone,
    )
    return _working_hours_out()


@router.put("overrides/{day}", response={200: DayOut, **error_responses(400, 403)})
def put_override(request: HttpRequest, day: date, payload: OverrideIn):
    """Make a day a company day off or an extra working day (administrators)."""
    services.override_set(
        actor=request.user, day=day, is_working=payload.is_working, name=payload.name, note=payload.note
    )
    return selectors.get_calendar().day_info(day)


@router.delete("overrides/{day}", response={204: None, **error_responses(403, 404)})
def delete_override(request: HttpRequest, day: date):
    """Remove the company's change on a day (administrators)."""
    services.override_remove(actor=request.user, day=day)
    return Status(204, None)


@router.post("official-schedules", response={201: OfficialScheduleOut, **error_responses(400, 403)})
def post_official_schedule(request: HttpRequest, payload: OfficialScheduleIn):
    """Enter a year's statutory schedule as published by the State Council (administrators)."""
    calendar_year = services.official_schedule_enter(
        actor=request.user,
        year=payload.year,
        holidays=[(h.name, h.first_day, h.last_day) for h in payload.holidays],
        workdays=payload.workdays,
    )
    ranges, makeup = selectors.statutory_schedule(payload.year)
    return Status(
        201,
        OfficialScheduleOut(
            year=calendar_year.year,
            source=calendar_year.source,
            holidays=[HolidayOut(name=n, first_day=f, last_day=last) for n, f, last in ranges],
            workdays=makeup,
        ),
    )


@router.get("compute", response={200: ComputeOut, **error_responses(400)})
def compute(request: HttpRequest, filters: Query[ComputeFilter]):
    """Preview a deadline: ``at`` plus ``add`` working days, working hours or clock hours."""
    at = filters.at
    if at.tzinfo is None or at.utcoffset() is None:
        raise ApplicationError(
            _("Give the time with its UTC offset, e.g. 2026-09-30T17:00:00+08:00."), field="at"
        )
    cal = selectors.get_calendar()
    try:
        due = cal.add(at, filters.add, filters.unit)
    except (ValueError, OverflowError) as exc:
        raise ApplicationError(
            _("The start or the result falls outside the years the calendar covers (2000 to 2100)."),
            field="add",
        ) from exc
    uncovered = [] if filters.unit == "clock_hours" else cal.uncovered_years(at, due)
    return ComputeOut(
        at=at.astimezone(cal.tz),
        add=filters.add,
        unit=filters.unit,
        due=due,
        estimated=bool(uncovered),
        uncovered_years=uncovered,
    )
