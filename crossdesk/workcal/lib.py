"""Working-time arithmetic on the company calendar: pure Python, no ORM, no Django.

Every deadline rule ("3 working days", "4 working hours", "24 hours") is computed by a
:class:`WorkCalendar`. It is built once from plain data (working periods, time zone,
statutory and company days, the years whose statutory schedule is known) and then
answers in constant time: a few list look-ups per call.

The model behind it: ``E(x)`` is the working time elapsed from the start of the horizon
to the instant ``x``, in microseconds. ``E`` never decreases, grows one second per second
inside a working period of a working day and stays flat everywhere else. Then

* ``working_seconds_between(a, b) = E(b) - E(a)``;
* ``add_working_seconds(t, s)`` for ``s > 0`` is the EARLIEST instant ``x`` with
  ``E(x) = E(t) + s``: one working hour from Monday 17:30 is Tuesday 09:30, and a result
  may be exactly the end of a period (18:00, 12:00), never the next period's start;
* for ``s < 0`` it is the LATEST instant ``x <= t`` with ``E(x) = E(t) + s`` (so it is
  never a period end but may be a period start);
* ``next_working_time(t)`` is the latest instant with ``E(x) = E(t)``: ``t`` itself in
  working time, otherwise the start of the next working period.

Working time is counted on the wall clock of the calendar's zone. When the zone keeps one
UTC offset over the whole horizon (Asia/Shanghai has had no daylight saving since 1991)
the fast path works on per-day prefix sums and per-second-of-day tables. Otherwise a
general path works on absolute working intervals (UTC) with a binary search, which stays
exact across daylight-saving changes, even one that falls inside a working period.

The per-call functions are closures installed on the instance at build time, not
methods: that saves the attribute look-ups a method would need on every call, and a
million calls must take well under a second (see ``bench/workcal_bench.py``).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import Literal, TypeAlias
from zoneinfo import ZoneInfo

US = 1_000_000
DAY_SECONDS = 86_400
DAY_US = DAY_SECONDS * US
UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)

DEFAULT_PERIODS: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("13:30", "18:00"))
DEFAULT_TIME_ZONE = "Asia/Shanghai"
HORIZON_FIRST_YEAR = 2000
HORIZON_LAST_YEAR = 2100

Period: TypeAlias = tuple[int, int]
"""A working period as seconds of the day, start included, end excluded: (32400, 43200)."""

DayNames: TypeAlias = Mapping[date, str] | Iterable[date]
Unit: TypeAlias = Literal["working_days", "working_hours", "clock_hours"]
UNITS: tuple[Unit, ...] = ("working_days", "working_hours", "clock_hours")


class DayKind(StrEnum):
    """Why a day is (not) a working day, for the month view and the API."""

    WORKDAY = "workday"  # Monday to Friday, nothing special
    WEEKEND = "weekend"  # Saturday or Sunday, nothing special
    HOLIDAY = "holiday"  # statutory holiday (法定节假日), weekend days inside one included
    MAKEUP = "makeup"  # statutory make-up working day (调休上班)
    COMPANY_OFF = "company_off"  # the company's own day off (公司休息日)
    COMPANY_WORK = "company_work"  # the company's extra working day (额外工作日)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One calendar day as the month view shows it.

    ``name`` is the label of the layer that decided the day; ``holiday_name`` the statutory
    name underneath (so a company override on 国庆节 still shows 国庆节); ``estimated`` is
    True when the statutory schedule of the day's year is not known (weekends only).
    """

    date: date
    is_working: bool
    kind: DayKind
    name: str = ""
    holiday_name: str = ""
    is_override: bool = False
    estimated: bool = False


class OutOfHorizonError(ValueError):
    """An instant or a result outside the years the calendar is built for."""


