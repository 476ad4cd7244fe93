"""The database keeps the project's invariants whatever code writes the rows (SPEC §5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from crossdesk.core.records import ArchiveError
from crossdesk.projects import models as m
from crossdesk.projects.choices import (
    CoordinationStatus,
    ProjectStatus,
    Recurrence,
    TaskHealth,
    TaskStatus,
)

from .factories import (
    ChangeRequestFactory,
    DeliverableFactory,
    GoalMetricFactory,
    ProjectFactory,
    RaciCellFactory,
    RetrospectiveFactory,
    SubGoalFactory,
    TaskFactory,
    part,
    project_rows,
)

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_a_department_takes_part_once_and_one_department_initiates(personas):
    project = project_rows(personas)
    refused(
        lambda: m.ProjectDepartment.objects.create(
            project=project, department=personas.cs, liaison=personas.cs_staff
        )
    )
    refused(
        lambda: m.ProjectDepartment.objects.create(
            project=project, department=personas.fin, liaison=personas.outsider, is_initiating=True
        )
    )


def test_a_participating_department_has_exactly_one_liaison(personas):
    project = project_rows(personas)
    refused(
        lambda: m.ProjectDepartment.objects.create(project=project, department=personas.fin, liaison=None)
    )
    assert project.departments.filter(liaison__isnull=True).count() == 0


def test_a_project_past_draft_has_a_kickoff_moment(personas):
    refused(lambda: ProjectFactory(status=ProjectStatus.RUNNING, kicked_off_at=None))
    assert ProjectFactory(status=ProjectStatus.RUNNING).kicked_off_at is not None


def test_planned_dates_are_in_order():
    refused(lambda: ProjectFactory(planned_start=date(2026, 10, 9), planned_finish=date(2026, 9, 30)))
    refused(lambda: TaskFactory(planned_start=date(2026, 10, 9), planned_finish=date(2026, 10, 8)))


def test_a_sub_goal_needs_a_deadline_or_a_recurrence():
    refused(lambda: SubGoalFactory(recurrence=Recurrence.NONE, deadline=None))
    assert SubGoalFactory(recurrence=Recurrence.NONE, deadline=date(2026, 9, 30)).pk


@pytest.mark.parametrize(
    ("recurrence", "missing"),
    [
        (Recurrence.WEEKLY, {"weekday": None}),
        (Recurrence.MONTHLY, {"day_of_month": None}),
        (Recurrence.WITHIN_HOURS, {"within_hours": None}),
        (Recurrence.DAILY, {"at_time": None}),
    ],
)
def test_a_recurring_sub_goal_carries_its_parameter(recurrence, missing):
    refused(lambda: SubGoalFactory(recurrence=recurrence, **missing))


def test_a_recurring_sub_goal_with_its_parameter_is_kept():
    goal = SubGoalFactory(recurrence=Recurrence.WITHIN_HOURS, within_hours=24, at_time=None)
    assert goal.get_recurrence_display()


def test_goal_progress_is_the_share_of_the_way_from_baseline_to_target():
    metric = GoalMetricFactory(baseline=Decimal("48"), target=Decimal("24"), current=Decimal("30"))
    assert metric.progress_percent == 75  # a falling metric: 48 h → 24 h, now 30 h
    metric.current = Decimal("20")
    assert metric.progress_percent == 100
    metric.current = None
    assert metric.progress_percent is None


def test_a_task_holds_at_most_one_a_and_one_role_per_department(personas):
    project = project_rows(personas)
    task = TaskFactory(responsible=part(project, personas.cs))
    RaciCellFactory(task=task, participation=part(project, personas.mkt), role="A")
    refused(lambda: RaciCellFactory(task=task, participation=part(project, personas.log), role="A"))
    refused(lambda: RaciCellFactory(task=task, participation=part(project, personas.mkt), role="C"))


def test_r_is_never_a_cell_because_it_is_the_tasks_responsible_department(personas):
    project = project_rows(personas)
    task = TaskFactory(responsible=part(project, personas.cs))
    refused(lambda: RaciCellFactory(task=task, participation=part(project, personas.log), role="R"))
    assert task.responsible.department == personas.cs


def test_a_task_number_is_unique_in_its_project(personas):
    project = project_rows(personas)
    TaskFactory(responsible=part(project, personas.cs), code="T01")
    refused(lambda: TaskFactory(responsible=part(project, personas.cs), code="T01"))


def test_a_done_task_has_its_actual_finish_and_full_progress(personas):
    project = project_rows(personas)
    refused(lambda: TaskFactory(responsible=part(project, personas.cs), status=TaskStatus.DONE, progress=100))
    refused(
        lambda: TaskFactory(
            responsible=part(project, personas.cs),
            status=TaskStatus.DONE,
            progress=90,
            actual_finish=date(2026, 10, 9),
        )
    )
    refused(lambda: TaskFactory(responsible=part(project, personas.cs), progress=101))


def test_a_task_waits_for_one_coordination_at_a_time(personas):
    project = project_rows(personas)
    task = TaskFactory(responsible=part(project, personas.cs))
    now = timezone.now()
    m.Coordination.objects.create(
        task=task, project=project, trigger=TaskHealth.BEHIND, opened_at=now, due_at=now
    )
    refused(
        lambda: m.Coordination.objects.create(
            task=task, project=project, trigger=TaskHealth.BLOCKED, opened_at=now, due_at=now
        )
    )


def test_a_recorded_coordination_has_measures_owner_and_new_deadline(personas):
    project = project_rows(personas)
    task = TaskFactory(responsible=part(project, personas.cs))
    now = timezone.now()
    refused(
        lambda: m.Coordination.objects.create(
            task=task,
            project=project,
            trigger=TaskHealth.BEHIND,
            opened_at=now,
            due_at=now,
            status=CoordinationStatus.RECORDED,
            measures="增加2名开发人员",
            recorded_at=now,
        )
    )


def test_one_weekly_report_per_project_and_week(personas):
    project = project_rows(personas)
    now = timezone.now()
    week = {"week_start": date(2026, 9, 28), "week_end": date(2026, 10, 4)}
    m.WeeklyReport.objects.create(project=project, generated_at=now, content={}, **week)
    refused(lambda: m.WeeklyReport.objects.create(project=project, generated_at=now, content={}, **week))


def test_history_rows_are_append_only(personas):
    project = project_rows(personas)
    event = m.ProjectEvent.objects.create(project=project, kind="created", at=timezone.now())
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_an_archived_project_is_kept_until_its_retention_ends(personas):
    # Archived means ``archived_at`` is set (the record layer's rule), not the status alone.
    project = project_rows(
        personas, status=ProjectStatus.ARCHIVED, archived_at=timezone.now(), retain_until=date(2099, 1, 1)
    )
    with pytest.raises(ArchiveError):
        project.delete()
    with pytest.raises(ArchiveError):
        m.Project.objects.filter(pk=project.pk).delete()


def test_an_archived_projects_rows_refuse_bulk_updates_deletes_and_the_admin(personas, client_for):
    project = project_rows(personas)
    task = TaskFactory(project=project, responsible=part(project, personas.cs))
    RaciCellFactory(task=task, participation=part(project, personas.mkt), role="A")
    now = timezone.now()
    m.Project._base_manager.filter(pk=project.pk).update(
        status=ProjectStatus.ARCHIVED, kicked_off_at=now, archived_at=now, retain_until=date(2099, 1, 1)
    )
    with pytest.raises(ArchiveError), transaction.atomic():
        m.Task.objects.filter(project=project).update(title="改过的任务")
    with pytest.raises(ArchiveError), transaction.atomic():
        m.ProjectDepartment.objects.filter(project=project).delete()
    with pytest.raises(ArchiveError), transaction.atomic():
        m.RaciCell.objects.filter(task__project=project).update(role="I")
    with pytest.raises(ArchiveError), transaction.atomic():
        m.Task.objects.get(pk=task.pk).delete()
    client = client_for(personas.admin_user)
    assert (
        client.post(reverse("admin:projects_task_delete", args=[task.pk]), {"post": "yes"}).status_code == 403
    )
    client.post(
        reverse("admin:projects_task_changelist"),
        {"action": "delete_selected", "_selected_action": [task.pk], "post": "yes"},
    )
    assert m.Task.objects.filter(pk=task.pk, title=task.title).exists()


def test_change_delivery_and_close_invariants_hold(personas):
    project = project_rows(personas)
    ChangeRequestFactory(project=project, number=1)
    refused(lambda: ChangeRequestFactory(project=project, number=1))
    refused(lambda: DeliverableFactory(responsible=part(project, personas.cs), status="returned"))
    refused(lambda: RetrospectiveFactory(status="final", went_well=""))


def test_the_communication_plan_factory_builds_a_weekly_row():
    from .factories import CommunicationPlanEntryFactory

    entry = CommunicationPlanEntryFactory()
    assert entry.weekdays == [0] and entry.frequency == "weekly"
