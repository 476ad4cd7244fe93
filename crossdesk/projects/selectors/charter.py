"""Reads of the project list and the dashboard (SPEC §5, §6)."""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import reduce

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from crossdesk.org.selectors import Roles

from .. import permissions
from ..choices import OPEN_TASK_STATUSES, TROUBLED, CoordinationStatus, TaskHealth
from ..models import Coordination, GoalMetric, Project, ProjectDepartment, SubGoal, SubGoalProgress, Task
from ..rules import MetricValues, smart_problems
from . import project_get_for_viewer, visible_projects


@dataclass
class ProjectFilter:
    """One filter for the project list page and its API twin."""

    statuses: list[str] = field(default_factory=list)
    department: int | None = None  # initiating or taking part
    lead: int | None = None
    text: str = ""
    mine: bool = False
    sort: str = "-number"


SORTS = {
    "-number": ("-year", "-number"),
    "number": ("year", "number"),
    "name": ("name", "id"),
    "status": ("status", "-id"),
    "planned_finish": ("planned_finish", "id"),
    "-updated_at": ("-updated_at", "-id"),
}


def project_list(*, roles: Roles, filters: ProjectFilter) -> QuerySet[Project]:
    """The filtered, sorted list with per-row task counts; callers paginate. Constant queries."""
    projects = visible_projects(roles=roles)
    if filters.statuses:
        projects = projects.filter(status__in=filters.statuses)
    if filters.department:
        projects = projects.filter(
            Q(initiating_department_id=filters.department)
            | Q(
                Exists(
                    ProjectDepartment.objects.filter(project=OuterRef("pk"), department_id=filters.department)
                )
            )
        )
    if filters.lead:
        projects = projects.filter(lead_id=filters.lead)
    if filters.mine and roles.person is not None:
        person_id = roles.person.pk
        projects = projects.filter(
            Q(lead_id=person_id)
            | Q(Exists(ProjectDepartment.objects.filter(project=OuterRef("pk"), liaison_id=person_id)))
            | Q(Exists(Task.objects.filter(project=OuterRef("pk"), owner_id=person_id)))
        )
    if filters.text:
        text = filters.text.strip()
        fields = ("number", "name", "core_goal", "background")
        projects = projects.filter(reduce(operator.or_, (Q(**{f"{f}__icontains": text}) for f in fields)))
    order = SORTS.get(filters.sort, SORTS["-number"])
    return (
        projects.select_related("initiating_department", "lead")
        .annotate(
            task_count=Count("tasks", filter=~Q(tasks__status="cancelled"), distinct=True),
            troubled_count=Count(
                "tasks",
                filter=Q(tasks__status__in=OPEN_TASK_STATUSES, tasks__health__in=TROUBLED),
                distinct=True,
            ),
            done_count=Count("tasks", filter=Q(tasks__status="done"), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "departments", queryset=ProjectDepartment.objects.select_related("department", "liaison")
            )
        )
        .order_by(*order)
    )


@dataclass
class SubGoalRow:
    goal: SubGoal
    latest: SubGoalProgress | None
    met_count: int
    recorded_count: int


@dataclass
class Dashboard:
    project: Project
    participations: list[ProjectDepartment]
    metrics: list[GoalMetric]
    smart_problems: list[str]
    sub_goals: list[SubGoalRow]
    health_counts: dict[str, int]
    task_total: int
    done: int
    overdue_tasks: list[Task]
    troubled_tasks: list[Task]
    open_coordinations: list[Coordination]
    progress_percent: int
    actions: set[str]
    events: list
    health_labels: list[tuple[str, str, int]] = field(default_factory=list)


def project_dashboard(*, roles: Roles, pk: int, today: date | None = None) -> Dashboard:
    """Everything the project page shows: goal progress, task health counts, overdue and
    troubled tasks, sub-goal progress beside its target, waiting coordinations."""
    project = project_get_for_viewer(roles=roles, pk=pk)
    today = today or timezone.localdate()
    parts = list(project.departments.select_related("department", "liaison", "department__head"))
    metrics = list(project.goal_metrics.all())
    sub_goals = list(project.sub_goals.select_related("participation__department"))
    progress = {}
    counts: dict[int, tuple[int, int]] = {}
    for row in (
        SubGoalProgress.objects.filter(sub_goal__project=project)
        .select_related("recorded_by")
        .order_by("sub_goal_id", "period_end", "id")
    ):
        progress[row.sub_goal_id] = row
        met, total = counts.get(row.sub_goal_id, (0, 0))
        counts[row.sub_goal_id] = (met + int(row.met), total + 1)
    tasks = list(project.tasks.select_related("owner", "responsible__department").exclude(status="cancelled"))
    health = Counter(t.health for t in tasks)
    done = sum(1 for t in tasks if t.status == "done")
    open_tasks = [t for t in tasks if t.status in OPEN_TASK_STATUSES]
    weights = sum(t.progress for t in tasks)
    coordinations = list(
        Coordination.objects.filter(project=project, status=CoordinationStatus.OPEN).select_related("task")
    )
    events = list(project.events.select_related("author").order_by("-at", "-id")[:15])
    return Dashboard(
        project=project,
        participations=parts,
        metrics=metrics,
        smart_problems=smart_problems(
            [MetricValues(m.metric, m.baseline, m.target, m.target_date) for m in metrics]
        ),
        sub_goals=[SubGoalRow(g, progress.get(g.pk), *counts.get(g.pk, (0, 0))) for g in sub_goals],
        health_counts=dict(health),
        health_labels=[
            (h.value, str(h.label), health.get(h.value, 0)) for h in TaskHealth if h != TaskHealth.CANCELLED
        ],
        task_total=len(tasks),
        done=done,
        overdue_tasks=[t for t in open_tasks if t.health == TaskHealth.OVERDUE],
        troubled_tasks=[t for t in open_tasks if t.health in (TaskHealth.BEHIND, TaskHealth.BLOCKED)],
        open_coordinations=coordinations,
        progress_percent=(weights // len(tasks)) if tasks else 0,
        actions=permissions.project_actions(roles, project),
        events=events,
    )


def status_counts(*, roles: Roles) -> dict[str, int]:
    rows = visible_projects(roles=roles).values("status").annotate(n=Count("id")).order_by()
    return {r["status"]: r["n"] for r in rows}
