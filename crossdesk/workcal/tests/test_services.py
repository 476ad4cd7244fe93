from __future__ import annotations

from datetime import date

import pytest

from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from crossdesk.workcal import services
from crossdesk.workcal.models import CalendarDay, CalendarYear, Layer, WorkSettings, YearSource
from crossdesk.workcal.selectors import get_calendar
from crossdesk.workcal.signals import calendar_changed
from crossdesk.workcal.tasks import refresh_statutory_days

from .support import SPRING_FESTIVAL_2027, at, schedule_2027

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    """The calendar_changed signals sent during a test."""
    received: list[dict] = []

    def receiver(sender, signal, **kwargs):
        received.append(kwargs)

    calendar_changed.connect(receiver, dispatch_uid="test-receiver")
    yield received
    calendar_changed.disconnect(dispatch_uid="test-receiver")


def version() -> int:
    return WorkSettings.objects.get().version


# --- the statutory seed -------------------------------------------------------------------


def test_migrate_seeds_the_years_chinese_calendar_knows():
    years = dict(CalendarYear.objects.values_list("year", "source"))
    assert years[2010] == years[2026] == YearSource.CHINESE_CALENDAR
    assert 2009 not in years and 2027 not in years
    day = CalendarDay.objects.get(date=date(2026, 2, 15), layer=Layer.STATUTORY)
    assert (day.is_working, day.name) == (False, "春节")
    assert CalendarDay.objects.get(date=date(2026, 2, 14), layer=Layer.STATUTORY).is_working
    # a weekend day inside a holiday is stored too, so the month view can name it
    assert CalendarDay.objects.get(date=date(2026, 10, 4), layer=Layer.STATUTORY).name == "国庆节"


def test_seeding_again_changes_nothing_and_sends_nothing(changes):
    before = version()
    assert services.statutory_days_seed() == []
    assert version() == before
    assert changes == []


def test_seeding_repairs_a_year_that_drifted(changes):
    CalendarDay.objects.filter(date=date(2026, 10, 10), layer=Layer.STATUTORY).delete()
    before = version()
    assert services.statutory_days_seed() == [2026]
    assert CalendarDay.objects.filter(
        date=date(2026, 10, 10), layer=Layer.STATUTORY, is_working=True
    ).exists()
    assert version() == before + 1
    assert changes == [
        {
            "version": before + 1,
            "reason": "statutory",
            "actor_id": None,
            "first_day": date(2026, 1, 1),
            "last_day": date(2026, 12, 31),
        }
    ]


def test_chinese_calendar_data_replaces_a_hand_entered_year_it_now_knows():
    CalendarYear.objects.filter(year=2026).update(source=YearSource.OFFICIAL)
    CalendarDay.objects.create(date=date(2026, 3, 3), layer=Layer.STATUTORY, is_working=False, name="手工")
    assert services.statutory_days_seed() == [2026]
    assert CalendarYear.objects.get(year=2026).source == YearSource.CHINESE_CALENDAR
    assert not CalendarDay.objects.filter(date=date(2026, 3, 3)).exists()


def test_seeding_keeps_a_year_an_administrator_entered_that_chinese_calendar_does_not_know(admin):
    services.official_schedule_enter(actor=admin, **schedule_2027())
    services.statutory_days_seed()
    assert CalendarYear.objects.get(year=2027).source == YearSource.OFFICIAL
    assert CalendarDay.objects.filter(date=date(2027, 2, 20), layer=Layer.STATUTORY, is_working=True).exists()


def test_the_periodic_task_runs_the_seed():
    CalendarDay.objects.filter(date=date(2025, 10, 1), layer=Layer.STATUTORY).delete()
    assert refresh_statutory_days.call() == [2025]


# --- company overrides --------------------------------------------------------------------


