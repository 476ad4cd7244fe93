"""Reads of the communication plan and its occurrences, for people who may see the project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from crossdesk.notify.selectors import robots_of_scope
from crossdesk.org.models import Person
from crossdesk.org.selectors import Roles

from ..models import CommunicationOccurrence, CommunicationPlanEntry, Project, ProjectDepartment
from . import project_get_for_viewer


@dataclass
class CommPlanPage:
    project: Project
    entries: list[CommunicationPlanEntry]
    occurrences: list[CommunicationOccurrence]
    participations: list[ProjectDepartment] = field(default_factory=list)


def comm_entries(project: Project, *, include_removed: bool = False):
    query = project.communication_plan.select_related("owner").prefetch_related(
        Prefetch("participants", queryset=ProjectDepartment.objects.select_related("department"))
    )
    return query if include_removed else query.filter(is_active=True)


def comm_occurrences(project: Project, *, days_back: int = 14, days_ahead: int = 42):
    """Occurrences around today (recent ones held, the coming ones, skipped days and why)."""
    now = timezone.now()
    return (
        CommunicationOccurrence.objects.filter(
            project=project,
            starts_at__gte=now - timedelta(days=days_back),
            starts_at__lte=now + timedelta(days=days_ahead),
        )
        .select_related("entry", "meeting")
        .order_by("starts_at", "id")
    )


def comm_plan_page(*, roles: Roles, project_id: int, include_removed: bool = False) -> CommPlanPage:
    """The plan page: the project (404 if not visible), its rows and occurrences."""
    project = project_get_for_viewer(roles=roles, pk=project_id)
    return CommPlanPage(
        project=project,
        entries=list(comm_entries(project, include_removed=include_removed)),
        occurrences=list(comm_occurrences(project)),
        participations=list(project.departments.select_related("department", "liaison")),
    )


@dataclass
class GroupChat:
    """The project's group chat [002]: its 群管理员 and the robots that post to it."""

    chat_admin: Any
    robots: list
    version: int


def group_chat(*, roles: Roles, project_id: int) -> GroupChat:
    """The project's group chat (404 if the project is not visible)."""
    project = project_get_for_viewer(roles=roles, pk=project_id)
    robots = list(robots_of_scope(chat_scope=f"project:{project.pk}"))
    admin = Person.objects.filter(pk=project.chat_admin_id).first() if project.chat_admin_id else None
    return GroupChat(chat_admin=admin, robots=robots, version=project.version)
