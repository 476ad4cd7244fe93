"""The projects' section of the workbench (registered in ``ProjectsConfig.ready()``): what
waits for the person, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.records.inputs import a_moment
from crossdesk.core.records.registry import WorkItem, WorkSection
from crossdesk.org.selectors import Roles, roles_for

from ..choices import OPEN_TASK_STATUSES, TRACKING_OPEN, DeliverableStatus
from ..models import Deliverable, RaciCell, Task
from . import visible_projects
from .changes import changes_awaiting


def work_section(user: Any, roles: Roles | None = None) -> WorkSection | None:
    """The open tasks the person owns (with due date and overdue flag), the deliverables
    waiting for their review and the change requests waiting for their department's decision."""
    roles = roles or roles_for(user)
    if roles.person is None:
        return None
    me = roles.person.pk
    now = timezone.now()
    today = timezone.localdate(now)
    live = visible_projects(roles=roles).filter(status__in=TRACKING_OPEN)
    items: list[WorkItem] = []
    for task in (
        Task.objects.filter(project__in=live, owner_id=me, status__in=OPEN_TASK_STATUSES)
        .select_related("project")
        .order_by("planned_finish", "id")
    ):
        items.append(
            WorkItem(
                kind="task",
                title=f"{task.project.number} · {task}",
                url=task.get_absolute_url(),
                due_at=a_moment(task.planned_finish, "planned_finish"),
                overdue=task.planned_finish < today,
                label=_("Update the task"),
                number=task.code,
            )
        )
    accountable = RaciCell.objects.filter(task=OuterRef("task"), role="A").filter(
        Q(participation__liaison_id=me) | Q(participation__department_id__in=roles.head_of)
    )
    for deliverable in (
        Deliverable.objects.filter(project__in=live, status=DeliverableStatus.SUBMITTED, task__isnull=False)
        .filter(Q(project__lead_id=me) | Q(Exists(accountable)))
        .exclude(submitted_by_id=me)
        .select_related("project")
        .order_by("id")
    ):
        items.append(
            WorkItem(
                kind="deliverable",
                title=f"{deliverable.project.number} · {deliverable.name}",
                url=deliverable.get_absolute_url(),
                label=_("Accept or send back the deliverable"),
            )
        )
    for change in changes_awaiting(roles=roles).order_by("id"):
        items.append(
            WorkItem(
                kind="change",
                title=f"{change.project.number} · {change}",
                url=change.get_absolute_url(),
                label=_("Decide on the change request"),
            )
        )
    if not items:
        return None
    overdue = sum(1 for item in items if item.overdue)
    return WorkSection(
        name="projects",
        template="projects/_workbench.html",
        items=items,
        overdue=overdue,
        order=30,
        context={"items": items, "overdue": overdue},
    )