def test_an_administrator_sets_a_company_day_off_and_deadlines_move(admin, changes):
    assert get_calendar().add_working_hours(at(2026, 9, 30, 17), 3) == at(2026, 10, 8, 11)
    before = version()
    day = services.override_set(
        actor=admin, day=date(2026, 10, 8), is_working=False, name="团建", note="全员团建"
    )
    assert (day.layer, day.is_working, day.created_by) == (Layer.COMPANY, False, admin)
    assert get_calendar().add_working_hours(at(2026, 9, 30, 17), 3) == at(2026, 10, 9, 11)
    assert changes == [
        {
            "version": before + 1,
            "reason": "override",
            "actor_id": admin.pk,
            "first_day": date(2026, 10, 8),
            "last_day": date(2026, 10, 8),
        }
    ]


def test_setting_an_override_again_replaces_it(admin):
    services.override_set(actor=admin, day=date(2026, 10, 5), is_working=True, note="值班")
    services.override_set(actor=admin, day=date(2026, 10, 5), is_working=False, note="改回休息")
    row = CalendarDay.objects.get(date=date(2026, 10, 5), layer=Layer.COMPANY)
    assert (row.is_working, row.note) == (False, "改回休息")


def test_only_an_administrator_may_set_an_override(staff):
    before = version()
    with pytest.raises(PermissionDeniedError):
        services.override_set(actor=staff, day=date(2026, 10, 8), is_working=False, note="x")
    assert not CalendarDay.objects.filter(layer=Layer.COMPANY).exists()
    assert version() == before


def test_an_override_needs_a_reason(admin):
    with pytest.raises(ApplicationError) as error:
        services.override_set(actor=admin, day=date(2026, 10, 8), is_working=False, note="  ")
    assert error.value.field == "note"


def test_an_override_must_fall_inside_the_calendar(admin):
    with pytest.raises(ApplicationError) as error:
        services.override_set(actor=admin, day=date(1999, 10, 8), is_working=False, note="x")
    assert error.value.field == "date"


def test_removing_an_override_restores_the_statutory_day(admin, changes):
    services.override_set(actor=admin, day=date(2026, 10, 10), is_working=False, note="不调休")
    assert not get_calendar().is_working_day(date(2026, 10, 10))
    services.override_remove(actor=admin, day=date(2026, 10, 10))
    assert get_calendar().is_working_day(date(2026, 10, 10))
    assert changes[-1]["reason"] == "override"


def test_removing_a_missing_override_is_not_found(admin):
    with pytest.raises(NotFoundError):
        services.override_remove(actor=admin, day=date(2026, 10, 10))


def test_only_an_administrator_may_remove_an_override(admin, staff):
    services.override_set(actor=admin, day=date(2026, 10, 10), is_working=False, note="x")
    with pytest.raises(PermissionDeniedError):
        services.override_remove(actor=staff, day=date(2026, 10, 10))
    assert CalendarDay.objects.filter(layer=Layer.COMPANY).count() == 1


# --- official schedules -------------------------------------------------------------------


def test_an_administrator_enters_next_years_schedule(admin, changes):
    assert get_calendar().is_estimated(at(2027, 1, 4), at(2027, 1, 4))
    year = services.official_schedule_enter(actor=admin, **schedule_2027())
    assert (year.year, year.source, year.entered_by) == (2027, YearSource.OFFICIAL, admin)
    cal = get_calendar()
    assert not cal.is_estimated(at(2027, 1, 4), at(2027, 1, 4))
    assert not cal.is_working_day(date(2027, 2, 8))
    assert cal.is_working_day(date(2027, 2, 20))  # a make-up Saturday
    assert cal.day_info(date(2027, 2, 20)).name == "春节"  # named after the nearest holiday
    assert cal.day_info(date(2027, 10, 9)).name == "国庆节"
    assert CalendarDay.objects.filter(layer=Layer.STATUTORY, date__year=2027).count() == 3 + 8 + 7 + 3
    assert changes[-1]["reason"] == "official_schedule"
    assert changes[-1]["first_day"] == date(2027, 1, 1)


