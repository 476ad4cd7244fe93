"""Projects' figures per department (issue 12 §1): tasks by health, goal-metric progress,
deliverables accepted the first time and the rework rounds it took.

Task health and goal progress are today's state (health is derived by the projects app
from dates, progress and blocking problems, never typed); deliverables count when they
were accepted in the period. A department's tasks and deliverables are those it is
responsible for; its goals are those of the projects it initiated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from crossdesk.org.selectors import Roles
from crossdesk.projects.choices import ProjectStatus, TaskHealth, TaskStatus
from crossdesk.projects.models import Deliverable, GoalMetric, Task
from crossdesk.projects.selectors import visible_projects

from ..periods import Period
from .departments import DepartmentNode
from .stats import percent

HEALTHS = tuple(str(h) for h in TaskHealth.values)
# A draft is not a commitment yet; an archived project's tasks are history, not health.
LIVE_PROJECTS = (ProjectStatus.KICKED_OFF, ProjectStatus.RUNNING, ProjectStatus.CLOSING)


@dataclass
class ProjectRows:
    tasks: list[tuple[int, str]]  # responsible department, health
    deliverables: list[tuple[int, int]]  # responsible department, submission round when accepted
    goals: list[tuple[int, int]]  # initiating department, progress 0–100


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def goal_progress(baseline: Decimal | None, target: Decimal | None, current: Decimal | None) -> int | None:
    """How far the current value moved from the baseline to the target, 0–100 (as the
    project page shows it, ``GoalMetric.progress_percent``)."""
    return GoalMetric(baseline=baseline, target=target, current=current).progress_percent


def load_project_rows(department_ids: set[int], period: Period) -> ProjectRows:
    """Every row the project figures of these departments need, in three queries."""
    tasks = list(
        Task.objects.filter(responsible__department_id__in=department_ids, project__status__in=LIVE_PROJECTS)
        .exclude(status=TaskStatus.CANCELLED)
        .values_list("responsible__department_id", "health")
    )
    deliverables = list(
        Deliverable.objects.filter(
            responsible__department_id__in=department_ids,
            accepted_at__gte=_day_start(period.start),
            accepted_at__lt=_day_start(period.end + timedelta(days=1)),
        ).values_list("responsible__department_id", "round")
    )
    goals = []
    for dept, baseline, target, current in GoalMetric.objects.filter(
        project__initiating_department_id__in=department_ids, project__status__in=LIVE_PROJECTS
    ).values_list("project__initiating_department_id", "baseline", "target", "current"):
        progress = goal_progress(baseline, target, current)
        if progress is not None:
            goals.append((dept, progress))
    return ProjectRows(tasks, deliverables, goals)


def project_figures(rows: ProjectRows, group: frozenset[int]) -> dict[str, Any]:
    healths = [h for dept, h in rows.tasks if dept in group]
    rounds = [r for dept, r in rows.deliverables if dept in group]
    progress = [p for dept, p in rows.goals if dept in group]
    first_time = sum(1 for r in rounds if r <= 1)
    return {
        "tasks": len(healths),
        "tasks_by_health": {h: healths.count(h) for h in HEALTHS},
        "goal_metrics_measured": len(progress),
        "goal_progress_pct": round(sum(progress) / len(progress), 1) if progress else None,
        "deliverables_accepted": len(rounds),
        "deliverables_accepted_first_time": first_time,
        "deliverables_first_time_pct": percent(first_time, len(rounds)),
        "rework_rounds": sum(max(0, r - 1) for r in rounds),
    }


def projects_by_department(nodes: Iterable[DepartmentNode], period: Period) -> dict[int, dict[str, Any]]:
    """Each department's project figures, rolled up over its sub-departments."""
    chosen = list(nodes)
    everyone = set().union(*(n.subtree for n in chosen)) if chosen else set()
    rows = load_project_rows(everyone, period) if everyone else ProjectRows([], [], [])
    return {n.id: project_figures(rows, n.subtree) for n in chosen}


def portfolio(*, roles: Roles, limit: int = 100) -> list[dict[str, Any]]:
    """The live projects the viewer may see (the projects app's own visibility rule), each
    with its tasks by health and its goal metrics' progress: three queries."""
    projects = list(
        visible_projects(roles=roles)
        .filter(status__in=LIVE_PROJECTS)
        .order_by("planned_finish", "id")
        .values("id", "number", "name", "status", "initiating_department__name")[:limit]
    )
    ids = [p["id"] for p in projects]
    health: dict[int, dict[str, int]] = {pk: dict.fromkeys(HEALTHS, 0) for pk in ids}
    for project_id, value, count in (
        Task.objects.filter(project_id__in=ids)
        .exclude(status=TaskStatus.CANCELLED)
        .values_list("project_id", "health")
        .annotate(n=Count("id"))
        .order_by()
    ):
        health[project_id][value] = count
    metrics: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for project_id, metric, unit, baseline, target, current in (
        GoalMetric.objects.filter(project_id__in=ids)
        .order_by("project_id", "position", "id")
        .values_list("project_id", "metric", "unit", "baseline", "target", "current")
    ):
        metrics[project_id].append(
            {
                "metric": metric,
                "unit": unit,
                "baseline": baseline,
                "target": target,
                "current": current,
                "progress": goal_progress(baseline, target, current),
            }
        )
    rows = []
    for p in projects:
        measured = [m["progress"] for m in metrics[p["id"]] if m["progress"] is not None]
        rows.append(
            {
                "id": p["id"],
                "number": p["number"],
                "name": p["name"],
                "status": p["status"],
                "department": p["initiating_department__name"],
                "tasks_by_health": health[p["id"]],
                "tasks": sum(health[p["id"]].values()),
                "metrics": metrics[p["id"]],
                "goal_progress_pct": round(sum(measured) / len(measured), 1) if measured else None,
            }
        )
    return rows