def parse_hhmm(value: str) -> int:
    """``"13:30"`` → 48600 seconds of the day; ``"24:00"`` is allowed as an end."""
    text = str(value).strip()
    hours, sep, minutes = text.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"{value!r} is not a time of day like 09:00")
    h, m = int(hours), int(minutes)
    if m >= 60 or h > 24 or (h == 24 and m):
        raise ValueError(f"{value!r} is not a time of day like 09:00")
    return h * 3600 + m * 60


def format_hhmm(seconds: int) -> str:
    """48600 → ``"13:30"``."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def periods_from_strings(raw: Iterable[Sequence[str]]) -> tuple[Period, ...]:
    """Parse ``[["09:00", "12:00"], ...]`` and check it (see :func:`check_periods`)."""
    periods = []
    for pair in raw:
        if len(pair) != 2:
            raise ValueError(f"a working period is a start and an end, not {pair!r}")
        periods.append((parse_hhmm(pair[0]), parse_hhmm(pair[1])))
    return check_periods(periods)


def check_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Periods must be non-empty, inside the day, sorted and not overlapping."""
    result = tuple((int(s), int(e)) for s, e in periods)
    if not result:
        raise ValueError("at least one working period is needed")
    previous_end = 0
    for start, end in result:
        if not 0 <= start < end <= DAY_SECONDS:
            raise ValueError(f"a working period must start before it ends, within the day: {start}-{end}")
        if start < previous_end:
            raise ValueError("working periods must be in order and must not overlap")
        previous_end = end
    return result


def _names(days: DayNames) -> dict[date, str]:
    if isinstance(days, Mapping):
        return {d: str(n or "") for d, n in days.items()}
    return dict.fromkeys(days, "")