def test_entering_a_schedule_again_replaces_the_years_days(admin):
    services.official_schedule_enter(actor=admin, **schedule_2027())
    services.official_schedule_enter(actor=admin, year=2027, holidays=[SPRING_FESTIVAL_2027], workdays=[])
    assert CalendarDay.objects.filter(layer=Layer.STATUTORY, date__year=2027).count() == 8
    assert get_calendar().is_working_day(date(2027, 10, 5))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"workdays": [date(2027, 2, 22)]}, "workdays.0"),  # a Monday
        ({"workdays": [date(2027, 2, 6)]}, "workdays.0"),  # a Saturday inside the holiday
        ({"workdays": [date(2028, 1, 8)]}, "workdays.0"),  # another year
        ({"workdays": [date(2027, 2, 20), date(2027, 2, 20)]}, "workdays.1"),
        ({"holidays": [("春节", date(2027, 2, 13), date(2027, 2, 6))]}, "holidays.0.last_day"),
        ({"holidays": [("春节", date(2026, 12, 31), date(2027, 1, 2))]}, "holidays.0.first_day"),
        ({"holidays": [("", date(2027, 2, 6), date(2027, 2, 13))]}, "holidays.0.name"),
        (
            {"holidays": [SPRING_FESTIVAL_2027, ("又一个", date(2027, 2, 10), date(2027, 2, 15))]},
            "holidays.1.first_day",
        ),
        ({"holidays": []}, "holidays"),
    ],
)
def test_a_wrong_schedule_is_refused_and_changes_nothing(admin, change, field):
    before = version()
    with pytest.raises(ApplicationError) as error:
        services.official_schedule_enter(actor=admin, **{**schedule_2027(), **change})
    assert error.value.field == field
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert version() == before


def test_a_year_chinese_calendar_knows_cannot_be_entered_by_hand(admin):
    with pytest.raises(ApplicationError) as error:
        services.official_schedule_enter(
            actor=admin, year=2026, holidays=[("春节", date(2026, 2, 15), date(2026, 2, 23))], workdays=[]
        )
    assert error.value.field == "year"


def test_only_an_administrator_may_enter_a_schedule(staff):
    with pytest.raises(PermissionDeniedError):
        services.official_schedule_enter(actor=staff, **schedule_2027())


# --- working hours ------------------------------------------------------------------------


def test_an_administrator_changes_the_working_hours(admin, changes):
    row = services.work_settings_update(
        actor=admin, periods=[("8:30", "12:00"), ("13:00", "17:30")], time_zone="Asia/Shanghai"
    )
    assert row.periods == [["08:30", "12:00"], ["13:00", "17:30"]]
    cal = get_calendar()
    assert cal.day_length_seconds == 8 * 3600
    assert cal.add_working_hours(at(2026, 3, 2, 17), 1) == at(2026, 3, 3, 9)
    assert changes[-1] == {
        "version": row.version,
        "reason": "working_hours",
        "actor_id": admin.pk,
        "first_day": None,
        "last_day": None,
    }


@pytest.mark.parametrize(
    ("periods", "time_zone", "field"),
    [
        ([], "Asia/Shanghai", "periods"),
        ([("09:00", "08:00")], "Asia/Shanghai", "periods.0.end"),
        ([("09:00", "13:00"), ("12:00", "18:00")], "Asia/Shanghai", "periods.1.start"),
        ([("9点", "12:00")], "Asia/Shanghai", "periods.0.start"),
        ([("09:00", "25:00")], "Asia/Shanghai", "periods.0.end"),
        ([("09:00", "12:00")], "Mars/Olympus", "time_zone"),
        ([("09:00", "12:00")], "", "time_zone"),
    ],
)
def test_wrong_working_hours_are_refused(admin, periods, time_zone, field):
    before = version()
    with pytest.raises(ApplicationError) as error:
        services.work_settings_update(actor=admin, periods=periods, time_zone=time_zone)
    assert error.value.field == field
    assert version() == before


def test_only_an_administrator_may_change_the_working_hours(staff):
    with pytest.raises(PermissionDeniedError):
        services.work_settings_update(actor=staff, periods=[("09:00", "17:00")], time_zone="Asia/Shanghai")
