"""Every write to the working-day calendar.

Each service runs in one transaction, locks the ``WorkSettings`` row (so calendar writes
queue up and versions never skip or repeat), bumps the version, renews the revision and
sends ``calendar_changed`` (inside the transaction; see ``_bump``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from crossdesk.audit.services import audited_bulk_create
from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from crossdesk.core.records import Actor
from crossdesk.core.templatetags.crossdesk import longdate

from .lib import HORIZON_FIRST_YEAR, HORIZON_LAST_YEAR, format_hhmm, parse_hhmm
from .models import CalendarDay, CalendarYear, Layer, WorkSettings, YearSource
from .selectors import can_edit_calendar
from .signals import calendar_changed

logger = logging.getLogger(__name__)

SEED_FIRST_YEAR = 2010
MAX_PERIODS = 6
MAX_HOLIDAY_DAYS = 31


def _require_admin(actor: Actor) -> None:
    if not can_edit_calendar(actor):
        raise PermissionDeniedError(_("Only an administrator can change the working-day calendar."))


def _locked_settings(using: str = DEFAULT_DB_ALIAS) -> WorkSettings:
    row, _created = (
        WorkSettings.objects.using(using).select_for_update().get_or_create(pk=WorkSettings.SINGLETON_ID)
    )
    return row


def _bump(
    row: WorkSettings,
    *,
    reason: str,
    actor: Actor = None,
    first_day: date | None = None,
    last_day: date | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """New version and revision on the locked settings row, then ``calendar_changed``.

    The signal goes out inside the transaction, after the rows are written: a receiver
    sees the new calendar, and the work it enqueues (a task row with the database task
    backend) commits or rolls back together with the change, so a committed change can
    never miss its deadline recomputation.
    """
    row.version += 1
    row.revision = uuid.uuid4()
    row.updated_by = actor if getattr(actor, "pk", None) else None
    row.save(using=using, update_fields=["version", "revision", "updated_by", "updated_at"])
    calendar_changed.send(
        sender=WorkSettings,
        version=row.version,
        reason=reason,
        actor_id=getattr(actor, "pk", None),
        first_day=first_day,
        last_day=last_day,
    )
    return row.version


def _check_in_horizon(day: date, field: str) -> None:
    if not HORIZON_FIRST_YEAR <= day.year <= HORIZON_LAST_YEAR:
        raise ApplicationError(_("The calendar covers the years 2000 to 2100."), field=field)


# --- statutory schedule ------------------------------------------------------------------


def chinese_calendar_schedule(
    *, first_year: int = SEED_FIRST_YEAR
) -> dict[int, dict[date, tuple[bool, str]]]:
    """The statutory days chinese-calendar knows, by year: date → (is_working, Chinese name)."""
    from chinese_calendar import constants

    chinese_names = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    years: dict[int, dict[date, tuple[bool, str]]] = {}
    for days, is_working in ((constants.holidays, False), (constants.workdays, True)):
        for day, name in days.items():
            if day.year >= first_year:
                years.setdefault(day.year, {})[day] = (is_working, chinese_names.get(name, name))
    return years


def statutory_days_seed(*, first_year: int = SEED_FIRST_YEAR, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Bring the statutory layer in step with chinese-calendar; returns the years changed.

    Idempotent: a year whose rows already match is left alone (no version bump, no
    signal), so the daily task is cheap. For every year chinese-calendar knows its data
    replaces the statutory rows, an official schedule an administrator entered included
    (once the package knows a year, it is the reference). Years it does not know keep
    whatever an administrator entered.
    """
    wanted = chinese_calendar_schedule(first_year=first_year)
    with transaction.atomic(using=using):
        row = _locked_settings(using)
        have: dict[int, dict[date, tuple[bool, str]]] = {}
        for day, is_working, name in (
            CalendarDay.objects.using(using)
            .filter(layer=Layer.STATUTORY, date__year__in=list(wanted))
            .values_list("date", "is_working", "name")
        ):
            have.setdefault(day.year, {})[day] = (is_working, name)
        sources = dict(CalendarYear.objects.using(using).values_list("year", "source"))
        changed = [
            year
            for year, days in sorted(wanted.items())
            if have.get(year) != days or sources.get(year) != YearSource.CHINESE_CALENDAR
        ]
        for year in changed:
            if sources.get(year) == YearSource.OFFICIAL:
                logger.info("chinese-calendar now knows %s: it replaces the schedule entered by hand", year)
            CalendarDay.objects.using(using).filter(layer=Layer.STATUTORY, date__year=year).delete()
            audited_bulk_create(
                CalendarDay.objects.using(using),
                (
                    CalendarDay(date=day, layer=Layer.STATUTORY, is_working=is_working, name=name)
                    for day, (is_working, name) in sorted(wanted[year].items())
                ),
            )
            CalendarYear.objects.using(using).update_or_create(
                year=year, defaults={"source": YearSource.CHINESE_CALENDAR, "entered_by": None}
            )
        if changed:
            _bump(
                row,
                reason="statutory",
                first_day=date(changed[0], 1, 1),
                last_day=date(changed[-1], 12, 31),
                using=using,
            )
    return changed


