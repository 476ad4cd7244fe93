"""Every read of projects, filtered by what the viewer may see (SPEC §6).

``visible_projects`` is the one visibility rule; every other selector (``charter``,
``tasks``, ``reports``, ``comms``, ``changes``, ``delivery``, ``close``) starts from it or
from ``project_get_for_viewer`` (404 when the viewer may not see the project).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError
from crossdesk.core.records import inputs
from crossdesk.org.selectors import Roles

from ..choices import ProjectStatus
from ..models import Project, ProjectDepartment, Task


def visible_projects(*, roles: Roles) -> QuerySet[Project]:
    """Projects the viewer may see.

    Everyone sees the projects of their own departments and of departments taking part;
    heads and supervisors those of the departments they head or oversee and of every
    department below them; the lead, the
    creator, every liaison and task owner theirs. A confidential project only to the people
    named in it and to the heads and supervisors of its departments; a draft only to its
    creator, lead, named liaisons and the initiating department's head. Administrators see all.
    """
    projects = Project.objects.all()
    if roles.is_admin:
        return projects
    if roles.person is None:
        return projects.none()
    person_id = roles.person.pk
    mine = roles.sees_as_member
    overseen = set(roles.oversees)
    named = (
        Q(lead_id=person_id)
        | Q(created_by_id=person_id)
        | Q(Exists(ProjectDepartment.objects.filter(project=OuterRef("pk"), liaison_id=person_id)))
        | Q(Exists(Task.objects.filter(project=OuterRef("pk"), owner_id=person_id)))
    )
    overseer = Q(initiating_department_id__in=overseen) | Q(
        Exists(ProjectDepartment.objects.filter(project=OuterRef("pk"), department_id__in=overseen))
    )
    member = Q(initiating_department_id__in=mine) | Q(
        Exists(ProjectDepartment.objects.filter(project=OuterRef("pk"), department_id__in=mine))
    )
    draft = Q(status=ProjectStatus.DRAFT)
    draft_seen = named | Q(initiating_department_id__in=roles.heads_over)
    if roles.policy.supervisors_see_drafts and roles.supervises_over:
        draft_seen |= Q(initiating_department_id__in=roles.supervises_over)
    visible = (
        (draft & draft_seen)
        | (~draft & Q(confidential=True) & (named | overseer))
        | (~draft & Q(confidential=False) & (named | overseer | member))
    )
    return projects.filter(visible)


def project_get_for_viewer(*, roles: Roles, pk: int) -> Project:
    """The project, or 404 when it does not exist or the viewer may not see it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError(_("No such project.")) from exc
    project = (
        visible_projects(roles=roles)
        .select_related("initiating_department", "lead", "kickoff_meeting", "created_by")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise NotFoundError(_("No such project."))
    return project


def one_of(rows: QuerySet, pk: Any, missing: Any):
    """Row ``pk`` among ``rows`` (a project's own, already limited to what the viewer may
    see), or 404 with ``missing``: a task, a deliverable or a file of another project is not
    found under this one."""
    row = rows.filter(pk=inputs.an_id(pk, "pk", missing) or 0).first()
    if row is None:
        raise NotFoundError(str(missing))
    return row
