"""Reads of the responsibility table, the RACI grid, a task's page and the Gantt timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError
from crossdesk.org.selectors import Roles

from .. import permissions
from ..choices import RaciRole
from ..models import Coordination, Project, ProjectDepartment, RaciCell, Task
from ..rules import raci_flags
from . import one_of, project_get_for_viewer


def _tasks(project: Project):
    return (
        project.tasks.select_related("owner", "responsible__department")
        .prefetch_related(
            Prefetch("raci_cells", queryset=RaciCell.objects.select_related("participation__department"))
        )
        .order_by("position", "id")
    )


@dataclass
class Plan:
    """The responsibility table and the RACI grid: the same rows seen two ways."""

    project: Project
    participations: list[ProjectDepartment]
    tasks: list[Task]
    grid: list[tuple[Task, list[tuple[ProjectDepartment, str]]]]
    tasks_without_a: set[int]
    departments_without_role: set[int]
    actions: set[str]
    roles_legend: list = field(default_factory=lambda: list(RaciRole.choices))


def _cell_departments(task: Task) -> set[int]:
    return {c.participation.department_id for c in task.raci_cells.all()}


def role_of(task: Task, participation: ProjectDepartment) -> str:
    if task.responsible_id == participation.pk:
        return "R"
    for cell in task.raci_cells.all():
        if cell.participation_id == participation.pk:
            return cell.role
    return ""


def project_plan(*, roles: Roles, pk: int, health: str = "", department: int | None = None) -> Plan:
    """Tasks with their roles per participating department, and the grid's flags [003]:
    a task with no A, a department with no role anywhere. Five queries, whatever the size."""
    project = project_get_for_viewer(roles=roles, pk=pk)
    parts = list(project.departments.select_related("department", "liaison"))
    all_tasks = [t for t in _tasks(project) if t.status != "cancelled"]
    flags = raci_flags(
        task_ids=[t.pk for t in all_tasks],
        responsible={t.pk: t.responsible_id for t in all_tasks},
        cells=[(c.task_id, c.participation_id, c.role) for t in all_tasks for c in t.raci_cells.all()],
        participation_ids=[p.pk for p in parts],
    )
    tasks = all_tasks
    if health:
        tasks = [t for t in tasks if t.health == health]
    if department:
        tasks = [t for t in tasks if department in {t.responsible.department_id, *_cell_departments(t)}]
    for task in tasks:
        task.collaborators = [c.participation for c in task.raci_cells.all() if c.role == RaciRole.CONSULTED]
        task.accountable = next((c.participation for c in task.raci_cells.all() if c.role == "A"), None)
    return Plan(
        project=project,
        participations=parts,
        tasks=tasks,
        grid=[(t, [(p, role_of(t, p)) for p in parts]) for t in tasks],
        tasks_without_a=set(flags.tasks_without_a),
        departments_without_role=set(flags.departments_without_role),
        actions=permissions.project_actions(roles, project),
    )


@dataclass
class TaskPage:
    project: Project
    task: Task
    updates: list
    problems: list
    coordinations: list[Coordination]
    roles: list[tuple[ProjectDepartment, str]]
    actions: set[str]
    participations: list[ProjectDepartment]


def task_page(*, roles: Roles, project_id: int, pk: int) -> TaskPage:
    project = project_get_for_viewer(roles=roles, pk=project_id)
    task = one_of(
        _tasks(project).select_related("responsible__liaison", "created_by"), pk, _("No such task.")
    )
    parts = list(project.departments.select_related("department", "liaison"))
    return TaskPage(
        project=project,
        task=task,
        updates=list(task.updates.select_related("author").order_by("-at", "-id")),
        problems=list(task.problems.select_related("raised_by", "resolved_by").order_by("-raised_at")),
        coordinations=list(task.coordinations.select_related("meeting", "owner", "recorded_by")),
        roles=[(p, role_of(task, p)) for p in parts],
        actions=permissions.task_actions(roles, project, task),
        participations=parts,
    )


def task_get_for_viewer(*, roles: Roles, pk: int) -> Task:
    task = Task.objects.filter(pk=pk).values_list("project_id", flat=True).first()
    if task is None:
        raise NotFoundError(_("No such task."))
    return task_page(roles=roles, project_id=task, pk=pk).task


@dataclass
class GanttRow:
    task: Task
    planned_left: float
    planned_width: float
    actual_left: float | None
    actual_width: float | None
    replanned_from: str | None


@dataclass
class Gantt:
    project: Project
    first: date
    last: date
    months: list[tuple[str, float, float]]
    rows: list[GanttRow]
    today_left: float | None


def project_gantt(*, roles: Roles, pk: int) -> Gantt:
    """Planned against actual bars, as percentages of the project's span (server-rendered)."""
    project = project_get_for_viewer(roles=roles, pk=pk)
    tasks = [t for t in _tasks(project) if t.status != "cancelled"]
    today = timezone.localdate()
    dates = [
        d for t in tasks for d in (t.planned_start, t.planned_finish, t.actual_start, t.actual_finish) if d
    ]
    dates += [d for d in (project.planned_start, project.planned_finish) if d]
    first = min(dates) if dates else today
    last = max(dates) if dates else today + timedelta(days=30)
    first = first.replace(day=1)
    span = (last - first).days + 1

    def pct(day: date) -> float:
        return round((day - first).days * 100 / span, 3)

    replans: dict[int, str | None] = {}
    for c in Coordination.objects.filter(project=project, status="recorded").order_by("recorded_at"):
        replans.setdefault(c.task_id, c.old_planned_finish.isoformat() if c.old_planned_finish else None)
    rows = []
    for t in tasks:
        actual_left = actual_width = None
        if t.actual_start:
            end = t.actual_finish or min(today, last)
            actual_left, actual_width = (
                pct(t.actual_start),
                max(0.4, pct(end + timedelta(days=1)) - pct(t.actual_start)),
            )
        planned_width = max(0.4, pct(t.planned_finish + timedelta(days=1)) - pct(t.planned_start))
        rows.append(
            GanttRow(t, pct(t.planned_start), planned_width, actual_left, actual_width, replans.get(t.pk))
        )
    months = []
    cursor = first
    while cursor <= last:
        following = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        months.append(
            (
                cursor.strftime("%Y-%m"),
                pct(cursor),
                pct(min(following, last + timedelta(days=1))) - pct(cursor),
            )
        )
        cursor = following
    return Gantt(project, first, last, months, rows, pct(today) if first <= today <= last else None)
