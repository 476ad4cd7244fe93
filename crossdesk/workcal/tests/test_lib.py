"""The pure working-time arithmetic: concrete holiday cases and property-based invariants."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossdesk.workcal.lib import DayKind, OutOfHorizonError, WorkCalendar, periods_from_strings

from .support import SHANGHAI, at, default_calendar, general_calendar, make_calendar, statutory_layers

HOUR = 3600
DEFAULT_PERIODS = [(9 * HOUR, 12 * HOUR), (13 * HOUR + 1800, 18 * HOUR)]

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59), timezones=st.just(SHANGHAI)
)
# whole seconds, up to ±60 working days, and some with microseconds
amounts = st.one_of(
    st.integers(min_value=-60 * 27_000, max_value=60 * 27_000),
    st.integers(min_value=-(10**11), max_value=10**11).map(lambda us: us / 1_000_000),
)
# the same instants read in other zones, for the fast path's conversions
any_zone_instants = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([SHANGHAI, UTC, ZoneInfo("Europe/Berlin"), timezone(timedelta(hours=-5))]),
)
invariant = settings(max_examples=150, deadline=None)


def lands_in_working_hours(cal: WorkCalendar, t: datetime) -> bool:
    """Within [start, end] of a period of a working day (a result may be exactly 18:00)."""
    local = t.astimezone(cal.tz)
    second = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    return cal.is_working_day(local.date()) and any(s <= second <= e for s, e in cal.periods)


# --- concrete cases: 2026 Spring Festival (off Feb 15–23; Sat Feb 14 and Sat Feb 28 worked)


def test_it_counts_the_make_up_saturday_before_the_spring_festival():
    cal = default_calendar()
    assert cal.is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    assert cal.add_working_hours(at(2026, 2, 13, 17, 30), 1) == at(2026, 2, 14, 9, 30)
    assert cal.add_working_days(at(2026, 2, 13, 10), 1) == at(2026, 2, 14, 10)


def test_it_skips_the_whole_spring_festival_break():
    cal = default_calendar()
    for day in range(15, 24):
        assert not cal.is_working_day(date(2026, 2, day))
    assert cal.add_working_hours(at(2026, 2, 14, 17), 2) == at(2026, 2, 24, 10)
    assert cal.add_working_days(at(2026, 2, 14, 10), 1) == at(2026, 2, 24, 10)
    assert cal.working_seconds_between(at(2026, 2, 14, 9), at(2026, 2, 24, 9)) == 7.5 * HOUR
    assert cal.next_working_time(at(2026, 2, 18, 12)) == at(2026, 2, 24, 9)


def test_it_counts_the_make_up_saturday_after_the_spring_festival():
    cal = default_calendar()
    assert cal.is_working_day(date(2026, 2, 28))
    assert not cal.is_working_day(date(2026, 3, 1))
    assert cal.add_working_days(at(2026, 2, 27, 10), 1) == at(2026, 2, 28, 10)
    assert cal.add_working_days(at(2026, 2, 27, 10), 2) == at(2026, 3, 2, 10)


def test_it_goes_back_over_the_spring_festival():
    cal = default_calendar()
    assert cal.add_working_hours(at(2026, 2, 24, 10), -2) == at(2026, 2, 14, 17)
    assert cal.add_working_days(at(2026, 2, 24, 10), -1) == at(2026, 2, 14, 10)


# --- 2026 National Day (Oct 1–7 off; Sun Sep 20 and Sat Oct 10 worked) -------------------


def test_it_carries_working_hours_over_national_day():
    cal = default_calendar()
    assert cal.add_working_hours(at(2026, 9, 30, 17), 3) == at(2026, 10, 8, 11)
    assert cal.working_seconds_between(at(2026, 9, 30, 9), at(2026, 10, 8, 9)) == 7.5 * HOUR


def test_it_counts_the_make_up_sunday_and_saturday_around_national_day():
    cal = default_calendar()
    assert cal.is_working_day(date(2026, 9, 20))  # Sunday
    assert not cal.is_working_day(date(2026, 9, 19))  # the Saturday before stays off
    assert cal.add_working_days(at(2026, 9, 18, 17), 1) == at(2026, 9, 20, 17)
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday
    assert cal.add_working_days(at(2026, 10, 9, 15), 1) == at(2026, 10, 10, 15)
    assert cal.add_working_days(at(2026, 10, 9, 15), 2) == at(2026, 10, 12, 15)


def test_it_knows_the_day_kinds_for_the_month_view():
    cal = default_calendar()
    assert cal.day_info(date(2026, 10, 1)).kind == DayKind.HOLIDAY
    assert cal.day_info(date(2026, 10, 1)).name == "国庆节"
    assert cal.day_info(date(2026, 10, 4)).kind == DayKind.HOLIDAY  # a Sunday inside the holiday
    assert cal.day_info(date(2026, 10, 10)).kind == DayKind.MAKEUP
    assert cal.day_info(date(2026, 10, 10)).is_working
    assert cal.day_info(date(2026, 10, 12)).kind == DayKind.WORKDAY
    assert cal.day_info(date(2026, 10, 17)).kind == DayKind.WEEKEND


# --- company overrides win ----------------------------------------------------------------


def test_a_company_day_off_moves_the_deadline():
    cal = make_calendar(company_off={date(2026, 10, 8): "团建"})
    assert cal.add_working_hours(at(2026, 9, 30, 17), 3) == at(2026, 10, 9, 11)
    info = cal.day_info(date(2026, 10, 8))
    assert (info.kind, info.name, info.is_override, info.is_working) == (
        DayKind.COMPANY_OFF,
        "团建",
        True,
        False,
    )


def test_an_extra_working_day_inside_a_holiday_moves_the_deadline_earlier():
    cal = make_calendar(company_work={date(2026, 10, 5): "值班"})
    assert cal.add_working_hours(at(2026, 9, 30, 17), 3) == at(2026, 10, 5, 11)
    info = cal.day_info(date(2026, 10, 5))
    assert info.kind == DayKind.COMPANY_WORK and info.holiday_name == "国庆节"


def test_a_company_day_off_on_a_make_up_saturday_wins():
    cal = make_calendar(company_off=[date(2026, 10, 10)])
    assert not cal.is_working_day(date(2026, 10, 10))
    assert cal.add_working_days(at(2026, 10, 9, 15), 1) == at(2026, 10, 12, 15)


def test_it_refuses_a_day_that_is_both_off_and_working_in_one_layer():
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(company_off=[date(2026, 3, 2)], company_work=[date(2026, 3, 2)])


# --- semantics at the edges of periods ----------------------------------------------------


def test_adding_lands_on_the_earliest_instant_which_may_be_a_period_end():
    cal = default_calendar()
    assert cal.add_working_hours(at(2026, 3, 2, 17), 1) == at(2026, 3, 2, 18)
    assert cal.add_working_hours(at(2026, 3, 2, 11), 1) == at(2026, 3, 2, 12)
    assert cal.add_working_seconds(at(2026, 3, 2, 11), 3601) == at(2026, 3, 2, 13, 30, 1)
    assert cal.add_working_hours(at(2026, 3, 2, 17, 30), 1) == at(2026, 3, 3, 9, 30)


def test_going_back_lands_on_the_latest_instant_which_may_be_a_period_start():
    cal = default_calendar()
    assert cal.add_working_hours(at(2026, 3, 3, 10), -1) == at(2026, 3, 3, 9)
    assert cal.add_working_seconds(at(2026, 3, 3, 9, 0, 1), -2) == at(2026, 3, 2, 17, 59, 59)
    assert cal.add_working_hours(at(2026, 3, 2, 14, 30), -1) == at(2026, 3, 2, 13, 30)


def test_working_days_are_measured_in_working_day_lengths():
    cal = default_calendar()
    assert cal.add_working_days(at(2026, 3, 2, 9), 1) == at(2026, 3, 2, 18)  # Monday 09:00 → Monday 18:00
    assert cal.add_working_days(at(2026, 3, 2, 7), 1) == at(2026, 3, 2, 18)
    assert cal.add_working_days(at(2026, 3, 6, 20), 1) == at(2026, 3, 9, 18)  # Friday evening → Monday 18:00
    assert cal.add_working_days(at(2026, 3, 2, 10), 3) == at(2026, 3, 5, 10)
    assert cal.add_working_days(at(2026, 3, 2, 10), 0.5) == at(2026, 3, 2, 15, 15)


def test_periods_are_half_open_for_is_working_time():
    cal = default_calendar()
    assert cal.is_working_time(at(2026, 3, 2, 9))
    assert cal.is_working_time(at(2026, 3, 2, 11, 59, 59, 999_999))
    assert not cal.is_working_time(at(2026, 3, 2, 12))
    assert cal.is_working_time(at(2026, 3, 2, 13, 30))
    assert not cal.is_working_time(at(2026, 3, 2, 18))
    assert not cal.is_working_time(at(2026, 3, 7, 10))  # Saturday


def test_it_keeps_microseconds_exactly():
    cal = default_calendar()
    start = at(2026, 3, 2, 11, 59, 59, 250_000)
    assert cal.add_working_seconds(start, 1) == at(2026, 3, 2, 13, 30, 0, 250_000)
    assert cal.working_seconds_between(start, at(2026, 3, 2, 13, 30, 0, 250_000)) == 1
    assert cal.add_working_seconds(at(2026, 3, 2, 10), 0.5) == at(2026, 3, 2, 10, 0, 0, 500_000)


def test_adding_zero_returns_the_same_instant():
    cal = default_calendar()
    t = at(2026, 3, 7, 22, 15)
    assert cal.add_working_hours(t, 0) == t
    assert cal.add_working_days(t, 0.0) == t


def test_it_accepts_any_zone_and_answers_in_the_calendar_zone():
    cal = default_calendar()
    in_utc = at(2026, 9, 30, 17).astimezone(UTC)
    in_berlin = at(2026, 9, 30, 17).astimezone(ZoneInfo("Europe/Berlin"))
    in_fixed = at(2026, 9, 30, 17).astimezone(timezone(timedelta(hours=8)))
    for t in (in_utc, in_berlin, in_fixed):
        due = cal.add_working_hours(t, 3)
        assert due == at(2026, 10, 8, 11) and due.tzinfo is SHANGHAI
        assert cal.is_working_time(t)
    assert cal.working_seconds_between(in_utc, in_berlin) == 0


def test_clock_hours_ignore_the_calendar():
    cal = default_calendar()
    assert cal.add_clock_hours(at(2026, 9, 30, 17), 24) == at(2026, 10, 1, 17)
    assert cal.add(at(2026, 9, 30, 17), 4, "clock_hours") == at(2026, 9, 30, 21)


def test_it_refuses_naive_datetimes_and_instants_outside_the_horizon():
    cal = default_calendar()
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.is_working_time(datetime(2026, 3, 2, 10))
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_working_hours(datetime(2026, 3, 2, 10), 1)
    with pytest.raises(OutOfHorizonError):
        cal.add_working_hours(at(1999, 12, 31, 10), 1)
    with pytest.raises(OutOfHorizonError):
        cal.add_working_days(at(2100, 12, 30, 10), 10)
    with pytest.raises(OutOfHorizonError):
        cal.add_working_days(at(2000, 1, 4, 10), -10)
    with pytest.raises(OutOfHorizonError):
        cal.is_working_day(date(2101, 1, 3))


def test_periods_are_checked():
    assert periods_from_strings([["09:00", "12:00"], ["13:30", "18:00"]]) == tuple(DEFAULT_PERIODS)
    for bad in ([], [["12:00", "09:00"]], [["09:00", "13:00"], ["12:00", "18:00"]], [["9h", "12:00"]]):
        with pytest.raises(ValueError):
            periods_from_strings(bad)


# --- years without a known statutory schedule ---------------------------------------------


def test_a_year_chinese_calendar_does_not_know_falls_back_to_weekends_and_is_flagged():
    cal = default_calendar()
    assert 2027 not in cal.known_years
    # 1 January 2027 is a Friday: only the weekend rule applies, so it counts as a working day
    assert cal.is_working_day(date(2027, 1, 1))
    assert cal.day_info(date(2027, 1, 1)).estimated
    due = cal.add_working_days(at(2026, 12, 31, 10), 3)
    assert due == at(2027, 1, 5, 10)
    assert cal.is_estimated(at(2026, 12, 31, 10), due)
    assert cal.uncovered_years(at(2026, 12, 31, 10), due) == [2027]
    assert not cal.is_estimated(at(2026, 3, 2, 10), at(2026, 12, 31, 10))


def test_an_entered_schedule_covers_the_year():
    layers = statutory_layers()
    cal = WorkCalendar(
        statutory_off={**layers["statutory_off"], date(2027, 1, 1): "元旦"},
        statutory_work=layers["statutory_work"],
        known_years={*layers["known_years"], 2027},
    )
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.add_working_days(at(2026, 12, 31, 10), 3) == at(2027, 1, 6, 10)
    assert not cal.is_estimated(at(2026, 12, 31), at(2027, 1, 6))


# --- a zone with daylight saving: the general path ----------------------------------------


def test_a_zone_with_daylight_saving_uses_the_general_path():
    berlin = ZoneInfo("Europe/Berlin")
    cal = WorkCalendar(time_zone=berlin)
    assert not cal.fast_path
    friday = datetime(2026, 3, 27, 17, tzinfo=berlin)  # clocks go forward on Sunday 29 March
    assert cal.add_working_hours(friday, 2) == datetime(2026, 3, 30, 10, tzinfo=berlin)
    assert cal.working_seconds_between(friday, datetime(2026, 3, 30, 10, tzinfo=berlin)) == 2 * HOUR
    assert cal.add_clock_hours(datetime(2026, 3, 28, 12, tzinfo=berlin), 24) == datetime(
        2026, 3, 29, 13, tzinfo=berlin
    )


def test_the_general_path_counts_real_time_across_a_clock_change_inside_working_hours():
    berlin = ZoneInfo("Europe/Berlin")
    cal = WorkCalendar(time_zone=berlin, periods=[("00:00", "24:00")], company_work=[date(2026, 10, 25)])
    start = datetime(2026, 10, 25, tzinfo=berlin)
    assert cal.working_seconds_between(start, datetime(2026, 10, 26, tzinfo=berlin)) == 25 * HOUR
    # 00:00 CEST is 22:00 UTC; three real hours later it is 02:00 CET, the second 02:00
    assert cal.add_working_hours(start, 3).astimezone(UTC) == datetime(2026, 10, 25, 1, tzinfo=UTC)


# --- invariants (hypothesis) --------------------------------------------------------------


@invariant
@given(t=instants, s=amounts)
def test_adding_then_measuring_gives_the_amount_back(t, s):
    cal = default_calendar()
    result = cal.add_working_seconds(t, s)
    assert math.isclose(cal.working_seconds_between(t, result), s, abs_tol=1e-6)


@invariant
@given(t=instants, s=amounts)
def test_a_result_never_lands_outside_working_hours_or_on_a_holiday(t, s):
    cal = default_calendar()
    result = cal.add_working_seconds(t, s)
    if s != 0:
        assert lands_in_working_hours(cal, result)
        assert cal.day_info(result.astimezone(cal.tz).date()).kind not in (DayKind.HOLIDAY, DayKind.WEEKEND)


@invariant
@given(t=instants, s=amounts)
def test_a_positive_result_is_the_earliest_and_a_negative_one_the_latest(t, s):
    cal = default_calendar()
    result = cal.add_working_seconds(t, s)
    tick = timedelta(microseconds=1)
    if s > 0:
        assert result > t
        assert cal.working_seconds_between(t, result - tick) < s
    elif s < 0:
        assert result < t
        assert cal.working_seconds_between(result + tick, t) < -s


@invariant
@given(a=instants, b=instants, s=amounts)
def test_adding_is_monotonic_in_the_start(a, b, s):
    cal = default_calendar()
    a, b = sorted((a, b))
    assert cal.add_working_seconds(a, s) <= cal.add_working_seconds(b, s)
    assert cal.working_seconds_between(a, b) >= 0


@invariant
@given(t=instants, s1=amounts, s2=amounts)
def test_adding_is_monotonic_in_the_amount(t, s1, s2):
    cal = default_calendar()
    s1, s2 = sorted((s1, s2))
    assert cal.add_working_seconds(t, s1) <= cal.add_working_seconds(t, s2)


@invariant
@given(a=instants, b=instants)
def test_measuring_is_antisymmetric(a, b):
    cal = default_calendar()
    assert cal.working_seconds_between(a, b) == -cal.working_seconds_between(b, a)


@invariant
@given(t=instants)
def test_the_next_working_time_is_working_time_with_none_elapsed(t):
    cal = default_calendar()
    nxt = cal.next_working_time(t)
    assert nxt >= t and cal.is_working_time(nxt)
    assert cal.working_seconds_between(t, nxt) == 0
    assert (nxt == t) == cal.is_working_time(t)


@invariant
@given(t=any_zone_instants, s=amounts)
def test_the_fast_path_agrees_with_the_general_path(t, s):
    fast, general = default_calendar(), general_calendar()
    assert fast.fast_path and not general.fast_path
    assert fast.add_working_seconds(t, s) == general.add_working_seconds(t, s)
    assert fast.is_working_time(t) == general.is_working_time(t)
    assert fast.next_working_time(t) == general.next_working_time(t)
    other = t + timedelta(seconds=s * 3)
    assert math.isclose(
        fast.working_seconds_between(t, other), general.working_seconds_between(t, other), abs_tol=1e-6
    )
