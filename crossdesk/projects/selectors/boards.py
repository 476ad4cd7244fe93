"""The projects' lists on the workbench boards other than "waiting for me" (registered in
``ProjectsConfig.ready()``): the open projects I lead or raised, and for heads and
supervisors the overdue tasks their departments are responsible for. Each list is a
constant number of queries whatever the number of rows."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.records.inputs import a_moment
from crossdesk.core.records.registry import WorkItem, WorkList
from crossdesk.org.selectors import Roles, roles_for

from ..choices import OPEN_TASK_STATUSES, READ_ONLY, TRACKING_OPEN, ProjectStatus
from ..models import Task
from . import visible_projects

SHOWN = 5


def raised_lists(user: Any, roles: Roles | None = None) -> list[WorkList]:
    """The projects I lead or created that are not closed, the soonest planned finish first."""
    roles = roles or roles_for(user)
    if roles.person is None:
        return []
    me = roles.person.pk
    mine = (
        visible_projects(roles=roles)
        .filter(Q(lead_id=me) | Q(created_by_id=me))
        .exclude(status__in=READ_ONLY)
    )
    total = mine.count()
    if not total:
        return []
    items = [
        WorkItem(
            kind=project.status,
            title=project.name,
            url=project.get_absolute_url(),
            due_at=a_moment(project.planned_finish, "planned_finish") if project.planned_finish else None,
            label=str(ProjectStatus(project.status).label),
            number=project.number,
        )
        for project in mine.order_by("planned_finish", "id")[:SHOWN]
    ]
    return [WorkList(name="projects", title=_("Projects"), items=items, total=total, order=30)]


def department_lists(user: Any, roles: Roles | None = None) -> list[WorkList]:
    """For each department I head or supervise: the open tasks it is responsible for that
    are past their planned finish."""
    roles = roles or roles_for(user)
    watched = roles.head_of | roles.supervises
    if not watched:
        return []
    today = timezone.localdate()
    late = Task.objects.filter(
        project__in=visible_projects(roles=roles).filter(status__in=TRACKING_OPEN),
        responsible__department_id__in=watched,
        status__in=OPEN_TASK_STATUSES,
        planned_finish__lt=today,
    )
    counts = Counter(
        dict(
            late.values_list("responsible__department_id")
            .annotate(n=Count("id"))
            .values_list("responsible__department_id", "n")
        )
    )
    if not counts:
        return []
    first: dict[int, list[WorkItem]] = {}
    rows = late.select_related("project", "responsible").order_by("planned_finish", "id")[
        : SHOWN * len(counts)
    ]
    for task in rows:
        shown = first.setdefault(task.responsible.department_id, [])
        if len(shown) < SHOWN:
            shown.append(
                WorkItem(
                    kind="overdue_task",
                    title=f"{task.project.number} · {task}",
                    url=task.get_absolute_url(),
                    due_at=a_moment(task.planned_finish, "planned_finish"),
                    overdue=True,
                    label=_("Overdue"),
                    number=task.code,
                )
            )
    return [
        WorkList(
            name=f"tasks-{department_id}",
            title=_("%(department)s · overdue project tasks")
            % {"department": roles.department_names.get(department_id, str(department_id))},
            items=first.get(department_id, []),
            total=total,
            order=30,
        )
        for department_id, total in counts.most_common()
    ]
