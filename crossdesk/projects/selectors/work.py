"""The projects' section of the workbench (registered in ``ProjectsConfig.ready()``): what
waits for the person, in a constant number of queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.records.inputs import a_moment
from crossdesk.core.records.registry import WorkItem, WorkSection
from crossdesk.org.selectors import Roles, roles_for

from ..choices import (
    OPEN_TASK_STATUSES,
    TRACKING_OPEN,
    CoordinationStatus,
    DeliverableStatus,
    ProjectStatus,
    RetrospectiveStatus,
)
from ..models import Coordination, Deliverable, RaciCell, Retrospective, Task
from . import visible_projects
from .changes import changes_awaiting


def work_section(user: Any, roles: Roles | None = None) -> WorkSection | None:
    """The open tasks the person owns (with due date and overdue flag), the deliverables
    waiting for their review, the change requests waiting for their department's decision,
    and for a project's lead the coordinations due (48 hours) and the retrospective due."""
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
    led = live.filter(lead_id=me)
    for coordination in (
        Coordination.objects.filter(project__in=led, status=CoordinationStatus.OPEN)
        .select_related("project", "task")
        .order_by("due_at", "id")
    ):
        items.append(
            WorkItem(
                kind="coordination",
                title=f"{coordination.project.number} · {coordination.task}",
                url=coordination.task.get_absolute_url(),
                due_at=coordination.due_at,
                overdue=coordination.due_at < now,
                label=_("Hold the coordination meeting and record its measures"),
                number=coordination.task.code,
            )
        )
    for retrospective in (
        Retrospective.objects.filter(
            project__in=led.filter(status=ProjectStatus.CLOSING), status=RetrospectiveStatus.DRAFT
        )
        .select_related("project")
        .order_by("due_at", "id")
    ):
        items.append(
            WorkItem(
                kind="retrospective",
                title=f"{retrospective.project.number} · {retrospective.project.name}",
                url=retrospective.get_absolute_url(),
                due_at=retrospective.due_at,
                overdue=bool(retrospective.due_at and retrospective.due_at < now),
                label=_("Write the retrospective"),
                number=retrospective.project.number,
            )
        )
    if not items:
        return None
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda item: (not item.overdue, item.due_at or far))
    overdue = sum(1 for item in items if item.overdue)
    return WorkSection(
        name="projects",
        template="projects/_workbench.html",
        items=items,
        overdue=overdue,
        order=30,
        context={"items": items, "overdue": overdue},
    )
