from __future__ import annotations

from datetime import date

import pytest
import time_machine

from crossdesk.workcal import selectors, services
from crossdesk.workcal.lib import DayKind

from .support import at, schedule_2027

pytestmark = pytest.mark.django_db


def test_it_caches_the_calendar_until_it_changes(admin, django_assert_num_queries):
    first = selectors.get_calendar()
    with django_assert_num_queries(1):
        assert selectors.get_calendar() is first
    services.override_set(actor=admin, day=date(2026, 10, 8), is_working=False, note="团建")
    second = selectors.get_calendar()
    assert second is not first
    assert not second.is_working_day(date(2026, 10, 8))


def test_the_calendar_uses_the_stored_working_hours_and_zone(admin):
    services.work_settings_update(actor=admin, periods=[("10:00", "16:00")], time_zone="Asia/Urumqi")
    cal = selectors.get_calendar()
    assert cal.day_length_seconds == 6 * 3600
    assert cal.time_zone_name == "Asia/Urumqi"


@time_machine.travel(at(2026, 11, 21, 10), tick=False)
def test_from_november_it_warns_that_next_years_schedule_is_missing():
    warnings = selectors.calendar_warnings()
    assert [w["year"] for w in warnings] == [2027]
    assert "2027" in warnings[0]["message"]
    assert warnings[0]["url"] == "/calendar/official/2027/"


@time_machine.travel(at(2026, 11, 21, 10), tick=False)
def test_the_chinese_warning_reads_naturally(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        message = selectors.calendar_warnings()[0]["message"]
    assert message.startswith("2027 年的法定节假日安排尚未录入")
    assert "截止时间暂按周末计算" in message


@time_machine.travel(at(2026, 6, 1, 10), tick=False)
def test_before_november_there_is_no_warning():
    assert selectors.calendar_warnings() == []


@time_machine.travel(at(2027, 1, 5, 10), tick=False)
def test_it_warns_when_the_current_year_is_not_covered():
    assert [w["year"] for w in selectors.calendar_warnings()] == [2027]


@time_machine.travel(at(2026, 11, 21, 10), tick=False)
def test_the_warning_goes_once_the_schedule_is_entered(admin):
    services.official_schedule_enter(actor=admin, **schedule_2027())
    assert selectors.calendar_warnings() == []


@time_machine.travel(at(2026, 10, 8, 10), tick=False)
def test_the_month_grid_starts_on_monday_and_marks_the_days():
    month = selectors.month_days(2026, 10)
    assert all(len(week) == 7 for week in month.weeks)
    assert month.weeks[0][0].date == date(2026, 9, 28)  # a Monday
    assert month.weeks[-1][-1].date == date(2026, 11, 1)  # a Sunday
    cells = {cell.date: cell for week in month.weeks for cell in week}
    assert cells[date(2026, 10, 1)].info.kind == DayKind.HOLIDAY and "off" in cells[date(2026, 10, 1)].css
    assert "makeup" in cells[date(2026, 10, 10)].css
    assert "outside" in cells[date(2026, 9, 28)].css
    assert "today" in cells[date(2026, 10, 8)].css
    assert month.periods == [("09:00", "12:00"), ("13:30", "18:00")]
    assert month.day_hours == 7.5
    assert not month.estimated
    assert (month.previous, month.next) == (date(2026, 9, 1), date(2026, 11, 1))


def test_the_month_grid_shows_overrides_with_their_reason(admin):
    services.override_set(actor=admin, day=date(2026, 10, 9), is_working=False, name="团建", note="全员团建")
    month = selectors.month_days(2026, 10)
    [override] = month.overrides
    assert (override.date, override.note, override.info.name) == (date(2026, 10, 9), "全员团建", "团建")
    assert "override" in override.css and "off" in override.css


def test_a_month_in_an_uncovered_year_is_estimated():
    assert selectors.month_days(2027, 2).estimated


def test_the_statutory_schedule_reads_as_ranges():
    ranges, makeup = selectors.statutory_schedule(2026)
    assert ("春节", date(2026, 2, 15), date(2026, 2, 23)) in ranges
    assert ("国庆节", date(2026, 10, 1), date(2026, 10, 7)) in ranges
    assert makeup == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


def test_only_administrators_edit_the_calendar(personas):
    assert selectors.can_edit_calendar(personas.admin_user)
    assert not selectors.can_edit_calendar(personas.cs_head.user)
    assert not selectors.can_edit_calendar(None)
