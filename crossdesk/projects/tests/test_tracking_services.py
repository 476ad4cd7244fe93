"""Tracking with a frozen clock across National Day 2026 (1–7 October off, Saturday 10
October worked): progress, derived health, the 48-hour coordination clock, its escalation
and the coordination recorded from a special coordination meeting."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.choices import ClockState
from crossdesk.deadlines.models import Clock
from crossdesk.meetings.tests.factories import held
from crossdesk.notify.models import Notification
from crossdesk.projects import models as m
from crossdesk.projects.choices import CoordinationStatus, TaskHealth
from crossdesk.projects.services import tracking

from .factories import add_task, at, running_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(personas):
    """CS's task of a running project, planned 21 September – 16 October."""
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        project = running_project(personas)
        return add_task(personas, project, planned_start="2026-09-21", planned_finish="2026-10-16")


def refresh(moment):
    with time_machine.travel(moment, tick=False):
        return tracking.tracking_refresh()


def test_progress_starts_and_finishes_a_task_with_its_actual_dates(personas, task):
    with time_machine.travel(at(2026, 9, 22, 10), tick=False):
        tracking.task_update_progress(
            actor=personas.cs_staff.user, task_id=task.pk, progress=30, note="已整理5类投诉"
        )
        task.refresh_from_db()
        assert (task.status, task.actual_start) == ("in_progress", date(2026, 9, 22))
    with time_machine.travel(at(2026, 10, 15, 10), tick=False):
        tracking.task_update_progress(actor=personas.cs_staff.user, task_id=task.pk, progress=100)
    task.refresh_from_db()
    assert (task.status, task.actual_finish, task.health) == (
        "done",
        date(2026, 10, 15),
        TaskHealth.DONE_EARLY,
    )
    assert list(task.updates.filter(kind="status").values_list("to_status", flat=True)) == [
        "in_progress",
        "done",
    ]


def test_only_the_owner_its_department_or_the_lead_update_a_task(personas, task):
    with pytest.raises(PermissionDeniedError):
        tracking.task_update_progress(actor=personas.outsider.user, task_id=task.pk, progress=10)
    with pytest.raises(PermissionDeniedError):
        tracking.task_update_progress(actor=personas.log_head.user, task_id=task.pk, progress=10)


def test_bad_progress_is_refused_naming_the_field(personas, task):
    with pytest.raises(ApplicationError) as exc:
        tracking.task_update_progress(actor=personas.cs_staff.user, task_id=task.pk, progress=120)
    assert exc.value.field == "progress"
    with pytest.raises(ApplicationError) as exc:
        tracking.task_update_progress(
            actor=personas.cs_staff.user, task_id=task.pk, actual_finish="2099-01-01"
        )
    assert exc.value.field == "actual_finish"


def test_health_is_derived_as_days_pass_on_the_working_day_calendar(personas, task):
    with time_machine.travel(at(2026, 9, 22, 10), tick=False):
        tracking.task_update_progress(actor=personas.cs_staff.user, task_id=task.pk, progress=30)
    refresh(at(2026, 9, 25, 10))
    assert m.Task.objects.get(pk=task.pk).health == TaskHealth.ON_TRACK
    refresh(at(2026, 10, 9, 10))  # the holiday week does not count against the task
    health = m.Task.objects.get(pk=task.pk).health
    assert health == TaskHealth.BEHIND or health == TaskHealth.ON_TRACK
    refresh(at(2026, 10, 17, 10))
    assert m.Task.objects.get(pk=task.pk).health == TaskHealth.OVERDUE


def test_a_blocking_problem_blocks_the_task_and_starts_the_48_hour_clock(personas, task):
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        tracking.task_report_problem(
            actor=personas.cs_staff.user,
            task_id=task.pk,
            blocking=True,
            description="投诉系统导出接口不可用",
            support_needed="IT部协助",
        )
    task.refresh_from_db()
    assert task.health == TaskHealth.BLOCKED
    coordination = task.coordinations.get()
    assert coordination.status == CoordinationStatus.OPEN
    # 48 clock hours, holidays or not.
    assert coordination.due_at == at(2026, 10, 2, 10)
    clock = Clock.objects.get(subject_id=coordination.pk, policy__key="task.coordination")
    assert clock.state == ClockState.RUNNING and clock.department == personas.cs
    assert (
        Notification.objects.filter(recipient=personas.mkt_head, event="project.task_troubled").count() == 1
    )


