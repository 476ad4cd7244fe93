"""The responsibility table and the RACI grid: exactly one R (the responsible department),
at most one A, the flags, and dates that move only through coordination after the kickoff."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError, TransitionError
from crossdesk.notify.models import Notification
from crossdesk.org.selectors import roles_for
from crossdesk.projects import models as m
from crossdesk.projects.selectors.tasks import project_plan, role_of
from crossdesk.projects.services import tasks

from .factories import add_task, at, draft_project, part, running_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas):
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        return draft_project(personas)


def test_a_task_has_one_responsible_department_its_owner_and_its_roles(personas, project):
    task = add_task(personas, project)
    assert task.code == "T01"
    assert task.responsible.department == personas.cs
    assert task.owner == personas.cs_staff
    roles = {p.department.code: role_of(task, p) for p in project.departments.select_related("department")}
    assert roles == {"MKT": "A", "CS": "R", "LOG": "C"}
    assert Notification.objects.filter(recipient=personas.cs_staff, event="project.task_assigned").exists()


def test_the_responsible_department_holds_no_other_role(personas, project):
    with pytest.raises(ApplicationError) as exc:
        add_task(personas, project, collaborators=[personas.cs.pk])
    assert exc.value.field == "collaborators"


def test_the_owner_belongs_to_the_responsible_department(personas, project):
    with pytest.raises(ApplicationError) as exc:
        add_task(personas, project, owner=personas.log_head.pk)
    assert exc.value.field == "owner"


def test_the_responsible_department_must_take_part(personas, project):
    with pytest.raises(ApplicationError) as exc:
        add_task(personas, project, responsible=personas.fin.pk)
    assert exc.value.field == "responsible"


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("planned_start", "2026-13-01"), ("planned_finish", "2026-09-01")],
)
def test_bad_task_input_names_the_field(personas, project, field, value):
    with pytest.raises(ApplicationError) as exc:
        add_task(personas, project, **{field: value})
    assert exc.value.field == field


def test_setting_r_moves_the_responsibility_and_keeps_exactly_one(personas, project):
    task = add_task(personas, project)
    log = part(project, personas.log)
    tasks.raci_set(
        actor=personas.mkt_head.user, task_id=task.pk, participation_id=log.pk, role="R", version=task.version
    )
    task.refresh_from_db()
    assert task.responsible == log
    assert task.owner == personas.log_head  # CS's owner does not belong to LOG: LOG's liaison owns it
    assert role_of(task, part(project, personas.cs)) == ""
    assert not task.raci_cells.filter(participation=log).exists()
    assert task.updates.filter(kind="raci").exists()


def test_r_cannot_be_cleared(personas, project):
    task = add_task(personas, project)
    with pytest.raises(TransitionError):
        tasks.raci_set(
            actor=personas.mkt_head.user, task_id=task.pk, participation_id=task.responsible_id, role=""
        )


def test_setting_a_moves_the_one_a(personas, project):
    task = add_task(personas, project)
    log = part(project, personas.log)
    tasks.raci_set(actor=personas.mkt_head.user, task_id=task.pk, participation_id=log.pk, role="A")
    assert list(task.raci_cells.filter(role="A").values_list("participation", flat=True)) == [log.pk]
    assert role_of(task, part(project, personas.mkt)) == ""


def test_a_stale_grid_edit_is_refused(personas, project):
    task = add_task(personas, project)
    tasks.raci_set(
        actor=personas.mkt_head.user,
        task_id=task.pk,
        participation_id=part(project, personas.log).pk,
        role="I",
        version=task.version,
    )
    with pytest.raises(ConflictError):
        tasks.raci_set(
            actor=personas.mkt_head.user,
            task_id=task.pk,
            participation_id=part(project, personas.log).pk,
            role="C",
            version=task.version,
        )


def test_a_liaison_cannot_edit_the_grid(personas, project):
    task = add_task(personas, project)
    with pytest.raises(PermissionDeniedError):
        tasks.raci_set(
            actor=personas.cs_liaison.user,
            task_id=task.pk,
            participation_id=part(project, personas.log).pk,
            role="I",
        )


def test_the_grid_flags_a_task_without_a_and_a_department_without_role(personas, project):
    first = add_task(personas, project, accountable="", collaborators=[])
    roles = roles_for(personas.mkt_head.user)
    plan = project_plan(roles=roles, pk=project.pk)
    assert plan.tasks_without_a == {first.pk}
    assert plan.departments_without_role == {part(project, personas.mkt).pk, part(project, personas.log).pk}
    add_task(personas, project, title="投诉分类规则", collaborators=[personas.log.pk])
    plan = project_plan(roles=roles, pk=project.pk)
    assert plan.departments_without_role == set()


def test_the_table_and_the_grid_are_the_same_rows(personas, project):
    task = add_task(personas, project)
    tasks.task_update(
        actor=personas.mkt_head.user,
        task_id=task.pk,
        data={"collaborators": [], "informed": [personas.log.pk]},
    )
    plan = project_plan(roles=roles_for(personas.mkt_head.user), pk=project.pk)
    ((row_task, cells),) = plan.grid
    assert {p.department.code: r for p, r in cells} == {"MKT": "A", "CS": "R", "LOG": "I"}
    assert plan.tasks[0].collaborators == []


def test_after_the_kickoff_dates_move_only_through_coordination_or_a_change(personas):
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        project = running_project(personas)
        task = add_task(personas, project)
        with pytest.raises(TransitionError):
            tasks.task_update(
                actor=personas.mkt_head.user, task_id=task.pk, data={"planned_finish": "2026-10-30"}
            )
        tasks.task_update(
            actor=personas.mkt_head.user, task_id=task.pk, data={"deliverable": "客户痛点清单（V1.2）"}
        )
        assert m.Task.objects.get(pk=task.pk).deliverable == "客户痛点清单（V1.2）"


def test_cancelling_a_task_needs_a_reason(personas, project):
    task = add_task(personas, project)
    with pytest.raises(ApplicationError):
        tasks.task_cancel(actor=personas.mkt_head.user, task_id=task.pk, reason="")
    tasks.task_cancel(actor=personas.mkt_head.user, task_id=task.pk, reason="需求合并到T02")
    task.refresh_from_db()
    assert (task.status, task.health) == ("cancelled", "cancelled")


def test_a_number_is_a_department_id_never_a_participation_id(personas):
    """Regression: a number used to be read as a participation id first, so a department id
    that equalled another participation's id put the task under the wrong department (seen
    on PostgreSQL, whose ids differ from SQLite's). Here the ids overlap on purpose: CS's
    participation has LOG's department id, LOG's participation has MKT's department id."""
    from .factories import ProjectDepartmentFactory, ProjectFactory

    project = ProjectFactory(
        initiating_department=personas.mkt, lead=personas.mkt_head, created_by=personas.mkt_head
    )
    free = max(personas.mkt.pk, personas.cs.pk, personas.log.pk) + 1000
    ProjectDepartmentFactory(
        pk=free, project=project, department=personas.mkt, liaison=personas.mkt_staff, is_initiating=True
    )
    ProjectDepartmentFactory(
        pk=personas.log.pk, project=project, department=personas.cs, liaison=personas.cs_liaison
    )
    ProjectDepartmentFactory(
        pk=personas.mkt.pk, project=project, department=personas.log, liaison=personas.log_head
    )
    task = tasks.task_create(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data={
            "title": "物流问题排查",
            "responsible": personas.log.pk,
            "planned_start": "2026-09-28",
            "planned_finish": "2026-10-16",
            "accountable": str(personas.mkt.pk),
            "collaborators": [personas.cs.pk],
        },
    )
    assert task.responsible.department == personas.log
    assert task.owner == personas.log_head
    assert role_of(task, part(project, personas.mkt)) == "A"
    assert role_of(task, part(project, personas.cs)) == "C"
    task = tasks.task_update(
        actor=personas.mkt_head.user,
        task_id=task.pk,
        data={"responsible": str(personas.cs.pk), "accountable": "LOG"},
    )
    assert task.responsible.department == personas.cs
    assert role_of(task, part(project, personas.log)) == "A"
    # The grid edits one cell by its participation id, a separate parameter.
    task = tasks.raci_set(
        actor=personas.mkt_head.user,
        task_id=task.pk,
        participation_id=part(project, personas.mkt).pk,
        role="I",
    )
    assert role_of(task, part(project, personas.mkt)) == "I"