def _zone(time_zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone


@lru_cache(maxsize=8)
def _fixed_offset(tz: tzinfo, first: date, last: date) -> timedelta | None:
    """The zone's UTC offset if it never changes between ``first`` and ``last``, else None.

    Sampled at every local noon: any offset change that lasts a day or more is seen.
    """
    if isinstance(tz, timezone):
        return tz.utcoffset(None)
    day = datetime.combine(first, time(12))  # a wall-clock reading, as utcoffset() expects
    offset = tz.utcoffset(day)
    step = timedelta(days=1)
    for _ in range((last - first).days + 1):
        if tz.utcoffset(day) != offset:
            return None
        day += step
    return offset


def _naive_error(t: object) -> ValueError:
    return ValueError(f"the calendar needs a timezone-aware datetime, not {t!r}")


@lru_cache(maxsize=8)
def _second_tables(
    periods: tuple[Period, ...],
) -> tuple[bytes, array[int], list[tuple[int, int, int]], list[timedelta], list[timedelta]]:
    """Per second of a working day: is it working (bytes of 0/1) and the working seconds
    before it (an array). Per working second q of the day: (hour, minute, second) and the
    offset from midnight of its start, and of its end. Cached: a day override rebuilds
    the calendar but keeps the periods.

    Flat bytes and arrays rather than lists of ints: a look-up touches one compact table
    instead of chasing a pointer to an int object somewhere on the heap.
    """
    working = bytearray(DAY_SECONDS)
    for start, end in periods:
        working[start:end] = b"\x01" * (end - start)
    before = array("q", bytes(8 * DAY_SECONDS))
    starts_hms: list[tuple[int, int, int]] = []
    starts_td: list[timedelta] = []
    ends_td: list[timedelta] = []
    acc = 0
    for start, end in periods:
        for sod in range(start, end):
            starts_hms.append((sod // 3600, sod % 3600 // 60, sod % 60))
            starts_td.append(timedelta(seconds=sod))
            ends_td.append(timedelta(seconds=sod + 1))
    previous_end = 0
    for start, end in periods:
        before[previous_end:start] = array("q", [acc]) * (start - previous_end)
        before[start:end] = array("q", range(acc, acc + end - start))
        acc += end - start
        previous_end = end
    before[previous_end:] = array("q", [acc]) * (DAY_SECONDS - previous_end)
    return bytes(working), before, starts_hms, starts_td, ends_td


@lru_cache(maxsize=4)
def _day_tables(tz: tzinfo, first_day: date, ndays: int) -> tuple[list[datetime], list[tuple[int, int, int]]]:
    """Every day's local midnight (wall clock in ``tz``) and (year, month, day). Cached."""
    midnight = datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz)
    step = timedelta(days=1)
    midnights = []
    for _ in range(ndays):
        midnights.append(midnight)
        midnight += step
    return midnights, [(d.year, d.month, d.day) for d in midnights]


class WorkCalendar:
    """The company's working-time calendar over a horizon of years (default 2000–2100).

    Layers, strongest first: company overrides (day off / extra working day), the
    statutory schedule (holidays and 调休 make-up working days), the weekend rule
    (Monday–Friday working). Every working day has the same working periods.

    Build it from plain data; all arguments are keyword-only:

    * ``periods``: working periods as ``[("09:00", "12:00"), ...]`` or seconds of the day;
    * ``time_zone``: a zone name or a ``tzinfo``; results come back in this zone;
    * ``statutory_off`` / ``statutory_work`` / ``company_off`` / ``company_work``: dates, or
      mappings date → name (the name is shown in the month view);
    * ``known_years``: years whose statutory schedule is known; any other year is computed
      on weekends only and reported by :meth:`uncovered_years` / :meth:`is_estimated`;
    * ``fast``: False forces the general path (tests use it as an oracle).

    The per-call functions, set on the instance when it is built (the fast or the general
    variant), all take and return timezone-aware datetimes and raise
    :class:`OutOfHorizonError` (a ValueError) outside the horizon:
    """

    is_working_time: Callable[[datetime], bool]
    """True when ``t`` lies in a working period (start included, end excluded) of a working day."""

    add_working_seconds: Callable[[datetime, float], datetime]
    """``s > 0``: the earliest instant by which ``s`` seconds of working time have passed
    since ``t``; ``s == 0``: ``t``; ``s < 0``: the latest instant ``t' <= t`` with exactly
    ``-s`` working seconds between ``t'`` and ``t``. Microseconds are kept exactly."""

    add_working_hours: Callable[[datetime, float], datetime]
    """``add_working_seconds(t, hours * 3600)``."""

    add_working_days: Callable[[datetime, float], datetime]
    """``add_working_seconds(t, days * day_length_seconds)``: every working day has the same
    periods, so 1 working day from Monday 10:00 is Tuesday 10:00, from Monday 09:00 (or
    earlier) Monday 18:00, and from Friday evening Monday 18:00."""

    working_seconds_between: Callable[[datetime, datetime], float]
    """Working seconds from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""

    next_working_time: Callable[[datetime], datetime]
    """``t`` itself when it is working time, else the start of the next working period."""

    def __init__(
        self,
        *,
        periods: Iterable[Sequence[str]] | Iterable[Period] = DEFAULT_PERIODS,
        time_zone: str | tzinfo = DEFAULT_TIME_ZONE,
        statutory_off: DayNames = (),
        statutory_work: DayNames = (),
        company_off: DayNames = (),
        company_work: DayNames = (),
        known_years: Iterable[int] = (),
        first_year: int = HORIZON_FIRST_YEAR,
        last_year: int = HORIZON_LAST_YEAR,
        fast: bool = True,
    ) -> None:
        raw = list(periods)
        if raw and all(isinstance(v, int) for pair in raw for v in pair):
            self.periods: tuple[Period, ...] = check_periods(raw)  # type: ignore[arg-type]
        else:
            self.periods = periods_from_strings(raw)  # type: ignore[arg-type]
        self.tz: tzinfo = _zone(time_zone)
        self.time_zone_name: str = str(getattr(self.tz, "key", None) or self.tz)
        self.day_length_seconds: int = sum(end - start for start, end in self.periods)
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)
        self.known_years: frozenset[int] = frozenset(known_years)

        self._statutory_off = _names(statutory_off)
        self._statutory_work = _names(statutory_work)
        self._company_off = _names(company_off)
        self._company_work = _names(company_work)
        for label, a, b in (
            ("statutory", self._statutory_off, self._statutory_work),
            ("company", self._company_off, self._company_work),
        ):
            both = sorted(set(a) & set(b))
            if both:
                raise ValueError(f"{both[0]} is both a day off and a working day in the {label} layer")

        self._day0 = self.first_day.toordinal()
        self._ndays = (self.last_day - self.first_day).days + 1
        first_weekday = self.first_day.weekday()
        work = [(first_weekday + i) % 7 < 5 for i in range(self._ndays)]
        for layer_off, layer_work in (
            (self._statutory_off, self._statutory_work),
            (self._company_off, self._company_work),
        ):
            for d in layer_off:
                if self.first_day <= d <= self.last_day:
                    work[d.toordinal() - self._day0] = False
            for d in layer_work:
                if self.first_day <= d <= self.last_day:
                    work[d.toordinal() - self._day0] = True
        self._work = work
        self._working_days = [i for i, w in enumerate(work) if w]
        # _before[i]: working days strictly before day i (prefix sums, one more entry than days)
        before = [0] * (self._ndays + 1)
        count = 0
        for i, w in enumerate(work):
            before[i] = count
            count += w
        before[self._ndays] = count
        self._before = before

        offset = _fixed_offset(self.tz, self.first_day - timedelta(days=1), self.last_day + timedelta(days=1))
        self.fast_path: bool = fast and offset is not None and offset % timedelta(seconds=1) == timedelta(0)
        if self.fast_path:
            assert offset is not None
            self._install_fast(offset)
        else:
            self._build_intervals()
            self.is_working_time = self._general_is_working_time
            self.add_working_seconds = self._general_add_working_seconds
            self.add_working_hours = self._general_add_working_hours
            self.add_working_days = self._general_add_working_days
            self.working_seconds_between = self._general_working_seconds_between
            self.next_working_time = self._general_next_working_time

    # --- the fast path: one UTC offset over the whole horizon --------------------------

    def _install_fast(self, offset: timedelta) -> None:
        # Everything a call needs is bound to a closure variable here, so a call does no
        # attribute look-ups: it indexes a few lists, does small-integer arithmetic on
        # whole seconds (microseconds ride along) and builds one datetime.
        #
        # Coordinates: E(t) as (E_s, u) = whole working seconds since the horizon start
        # and the microseconds into the current working second (0 outside working time).
        # A target (ts, u) is the instant in working day k = ts // Ls at the working second
        # q = ts - k * Ls of that day, plus u µs. A whole-second target (u == 0) reached by
        # adding is instead the END of the working second before it, (k, q) = divmod(ts - 1,
        # Ls): so a result may be 18:00 but never the next morning's 09:00.
        tz = self.tz
        utc = UTC
        new_datetime: Callable[..., datetime] = datetime
        ndays = self._ndays
        Ls = self.day_length_seconds
        P_b, W_a, starts_hms, starts_td, ends_td = _second_tables(self.periods)
        work_b = bytes(self._work)  # per day: 1 when it is a working day
        cum_s = array("q", [n * Ls for n in self._before])  # working seconds before each day
        # Local midnight of day 0 as read in the zone and in UTC: subtracting it from an
        # instant with the same tzinfo gives (local day index, second of day, µs) directly.
        base_local = datetime(self.first_day.year, 1, 1, tzinfo=tz)
        base_utc = datetime(self.first_day.year, 1, 1, tzinfo=UTC) - offset
        # each working day, by working-day number: local midnight and (year, month, day)
        all_midnights, all_ymd = _day_tables(tz, self.first_day, self._ndays)
        wdt = [all_midnights[i] for i in self._working_days]
        wymd = [all_ymd[i] for i in self._working_days]
        nwd = len(wdt)
        years = f"{self.first_day.year}–{self.last_day.year}"

        def delta_slow(t: datetime) -> timedelta:
            if t.tzinfo is None or t.utcoffset() is None:
                raise _naive_error(t)
            return t - base_utc

        def out_of_range(t: object) -> OutOfHorizonError:
            return OutOfHorizonError(f"{t} is outside the calendar's years {years}")

        def is_working_time(t: datetime) -> bool:
            z = t.tzinfo
            d = t - base_local if z is tz else t - base_utc if z is utc else delta_slow(t)
            day = d.days
            if 0 <= day < ndays:
                return work_b[day] == 1 == P_b[d.seconds]
            raise out_of_range(t)

        def make_adder(unit_s: int) -> Callable[[datetime, float], datetime]:
            unit_us = unit_s * US

            def add(t: datetime, amount: float) -> datetime:
                z = t.tzinfo
                d = t - base_local if z is tz else t - base_utc if z is utc else delta_slow(t)
                day = d.days
                if not 0 <= day < ndays:
                    raise out_of_range(t)
                if work_b[day]:
                    sod = d.seconds
                    ts = cum_s[day] + W_a[sod]
                    u = d.microseconds if P_b[sod] else 0
                else:
                    ts = cum_s[day]
                    u = 0
                if type(amount) is int:
                    ts += amount * unit_s
                    sign = amount
                else:
                    sign = round(amount * unit_us)
                    extra_s, u = divmod(u + sign, US)
                    ts += extra_s
                if sign > 0:
                    if u:
                        k, q = divmod(ts, Ls)
                        if k >= nwd:
                            raise out_of_range(f"{t} + {amount}")
                        return new_datetime(*wymd[k], *starts_hms[q], u, tz)
                    k, q = divmod(ts - 1, Ls)
                    if k >= nwd:
                        raise out_of_range(f"{t} + {amount}")
                    return wdt[k] + ends_td[q]
                if sign < 0:
                    if ts < 0:
                        raise out_of_range(f"{t} - {-amount}")
                    k, q = divmod(ts, Ls)
                    if u:
                        return new_datetime(*wymd[k], *starts_hms[q], u, tz)
                    return wdt[k] + starts_td[q]
                return t.astimezone(tz)

            return add

        def working_seconds_between(a: datetime, b: datetime) -> float:
            z = a.tzinfo
            d = a - base_local if z is tz else a - base_utc if z is utc else delta_slow(a)
            day = d.days
            if not 0 <= day < ndays:
                raise out_of_range(a)
            if work_b[day]:
                sod = d.seconds
                ea = cum_s[day] + W_a[sod]
                ua = d.microseconds if P_b[sod] else 0
            else:
                ea = cum_s[day]
                ua = 0
            z = b.tzinfo
            d = b - base_local if z is tz else b - base_utc if z is utc else delta_slow(b)
            day = d.days
            if not 0 <= day < ndays:
                raise out_of_range(b)
            if work_b[day]:
                sod = d.seconds
                if P_b[sod]:
                    return cum_s[day] + W_a[sod] - ea + (d.microseconds - ua) / US
                return cum_s[day] + W_a[sod] - ea - ua / US
            return cum_s[day] - ea - ua / US

        def next_working_time(t: datetime) -> datetime:
            z = t.tzinfo
            d = t - base_local if z is tz else t - base_utc if z is utc else delta_slow(t)
            day = d.days
            if not 0 <= day < ndays:
                raise out_of_range(t)
            if work_b[day]:
                sod = d.seconds
                k, q = divmod(cum_s[day] + W_a[sod], Ls)
                if P_b[sod] and d.microseconds:
                    return new_datetime(*wymd[k], *starts_hms[q], d.microseconds, tz)
            else:
                k, q = divmod(cum_s[day], Ls)
            if k >= nwd:
                raise out_of_range(t)
            return wdt[k] + starts_td[q]

        self.is_working_time = is_working_time
        self.add_working_seconds = make_adder(1)
        self.add_working_hours = make_adder(3600)
        self.add_working_days = make_adder(Ls)
        self.working_seconds_between = working_seconds_between
        self.next_working_time = next_working_time

    # --- the general path: absolute working intervals, any zone ------------------------

    def _wall_to_utc_us(self, day: date, second_of_day: int) -> int:
        # A wall-clock reading in the zone → UTC epoch µs. fold=0 takes the first of two
        # readings in a fall-back hour; a reading inside a spring-forward gap maps past it.
        naive = datetime.combine(day, time(0)) + timedelta(seconds=second_of_day)
        return (naive.replace(tzinfo=self.tz) - UTC_EPOCH) // ONE_US

    def _build_intervals(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        cum: list[int] = []
        total = 0
        for i in self._working_days:
            day = date.fromordinal(self._day0 + i)
            for start, end in self.periods:
                a = self._wall_to_utc_us(day, start)
                b = self._wall_to_utc_us(day, end)
                if ends and a < ends[-1]:
                    a = ends[-1]
                if b <= a:
                    continue
                starts.append(a)
                ends.append(b)
                cum.append(total)
                total += b - a
        self._starts = starts
        self._ends = ends
        self._cum = cum
        self._cum_end = [c + (e - s) for c, s, e in zip(cum, starts, ends, strict=True)]
        self._horizon_start_us = self._wall_to_utc_us(self.first_day, 0)
        self._horizon_end_us = self._wall_to_utc_us(self.last_day + timedelta(days=1), 0)

    def _utc_us(self, t: datetime) -> int:
        if t.tzinfo is None or t.utcoffset() is None:
            raise _naive_error(t)
        x = (t - UTC_EPOCH) // ONE_US
        if not self._horizon_start_us <= x < self._horizon_end_us:
            raise OutOfHorizonError(
                f"{t} is outside the calendar's years {self.first_day.year}–{self.last_day.year}"
            )
        return x

    def _from_utc_us(self, x: int) -> datetime:
        return (UTC_EPOCH + timedelta(microseconds=x)).astimezone(self.tz)

    def _general_elapsed(self, x: int) -> int:
        i = bisect_right(self._starts, x) - 1
        if i < 0:
            return 0
        return self._cum[i] + min(x, self._ends[i]) - self._starts[i]

    def _general_is_working_time(self, t: datetime) -> bool:
        x = self._utc_us(t)
        i = bisect_right(self._starts, x) - 1
        return i >= 0 and x < self._ends[i]

    def _general_add_working_seconds(self, t: datetime, seconds: float) -> datetime:
        x = self._utc_us(t)
        s_us = round(seconds * US)
        if s_us == 0:
            return t.astimezone(self.tz)
        target = self._general_elapsed(x) + s_us
        if s_us > 0:
            # the earliest instant: the first interval whose end reaches the target
            i = bisect_left(self._cum_end, target)
            if i >= len(self._starts):
                raise OutOfHorizonError(f"{t} plus {seconds} working seconds is after the calendar's years")
        else:
            # the latest instant: the last interval starting at or before the target
            if target < 0:
                raise OutOfHorizonError(
                    f"{t} minus {-seconds} working seconds is before the calendar's years"
                )
            i = bisect_right(self._cum, target) - 1
        return self._from_utc_us(self._starts[i] + target - self._cum[i])

    def _general_add_working_hours(self, t: datetime, hours: float) -> datetime:
        return self._general_add_working_seconds(t, hours * 3600)

    def _general_add_working_days(self, t: datetime, days: float) -> datetime:
        return self._general_add_working_seconds(t, days * self.day_length_seconds)

    def _general_working_seconds_between(self, a: datetime, b: datetime) -> float:
        return (self._general_elapsed(self._utc_us(b)) - self._general_elapsed(self._utc_us(a))) / US

    def _general_next_working_time(self, t: datetime) -> datetime:
        x = self._utc_us(t)
        i = bisect_right(self._starts, x) - 1
        if i >= 0 and x < self._ends[i]:
            return t.astimezone(self.tz)
        if i + 1 >= len(self._starts):
            raise OutOfHorizonError(f"no working time after {t} within the calendar's years")
        return self._from_utc_us(self._starts[i + 1])

    # --- built on the above ------------------------------------------------------------

    def add_clock_hours(self, t: datetime, hours: float) -> datetime:
        """``t`` plus ``hours`` of elapsed time (holidays and nights count), in the zone."""
        if t.tzinfo is None or t.utcoffset() is None:
            raise _naive_error(t)
        return (t.astimezone(UTC) + timedelta(hours=hours)).astimezone(self.tz)

    def add(self, t: datetime, amount: float, unit: Unit) -> datetime:
        """``t`` plus ``amount`` of ``unit`` (working_days, working_hours or clock_hours)."""
        if unit == "working_days":
            return self.add_working_days(t, amount)
        if unit == "working_hours":
            return self.add_working_hours(t, amount)
        if unit == "clock_hours":
            return self.add_clock_hours(t, amount)
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")

    def local_date(self, t: datetime) -> date:
        """The calendar day of ``t`` in the calendar's zone."""
        if t.tzinfo is None or t.utcoffset() is None:
            raise _naive_error(t)
        return t.astimezone(self.tz).date()

    def _day_index(self, d: date) -> int:
        if isinstance(d, datetime):
            d = self.local_date(d)
        i = d.toordinal() - self._day0
        if not 0 <= i < self._ndays:
            raise OutOfHorizonError(
                f"{d} is outside the calendar's years {self.first_day.year}–{self.last_day.year}"
            )
        return i

    def is_working_day(self, d: date) -> bool:
        """True when ``d`` (a date, or an aware datetime's local date) is a working day."""
        return self._work[self._day_index(d)]

    def day_info(self, d: date) -> DayInfo:
        """Whether ``d`` is worked, which layer decided it and the names to show."""
        is_working = self._work[self._day_index(d)]
        holiday_name = self._statutory_off.get(d) or self._statutory_work.get(d) or ""
        estimated = d.year not in self.known_years
        if d in self._company_work:
            return DayInfo(
                d, is_working, DayKind.COMPANY_WORK, self._company_work[d], holiday_name, True, estimated
            )
        if d in self._company_off:
            return DayInfo(
                d, is_working, DayKind.COMPANY_OFF, self._company_off[d], holiday_name, True, estimated
            )
        if d in self._statutory_work:
            return DayInfo(d, is_working, DayKind.MAKEUP, holiday_name, holiday_name, False, estimated)
        if d in self._statutory_off:
            return DayInfo(d, is_working, DayKind.HOLIDAY, holiday_name, holiday_name, False, estimated)
        kind = DayKind.WORKDAY if is_working else DayKind.WEEKEND
        return DayInfo(d, is_working, kind, "", "", False, estimated)

    def _as_date(self, value: date | datetime) -> date:
        return self.local_date(value) if isinstance(value, datetime) else value

    def uncovered_years(self, start: date | datetime, end: date | datetime) -> list[int]:
        """Years from ``start`` to ``end`` (either order) with no known statutory schedule."""
        a, b = sorted((self._as_date(start).year, self._as_date(end).year))
        return [y for y in range(a, b + 1) if y not in self.known_years]

    def is_estimated(self, start: date | datetime, end: date | datetime) -> bool:
        """True when the span touches a year computed on weekends only."""
        return bool(self.uncovered_years(start, end))