def official_schedule_enter(
    *,
    actor: Actor,
    year: int,
    holidays: Sequence[tuple[str, date, date]],
    workdays: Iterable[date],
) -> CalendarYear:
    """Enter a year's statutory schedule as the State Council published it (each November).

    ``holidays`` are (name, first day, last day) ranges, weekend days inside them
    included; ``workdays`` are the make-up working days (调休上班), each a Saturday or
    Sunday. The year's statutory rows are replaced and the year counts as known from now
    on. Years chinese-calendar knows are refused: their data comes from the package.
    A make-up day is named after the holiday nearest to it.
    """
    _require_admin(actor)
    if not HORIZON_FIRST_YEAR <= year <= HORIZON_LAST_YEAR:
        raise ApplicationError(_("The calendar covers the years 2000 to 2100."), field="year")
    if year >= SEED_FIRST_YEAR and year in chinese_calendar_schedule(first_year=year):
        raise ApplicationError(
            _(
                "The statutory schedule of %(year)s comes from the chinese-calendar package. "
                "Enter differences as company days off or extra working days."
            )
            % {"year": year},
            field="year",
        )
    ranges = _clean_holidays(year, holidays)
    makeup = _clean_workdays(year, workdays, ranges)

    rows: dict[date, CalendarDay] = {}
    for name, first, last in ranges:
        day = first
        while day <= last:
            rows[day] = CalendarDay(
                date=day, layer=Layer.STATUTORY, is_working=False, name=name, created_by=actor
            )
            day += timedelta(days=1)
    for day in makeup:
        nearest = min(ranges, key=lambda r: min(abs((day - r[1]).days), abs((day - r[2]).days)))
        rows[day] = CalendarDay(
            date=day, layer=Layer.STATUTORY, is_working=True, name=nearest[0], created_by=actor
        )

    with transaction.atomic():
        row = _locked_settings()
        CalendarDay.objects.filter(layer=Layer.STATUTORY, date__year=year).delete()
        audited_bulk_create(CalendarDay.objects, (rows[day] for day in sorted(rows)))
        calendar_year, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": YearSource.OFFICIAL, "entered_by": actor}
        )
        _bump(
            row,
            reason="official_schedule",
            actor=actor,
            first_day=date(year, 1, 1),
            last_day=date(year, 12, 31),
        )
    return calendar_year


def _clean_holidays(year: int, holidays: Sequence[tuple[str, date, date]]) -> list[tuple[str, date, date]]:
    ranges: list[tuple[str, date, date]] = []
    for i, (name, first, last) in enumerate(holidays):
        name = (name or "").strip()
        if not name:
            raise ApplicationError(_("Give the holiday a name, e.g. 春节."), field=f"holidays.{i}.name")
        if len(name) > 100:
            raise ApplicationError(_("Keep the name under 100 characters."), field=f"holidays.{i}.name")
        for value, part in ((first, "first_day"), (last, "last_day")):
            if value.year != year:
                raise ApplicationError(
                    _("This date is not in %(year)s.") % {"year": year}, field=f"holidays.{i}.{part}"
                )
        if last < first:
            raise ApplicationError(
                _("The last day must not be before the first day."), field=f"holidays.{i}.last_day"
            )
        if (last - first).days + 1 > MAX_HOLIDAY_DAYS:
            raise ApplicationError(
                _("A holiday lasts at most %(days)s days; check the dates.") % {"days": MAX_HOLIDAY_DAYS},
                field=f"holidays.{i}.last_day",
            )
        for other_name, other_first, other_last in ranges:
            if first <= other_last and other_first <= last:
                raise ApplicationError(
                    _("These dates overlap with %(name)s.") % {"name": other_name},
                    field=f"holidays.{i}.first_day",
                )
        ranges.append((name, first, last))
    if not ranges:
        raise ApplicationError(_("Enter at least one holiday."), field="holidays")
    return ranges


