"""The pure rules: a task's health (exhaustively), the SMART check, the RACI flags, the
week of a progress list — on a working-day calendar with National Day 2026 off."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from crossdesk.projects.choices import TaskHealth, TaskStatus
from crossdesk.projects.rules import (
    MetricValues,
    derive_health,
    expected_progress,
    last_working_day_of_week,
    raci_flags,
    smart_missing,
    smart_problems,
    week_of,
    working_days_between,
)

# 2026: 1–7 October off (National Day), Saturday 10 October a make-up working day.
HOLIDAYS = {date(2026, 10, d) for d in range(1, 8)}
MAKE_UP = {date(2026, 10, 10)}
# Spring Festival 2026: 15–23 February off (a whole week without a working day).
HOLIDAYS |= {date(2026, 2, d) for d in range(15, 24)}


def is_working_day(day: date) -> bool:
    if day in MAKE_UP:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


START, FINISH = date(2026, 9, 28), date(2026, 10, 16)  # 11 working days: 3 + 3 (8, 9, 10 Oct) + 5


def health(**kwargs) -> TaskHealth:
    values = {
        "status": TaskStatus.IN_PROGRESS,
        "planned_start": START,
        "planned_finish": FINISH,
        "actual_finish": None,
        "progress": 0,
        "blocked": False,
        "today": START,
        "is_working_day": is_working_day,
    }
    values.update(kwargs)
    return derive_health(**values)


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    assert working_days_between(is_working_day, START, FINISH) == 11


def test_expected_progress_counts_working_days_only():
    # On 8 October three working days (28–30 Sep) of eleven are spent, not 10 of 19 calendar days.
    assert (
        expected_progress(
            planned_start=START, planned_finish=FINISH, today=date(2026, 10, 8), is_working_day=is_working_day
        )
        == 27
    )
    assert (
        expected_progress(
            planned_start=START,
            planned_finish=FINISH,
            today=date(2026, 10, 12),
            is_working_day=is_working_day,
        )
        == 54
    )
    assert (
        expected_progress(
            planned_start=START, planned_finish=FINISH, today=START, is_working_day=is_working_day
        )
        == 0
    )


def test_a_task_is_not_behind_after_the_holiday_it_could_not_work_through():
    assert health(progress=20, today=date(2026, 10, 8)) == TaskHealth.ON_TRACK


def test_a_task_trailing_its_working_days_by_more_than_the_tolerance_is_behind():
    assert health(progress=20, today=date(2026, 10, 12)) == TaskHealth.BEHIND
    assert health(progress=44, today=date(2026, 10, 12)) == TaskHealth.ON_TRACK  # 44 + 10 ≥ 54


def test_a_not_started_task_before_its_start_is_on_track():
    assert health(status=TaskStatus.NOT_STARTED, today=START - timedelta(days=3)) == TaskHealth.ON_TRACK


def test_an_open_blocking_problem_makes_a_task_blocked():
    assert health(progress=90, blocked=True, today=date(2026, 10, 9)) == TaskHealth.BLOCKED


def test_an_open_task_past_its_planned_finish_is_overdue_even_when_blocked():
    assert health(progress=95, blocked=True, today=FINISH + timedelta(days=1)) == TaskHealth.OVERDUE
    assert health(progress=95, today=FINISH) != TaskHealth.OVERDUE  # the finish day itself still counts


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (FINISH - timedelta(days=1), TaskHealth.DONE_EARLY),
        (FINISH, TaskHealth.DONE_ON_TIME),
        (FINISH + timedelta(days=1), TaskHealth.DONE_LATE),
    ],
)
def test_a_done_task_compares_its_actual_finish_with_the_plan(finished, expected):
    assert (
        health(status=TaskStatus.DONE, progress=100, actual_finish=finished, today=date(2026, 11, 1))
        == expected
    )


def test_a_cancelled_task_has_no_health_to_track():
    assert health(status=TaskStatus.CANCELLED, today=date(2026, 11, 1)) == TaskHealth.CANCELLED


@pytest.mark.parametrize("status", [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS])
@pytest.mark.parametrize("blocked", [False, True])
@pytest.mark.parametrize("progress", [0, 50, 99])
@pytest.mark.parametrize(
    "today",
    [START - timedelta(days=1), date(2026, 10, 8), date(2026, 10, 14), FINISH, FINISH + timedelta(days=1)],
)
def test_every_open_task_gets_exactly_one_tracked_health(status, blocked, progress, today):
    result = health(status=status, blocked=blocked, progress=progress, today=today)
    if today > FINISH:
        assert result == TaskHealth.OVERDUE
    elif blocked:
        assert result == TaskHealth.BLOCKED
    else:
        expected = expected_progress(
            planned_start=START, planned_finish=FINISH, today=today, is_working_day=is_working_day
        )
        assert result == (TaskHealth.BEHIND if progress + 10 < expected else TaskHealth.ON_TRACK)


def test_a_task_planned_entirely_on_days_off_is_due_at_its_finish():
    assert health(
        planned_start=date(2026, 10, 2), planned_finish=date(2026, 10, 4), today=date(2026, 10, 3)
    ) == (TaskHealth.ON_TRACK)


@translation.override("en")
def test_smart_names_each_missing_part():
    assert smart_missing(MetricValues()) == ["metric", "baseline", "target", "target_date"]
    assert smart_missing(MetricValues("满意度", Decimal("3.8"), Decimal("4.5"), date(2026, 12, 31))) == []
    problems = smart_problems([MetricValues("满意度", None, Decimal("4.5"), None)])
    assert len(problems) == 1
    assert "baseline" in problems[0] and "target date" in problems[0] and "metric 1" in problems[0]


def test_smart_refuses_a_target_equal_to_the_baseline_and_a_past_date():
    metric = MetricValues("满意度", Decimal("4.5"), Decimal("4.5"), date(2026, 1, 1))
    problems = smart_problems([metric], today=date(2026, 6, 1))
    assert len(problems) == 2


def test_raci_flags_a_task_without_a_and_a_department_without_role():
    flags = raci_flags(
        task_ids=[1, 2],
        responsible={1: 10, 2: 10},
        cells=[(1, 11, "A"), (2, 11, "C")],
        participation_ids=[10, 11, 12],
    )
    assert flags.tasks_without_a == {2}
    assert flags.departments_without_role == {12}


def test_the_weekly_list_goes_out_on_the_weeks_last_working_day():
    assert week_of(date(2026, 10, 1)) == (date(2026, 9, 28), date(2026, 10, 4))
    assert last_working_day_of_week(date(2026, 10, 1), is_working_day) == date(2026, 9, 30)
    assert last_working_day_of_week(date(2026, 10, 6), is_working_day) == date(
        2026, 10, 10
    )  # make-up Saturday
    assert last_working_day_of_week(date(2026, 2, 18), is_working_day) is None  # Spring Festival week
