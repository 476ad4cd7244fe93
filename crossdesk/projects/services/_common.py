"""What the project services share: the locked project with the actor's roles, the
ownership check of a project's parts, who takes part, the read-only rule, notifications,
and the input parsers on the record layer (``core.records.inputs``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError, TransitionError
from crossdesk.core.records import Actor, check_version, inputs, locked
from crossdesk.notify.services import notify
from crossdesk.org.models import Department, Person
from crossdesk.org.selectors import Roles, department_id, roles_for

from .. import permissions
from ..choices import READ_ONLY, ProjectStatus
from ..models import Project

# What a service passes on when it calls a meeting (the kickoff, a coordination meeting).
MEETING_FIELDS = (
    "starts_at",
    "ends_at",
    "place",
    "online_platform",
    "online_meeting_id",
    "online_link",
    "recorder",
)


def context(
    actor: Actor, project_id: Any, *, version: Any = None, may: str = ""
) -> tuple[Project, Roles, Person]:
    """Lock the project, refuse a stale write, and read the actor's roles and person; with
    ``may``, refuse one whom the rule table does not allow that action now (403 or 409)."""
    roles = roles_for(actor)
    if roles.person is None:
        raise PermissionDeniedError(_("Your login is not linked to a person in the organisation."))
    project = locked(
        Project, project_id, related=("initiating_department", "lead"), not_found=_("No such project.")
    )
    check_version(project, version)
    if may:
        permissions.require(roles, project, may)
    return project, roles, roles.person


def belongs_to(
    model: type[models.Model],
    pk: Any,
    project_id: Any = None,
    *,
    missing: Any,
    field: str = "",
    path: str = "project_id",
) -> int:
    """The one ownership check of a project's parts: the project id of row ``pk`` of
    ``model`` (a sub-goal, a task, a problem of one of its tasks with ``path``), read before
    the project is locked. A missing row, or one of another project than ``project_id`` (the
    project of the page or the URL, when given), is refused with ``missing``: 404, or a 400
    naming ``field`` when a form chose it."""
    number = inputs.an_id(pk, field or "id", missing)
    owner = model._default_manager.filter(pk=number or 0).values_list(path, flat=True).first()
    if owner is None or (project_id is not None and str(owner) != str(project_id)):
        if field:
            raise ApplicationError(str(missing), field=field)
        raise NotFoundError(str(missing))
    return owner


def participant_ids(project: Project) -> set[int]:
    """Everyone who takes part: the lead, each department's liaison and head, task owners."""
    ids = {project.lead_id}
    for liaison_id, head_id in project.departments.values_list("liaison_id", "department__head_id"):
        ids.add(liaison_id)
        if head_id:
            ids.add(head_id)
    ids.update(project.tasks.values_list("owner_id", flat=True))
    return {i for i in ids if i}


def send(
    project: Project,
    recipients,
    *,
    event_name: str,
    title: str,
    body: str = "",
    actor: Person | None,
    url: str = "",
    subject=None,
    dedupe_key: str | None = None,
    level: str = "info",
    chat_scope: str = "",
) -> int:
    """Notify people about the project (in the caller's transaction, through the outbox)."""
    return notify(
        level=level,
        chat_scope=chat_scope,
        recipients=recipients,
        exclude=[actor] if actor else [],
        event=f"project.{event_name}",
        title=f"[{project.number}] {title}",
        body=body,
        url=url or project.get_absolute_url(),
        subject=subject if subject is not None else project,
        dedupe_key=dedupe_key,
    )


def send_about(project: Project, record, recipients, event: str, title: str, person, body="", **more) -> int:
    """Notify about one of the project's records (a task, a change request, a deliverable),
    linking to its page."""
    link = {"url": record.get_absolute_url(), "subject": record, **more}
    return send(project, recipients, event_name=event, title=title, body=body, actor=person, **link)


def tell_everyone(
    project: Project, event: str, title: str, body: str, *, actor: Person | None, **more
) -> int:
    """Notify everyone who takes part (:func:`participant_ids`) about the project."""
    return send(
        project, participant_ids(project), event_name=event, title=title, body=body, actor=actor, **more
    )


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
    permissions.require(roles, project, "manage")


# --- input ------------------------------------------------------------------------------


def department_of(value: Any, field: str) -> Department:
    """An active department from its id, its code or itself."""
    if isinstance(value, Department):
        return value
    pk = department_id("" if value is None else value, field=field)
    found = Department.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ApplicationError(_("Unknown department: %(value)s.") % {"value": value}, field=field)
    return found