def _clean_workdays(year: int, workdays: Iterable[date], ranges: list[tuple[str, date, date]]) -> list[date]:
    makeup: list[date] = []
    for j, day in enumerate(workdays):
        field = f"workdays.{j}"
        if day.year != year:
            raise ApplicationError(_("This date is not in %(year)s.") % {"year": year}, field=field)
        if day.weekday() < 5:
            raise ApplicationError(
                _("%(date)s is a weekday: a make-up working day is always a Saturday or a Sunday.")
                % {"date": longdate(day)},
                field=field,
            )
        if any(first <= day <= last for _name, first, last in ranges):
            raise ApplicationError(
                _("%(date)s is inside a holiday; it cannot also be a make-up working day.")
                % {"date": longdate(day)},
                field=field,
            )
        if day in makeup:
            raise ApplicationError(_("%(date)s is entered twice.") % {"date": longdate(day)}, field=field)
        makeup.append(day)
    return makeup


# --- company overrides -------------------------------------------------------------------


def override_set(*, actor: Actor, day: date, is_working: bool, name: str = "", note: str = "") -> CalendarDay:
    """Make ``day`` a company day off (``is_working=False``) or an extra working day.

    The company layer wins over the statutory schedule and the weekend rule. A reason
    (``note``) is required: deadlines move because of it.
    """
    _require_admin(actor)
    _check_in_horizon(day, "date")
    name, note = (name or "").strip(), (note or "").strip()
    if len(name) > 100:
        raise ApplicationError(_("Keep the name under 100 characters."), field="name")
    if not note:
        raise ApplicationError(_("Give a reason: deadlines move because of this change."), field="note")
    if len(note) > 300:
        raise ApplicationError(_("Keep the reason under 300 characters."), field="note")
    with transaction.atomic():
        row = _locked_settings()
        override, _created = CalendarDay.objects.update_or_create(
            date=day,
            layer=Layer.COMPANY,
            defaults={"is_working": bool(is_working), "name": name, "note": note, "created_by": actor},
        )
        _bump(row, reason="override", actor=actor, first_day=day, last_day=day)
    return override


def override_remove(*, actor: Actor, day: date) -> None:
    """Remove the company's change on ``day``: the statutory schedule applies again."""
    _require_admin(actor)
    with transaction.atomic():
        row = _locked_settings()
        deleted, _details = CalendarDay.objects.filter(date=day, layer=Layer.COMPANY).delete()
        if not deleted:
            raise NotFoundError(_("%(date)s has no company change.") % {"date": longdate(day)}, field="date")
        _bump(row, reason="override", actor=actor, first_day=day, last_day=day)


# --- working hours -----------------------------------------------------------------------


def _clean_periods(periods: Iterable[Sequence[str]]) -> list[list[str]]:
    parsed: list[tuple[int, int]] = []
    for i, pair in enumerate(periods):
        if len(pair) != 2:
            raise ApplicationError(_("A working period has a start and an end."), field=f"periods.{i}")
        bounds = []
        for value, part in zip(pair, ("start", "end"), strict=True):
            try:
                bounds.append(parse_hhmm(value))
            except ValueError:
                raise ApplicationError(_("Enter a time like 09:00."), field=f"periods.{i}.{part}") from None
        start, end = bounds
        if end <= start:
            raise ApplicationError(_("A period must end after it starts."), field=f"periods.{i}.end")
        if parsed and start < parsed[-1][1]:
            raise ApplicationError(
                _("Periods must be in order through the day and must not overlap."),
                field=f"periods.{i}.start",
            )
        parsed.append((start, end))
    if not parsed:
        raise ApplicationError(_("Enter at least one working period."), field="periods")
    if len(parsed) > MAX_PERIODS:
        raise ApplicationError(
            _("At most %(count)s working periods a day.") % {"count": MAX_PERIODS}, field="periods"
        )
    return [[format_hhmm(start), format_hhmm(end)] for start, end in parsed]


def _clean_time_zone(time_zone: str) -> str:
    key = (time_zone or "").strip()
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApplicationError(
            _("Unknown time zone; use a name like Asia/Shanghai."), field="time_zone"
        ) from None
    return key


def work_settings_update(*, actor: Actor, periods: Iterable[Sequence[str]], time_zone: str) -> WorkSettings:
    """Set the working periods (the same on every working day) and the calendar's zone."""
    _require_admin(actor)
    cleaned = _clean_periods(periods)
    key = _clean_time_zone(time_zone)
    with transaction.atomic():
        row = _locked_settings()
        row.periods = cleaned
        row.time_zone = key
        row.save(update_fields=["periods", "time_zone", "updated_at"])
        _bump(row, reason="working_hours", actor=actor)
    return row
