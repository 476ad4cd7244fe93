"""Guards shared by part B's services (communication plan, changes, deliverables, close).

They sit on top of ``_common`` and ``permissions`` (part A) and add what those do not
say: an archived or closed project is read-only for every part-B write (409), and who
counts as a participant of a project.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from crossdesk.core.errors import PermissionDeniedError, TransitionError
from crossdesk.org.selectors import Roles

from .. import permissions
from ..choices import READ_ONLY, ProjectStatus
from ..models import Project
from ._common import participant_ids


def require_writable(project: Project) -> None:
    """Closed and archived projects are read-only everywhere (SPEC §6): 409, nothing changed."""
    if project.status == ProjectStatus.ARCHIVED:
        raise TransitionError(_("This project is archived and read-only."))
    if project.status in READ_ONLY:
        raise TransitionError(_("This project is closed and read-only."))


def is_participant(roles: Roles, project: Project) -> bool:
    """The lead, the initiating head, an administrator, every liaison, the head of every
    participating department and every task owner."""
    if permissions.is_manager(roles, project):
        return True
    if roles.person is None:
        return False
    if roles.person.pk in participant_ids(project):
        return True
    return project.departments.filter(department_id__in=roles.head_of).exists()


def require_manager(roles: Roles, project: Project) -> None:
    if not permissions.is_manager(roles, project):
        raise PermissionDeniedError(
            _("Only the project lead, the initiating department's head or an administrator may do this.")
        )