def test_the_48_hour_clock_escalates_when_no_coordination_is_recorded(personas, task):
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        tracking.task_report_problem(
            actor=personas.cs_staff.user, task_id=task.pk, blocking=True, description="接口不可用"
        )
    with time_machine.travel(at(2026, 10, 2, 10, 1), tick=False):
        deadlines.sweep()
    with time_machine.travel(at(2026, 10, 9, 10), tick=False):
        deadlines.sweep()
    clock = Clock.objects.get(policy__key="task.coordination")
    assert clock.breached_at is not None
    assert clock.escalation_level >= 1
    assert Notification.objects.filter(recipient=personas.cs_head).exists()


def test_a_task_back_on_track_before_the_meeting_withdraws_the_coordination(personas, task):
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        problem = tracking.task_report_problem(
            actor=personas.cs_staff.user, task_id=task.pk, blocking=True, description="接口不可用"
        )
        tracking.task_update_progress(actor=personas.cs_staff.user, task_id=task.pk, progress=60)
        tracking.task_resolve_problem(
            actor=personas.cs_staff.user, problem_id=problem.pk, resolution="IT部已修复"
        )
    coordination = m.Coordination.objects.get(task=task)
    assert coordination.status == CoordinationStatus.WITHDRAWN
    assert Clock.objects.get(policy__key="task.coordination").state == ClockState.CANCELLED


def test_the_coordination_meeting_records_measures_owner_and_a_new_deadline(personas, task):
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        tracking.task_report_problem(
            actor=personas.cs_staff.user, task_id=task.pk, blocking=True, description="接口不可用"
        )
    coordination = m.Coordination.objects.get(task=task)
    with time_machine.travel(at(2026, 10, 9, 15), tick=False):
        meeting = held(personas)  # a special coordination meeting that took place
        tracking.coordination_record(
            actor=personas.mkt_head.user,
            coordination_id=coordination.pk,
            meeting=meeting.pk,
            measures="IT部优先修复导出接口，客服部改用手工台账过渡",
            owner=personas.cs_liaison.pk,
            new_deadline="2026-10-23",
        )
    coordination.refresh_from_db()
    task.refresh_from_db()
    assert coordination.status == CoordinationStatus.RECORDED
    assert coordination.recorded_late is True  # 48 h ran out on 2 October
    assert coordination.old_planned_finish == date(2026, 10, 16)
    assert task.planned_finish == date(2026, 10, 23)
    replanned = task.updates.get(kind="replanned")
    assert replanned.data["old"][1] == "2026-10-16" and replanned.data["new"][1] == "2026-10-23"
    assert Clock.objects.get(policy__key="task.coordination").state == ClockState.MET


def test_measures_come_from_a_held_special_coordination_meeting(personas, task):
    from crossdesk.meetings.tests.factories import notified

    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        tracking.task_report_problem(
            actor=personas.cs_staff.user, task_id=task.pk, blocking=True, description="接口不可用"
        )
        coordination = m.Coordination.objects.get(task=task)
        future = notified(personas)
        with pytest.raises(ApplicationError) as exc:
            tracking.coordination_record(
                actor=personas.mkt_head.user,
                coordination_id=coordination.pk,
                meeting=future.pk,
                measures="x",
                owner=personas.cs_liaison.pk,
                new_deadline="2026-10-23",
            )
        assert exc.value.field == "meeting"
        with pytest.raises(ApplicationError) as exc:
            tracking.coordination_record(
                actor=personas.mkt_head.user,
                coordination_id=coordination.pk,
                meeting=held(personas).pk,
                measures="",
                owner=personas.cs_liaison.pk,
                new_deadline="2026-10-23",
            )
        assert exc.value.field == "measures"


def test_the_lead_calls_the_special_coordination_meeting(personas, task):
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        tracking.task_report_problem(
            actor=personas.cs_staff.user, task_id=task.pk, blocking=True, description="接口不可用"
        )
        coordination = m.Coordination.objects.get(task=task)
        tracking.coordination_schedule_meeting(
            actor=personas.mkt_head.user,
            coordination_id=coordination.pk,
            data={"starts_at": "2026-10-01T10:00", "place": "线上会议室"},
        )
    coordination.refresh_from_db()
    assert coordination.meeting.kind == "special"
    assert coordination.meeting.notice_late_reason
    with pytest.raises(TransitionError):
        tracking.coordination_schedule_meeting(
            actor=personas.mkt_head.user,
            coordination_id=coordination.pk,
            data={"starts_at": "2026-10-01T11:00", "place": "x"},
        )


def test_the_hourly_refresh_is_idempotent(personas, task):
    assert refresh(at(2026, 10, 17, 10)) == 1
    assert refresh(at(2026, 10, 17, 11)) == 0
    assert m.Coordination.objects.filter(task=task).count() == 1
