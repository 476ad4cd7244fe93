"""Writes to the responsibility table and the RACI grid — the same rows seen two ways
(SPEC §5 [002][003][004]): each task has exactly one responsible department (its R), at
most one accountable one (A), and any number consulted (C, its collaborators) or informed (I).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.audit.services import audited_bulk_create
from crossdesk.core.errors import ApplicationError, TransitionError
from crossdesk.core.records import Actor, bump, inputs, locked
from crossdesk.core.records.history import recorder
from crossdesk.core.records.inputs import a_date, an_int
from crossdesk.org.models import Membership, Person
from crossdesk.org.selectors import active_person

from .. import permissions
from ..choices import (
    CELL_ROLES,
    TASK_MACHINE,
    ProjectEventKind,
    ProjectStatus,
    RaciRole,
    TaskStatus,
    TaskUpdateKind,
)
from ..models import Project, ProjectDepartment, ProjectEvent, RaciCell, Task, TaskUpdate
from ._common import belongs_to, context, department_of, send_about

TASK_FIELDS = {
    *("code", "title", "description", "responsible", "owner", "delivery_standard", "deliverable"),
    *("planned_start", "planned_finish", "accountable", "collaborators", "informed"),
}
# Once the plan is agreed at the kickoff, a task's dates move only through a coordination
# meeting (tracking) or an approved change request (changes), both via ``task_replan``.
DATES_FREE = (ProjectStatus.DRAFT, ProjectStatus.KICKED_OFF)


def _participation(project: Project, value, field: str) -> ProjectDepartment:
    """A participating department from its department id or code (or the row itself)."""
    if isinstance(value, ProjectDepartment):
        if value.project_id != project.pk:
            raise ApplicationError(_("Choose a department taking part in the project."), field=field)
        return value
    parts = project.departments.select_related("department")
    part = None
    if value not in (None, ""):
        try:
            department = department_of(value, field)
        except ApplicationError:
            department = None
        part = parts.filter(department=department).first() if department else None
    if part is None:
        raise ApplicationError(_("Choose a department taking part in the project."), field=field)
    return part


def _owner_for(part: ProjectDepartment, value, field: str) -> Person:
    """The task's owner: one person of the responsible department (its liaison if none given)."""
    if value in (None, ""):
        return part.liaison
    person = active_person(value, field)
    belongs = Membership.objects.filter(person=person, department_id=part.department_id).exists()
    if not belongs and person.pk not in (part.liaison_id, part.department.head_id):
        raise ApplicationError(
            _("%(p)s does not belong to %(d)s, the responsible department.")
            % {"p": person.name, "d": part.department.name},
            field=field,
        )
    return person


def _next_code(project: Project) -> str:
    n = project.tasks.count() + 1
    codes = set(project.tasks.values_list("code", flat=True))
    while f"T{n:02d}" in codes:
        n += 1
    return f"T{n:02d}"


def _roles_from(
    project: Project, data: dict, responsible: ProjectDepartment, current: dict[int, str] | None = None
) -> dict[int, str] | None:
    """{participation: A/C/I} from ``accountable`` / ``collaborators`` / ``informed``; None if
    absent. Roles whose key is not sent stay as they are (``current``)."""
    if not any(k in data for k in ("accountable", "collaborators", "informed")):
        return None
    sent = {"A": "accountable" in data, "C": "collaborators" in data, "I": "informed" in data}
    roles: dict[int, str] = {p: r for p, r in (current or {}).items() if not sent[r]}
    for key, role in (("informed", "I"), ("collaborators", "C")):
        if key not in data:
            continue
        values = data.get(key) or []
        if not isinstance(values, list | tuple):
            raise ApplicationError(_("List the departments."), field=key)
        for n, value in enumerate(values):
            part = _participation(project, value, f"{key}[{n}]")
            roles[part.pk] = role
    if data.get("accountable") not in (None, ""):
        part = _participation(project, data["accountable"], "accountable")
        roles = {p: r for p, r in roles.items() if r != "A"}
        roles[part.pk] = "A"
    if responsible.pk in roles:
        raise ApplicationError(
            _("%(d)s is the responsible department (R) of this task; it holds no other role.")
            % {"d": responsible.department.name},
            field="collaborators" if roles[responsible.pk] != "A" else "accountable",
        )
    return roles


def _set_cells(task: Task, roles: dict[int, str]) -> dict:
    """Make the task's A/C/I cells equal ``roles``; returns {participation: [old, new]}."""
    current = {c.participation_id: c for c in task.raci_cells.all()}
    changes: dict = {}
    for part_id, cell in current.items():
        if roles.get(part_id) != cell.role:
            changes[part_id] = [cell.role, roles.get(part_id, "")]
            cell.delete()
    for part_id, role in roles.items():
        if part_id not in current or current[part_id].role != role:
            changes[part_id] = [current[part_id].role if part_id in current else "", role]
    # A first removed, then added: "at most one A" holds at every step.
    audited_bulk_create(
        RaciCell.objects,
        [RaciCell(task=task, participation_id=p, role=r) for p, r in roles.items() if p in changes],
    )
    return changes


def _validate_dates(start: date | None, finish: date | None) -> tuple[date, date]:
    if start is None:
        raise ApplicationError(_("Give the planned start."), field="planned_start")
    if finish is None:
        raise ApplicationError(_("Give the planned finish."), field="planned_finish")
    if finish < start:
        raise ApplicationError(
            _("The planned finish cannot be before the planned start."), field="planned_finish"
        )
    return start, finish


@transaction.atomic
def task_create(*, actor: Actor, project_id: int, data: dict) -> Task:
    """Add a row to the responsibility table: what, the ONE responsible department, its
    owner, the delivery standard, planned dates, deliverable, and the other RACI roles."""
    inputs.known(data, TASK_FIELDS)
    project, roles, person = context(actor, project_id, may="plan_tasks")
    responsible = _participation(project, data.get("responsible"), "responsible")
    code = inputs.text(data.get("code"), "code", 16) or _next_code(project)
    if project.tasks.filter(code=code).exists():
        raise ApplicationError(_("This task number is already used in the project."), field="code")
    start, finish = _validate_dates(
        a_date(data.get("planned_start"), "planned_start"),
        a_date(data.get("planned_finish"), "planned_finish"),
    )
    if project.status not in DATES_FREE and start < timezone.localdate():
        raise ApplicationError(
            _("A task added to a running project starts today or later."), field="planned_start"
        )
    task = Task(
        project=project,
        code=code,
        title=inputs.text(data.get("title"), "title", 200, required=True, label=_("The task")),
        description=inputs.text(data.get("description"), "description", 5000),
        responsible=responsible,
        owner=_owner_for(responsible, data.get("owner"), "owner"),
        delivery_standard=inputs.text(data.get("delivery_standard"), "delivery_standard", 5000),
        deliverable=inputs.text(data.get("deliverable"), "deliverable", 200),
        planned_start=start,
        planned_finish=finish,
        position=project.tasks.count(),
        created_by=person,
    )
    cell_roles = _roles_from(project, data, responsible) or {}
    task.save()
    _set_cells(task, cell_roles)
    TaskUpdate.add(
        task, TaskUpdateKind.CREATED, author=person, data={"responsible": responsible.department_id}
    )
    ProjectEvent.add(
        project, ProjectEventKind.TASK, author=person, content=_("Task added: %(t)s") % {"t": task}, task=task
    )
    from .tracking import refresh_health

    refresh_health(task, author=person)
    if task.owner_id != person.pk:
        planned = {"s": start.isoformat(), "f": finish.isoformat(), "d": task.delivery_standard or "—"}
        body = _("Planned %(s)s – %(f)s. Delivery standard: %(d)s") % planned
        title = _("Task for you: %(t)s") % {"t": task.title}
        send_about(project, task, [task.owner_id], "task_assigned", title, person, body)
    return task


def task_context(actor: Actor, task_id, *, version: int | None = None, project_id: int | None = None):
    """Lock the project then the task (always in that order), refuse a stale write and a
    task of another project than ``project_id`` (when given)."""
    project, roles, person = context(actor, belongs_to(Task, task_id, project_id, missing=_("No such task.")))
    related = ("responsible__department",)
    task = locked(Task, task_id, version, related=related, not_found=_("No such task."))
    return project, task, roles, person


@transaction.atomic
def task_update(
    *, actor: Actor, task_id: int, data: dict, version: int | None = None, project_id: int | None = None
) -> Task:
    """Change a row of the responsibility table; every change is kept in the task's history.
    After the kickoff the planned dates move only through coordination or a change request."""
    inputs.known(data, TASK_FIELDS)
    project, task, roles, person = task_context(actor, task_id, version=version, project_id=project_id)
    permissions.require(roles, project, "plan_tasks")
    if task.status == TaskStatus.CANCELLED:
        raise TransitionError(_("A cancelled task no longer changes."))
    changes: dict = {}
    put = recorder(task, changes)
    for name, limit in (
        ("title", 200),
        ("description", 5000),
        ("delivery_standard", 5000),
        ("deliverable", 200),
    ):
        if name in data:
            put(name, inputs.text(data.get(name), name, limit, required=name == "title", label=_("The task")))
    if "code" in data:
        code = inputs.text(data.get("code"), "code", 16, required=True, label=_("The task number"))
        if code != task.code and project.tasks.filter(code=code).exists():
            raise ApplicationError(_("This task number is already used in the project."), field="code")
        put("code", code)
    new_dates = {n: a_date(data[n], n) for n in ("planned_start", "planned_finish") if n in data}
    if any(new_dates[n] != getattr(task, n) for n in new_dates):
        if project.status not in DATES_FREE:
            raise TransitionError(
                _(
                    "The plan was agreed at the kickoff: its dates change through a coordination meeting or a change request."
                ),
                field="planned_finish",
            )
        _validate_dates(
            new_dates.get("planned_start", task.planned_start),
            new_dates.get("planned_finish", task.planned_finish),
        )
        for n, v in new_dates.items():
            put(n, v)
    responsible = task.responsible
    if "responsible" in data:
        responsible = _participation(project, data["responsible"], "responsible")
        if responsible.pk != task.responsible_id:
            changes["responsible"] = [task.responsible.department_id, responsible.department_id]
            task.responsible = responsible
            task.raci_cells.filter(participation=responsible).delete()
    if "owner" in data or "responsible" in changes:
        # Not sent with a new responsible department: its liaison (ids in the history, not rows).
        owner = _owner_for(responsible, data.get("owner"), "owner")
        if owner.pk != task.owner_id:
            changes["owner"] = [task.owner_id, owner.pk]
            task.owner = owner
    current = {c.participation_id: c.role for c in task.raci_cells.all()}
    cell_roles = _roles_from(project, data, responsible, current)
    if cell_roles is not None:
        cells = _set_cells(task, cell_roles)
        if cells:
            changes["raci"] = {str(k): v for k, v in cells.items()}
    if not changes:
        return task
    task.version += 1
    task.save()
    TaskUpdate.add(task, TaskUpdateKind.EDITED, author=person, data={"changes": changes})
    content = _("Task changed: %(t)s") % {"t": task}
    ProjectEvent.add(
        project,
        ProjectEventKind.TASK,
        author=person,
        content=content,
        task=task,
        data={"changes": sorted(changes)},
    )
    from .tracking import refresh_health

    refresh_health(task, author=person)
    return task


@transaction.atomic
def task_cancel(
    *, actor: Actor, task_id: int, reason: str, version: int | None = None, project_id: int | None = None
) -> Task:
    """Cancel a task that is no longer needed; the reason is kept."""
    project, task, roles, person = task_context(actor, task_id, version=version, project_id=project_id)
    permissions.require(roles, project, "plan_tasks")
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the task is cancelled."), field="reason")
    TASK_MACHINE.move(task, TaskStatus.CANCELLED, author=person, reason=reason.strip())
    bump(task, "status")
    from .tracking import refresh_health

    refresh_health(task, author=person)
    return task


def task_replan(
    task: Task,
    *,
    planned_start: date | None = None,
    planned_finish: date,
    author: Person | None,
    reason: str,
    source: str,
    data: dict | None = None,
) -> None:
    """Move a task's planned dates for a coordination meeting or an approved change request
    (the ``changes`` service calls this inside its transaction, the task locked).
    The old dates stay in the task's history and the project's timeline."""
    start = planned_start or task.planned_start
    if planned_finish < start:
        raise ApplicationError(_("The new deadline cannot be before the task's start."), field="new_deadline")
    old = [task.planned_start.isoformat(), task.planned_finish.isoformat()]
    task.planned_start, task.planned_finish = start, planned_finish
    bump(task, "planned_start", "planned_finish")
    new = [start.isoformat(), planned_finish.isoformat()]
    moved = {"source": source, "old": old, "new": new}
    TaskUpdate.add(
        task,
        TaskUpdateKind.REPLANNED,
        author=author,
        from_status=old[1],
        to_status=new[1],
        content=reason,
        data={**moved, **(data or {})},
    )
    content = _("%(t)s: planned finish %(old)s → %(new)s") % {"t": task.code, "old": old[1], "new": new[1]}
    ProjectEvent.add(
        task.project, ProjectEventKind.TASK, author=author, task=task, content=content, data=moved
    )


@transaction.atomic
def raci_set(
    *,
    actor: Actor,
    task_id: int,
    participation_id: int,
    role: str,
    version: int | None = None,
    project_id: int | None = None,
) -> Task:
    """Edit one cell of the RACI grid.

    R moves the task's responsibility to that department (the old one keeps no role; the
    owner becomes the new department's liaison unless they belong to it); A moves the one A
    to it; C and I set the cell; blank clears it. R cannot be cleared: give it to another
    department instead.
    """
    project, task, roles, person = task_context(actor, task_id, version=version, project_id=project_id)
    permissions.require(roles, project, "edit_raci")
    if task.status == TaskStatus.CANCELLED:
        raise TransitionError(_("A cancelled task no longer changes."))
    role = (role or "").strip().upper()
    if role not in ("", *RaciRole.values):
        raise ApplicationError(_("A role is R, A, C, I or blank."), field="role")
    part = (
        project.departments.select_related("department")
        .filter(pk=an_int(participation_id, "participation", minimum=1))
        .first()
    )
    if part is None:
        raise ApplicationError(_("Choose a department taking part in the project."), field="participation")
    before = (
        "R"
        if part.pk == task.responsible_id
        else (task.raci_cells.filter(participation=part).values_list("role", flat=True).first() or "")
    )
    if before == role:
        return task
    if before == "R":
        raise TransitionError(
            _("Every task has exactly one responsible department: give R to another department instead."),
            field="role",
        )
    note = {}
    if role == "R":
        task.raci_cells.filter(participation=part).delete()
        old_part = task.responsible
        task.responsible = part
        if not Membership.objects.filter(person_id=task.owner_id, department_id=part.department_id).exists():
            note["owner"] = [task.owner_id, part.liaison_id]
            task.owner = part.liaison
        note["responsible"] = [old_part.department_id, part.department_id]
    else:
        if role == "A":
            task.raci_cells.filter(role="A").exclude(participation=part).delete()
        task.raci_cells.filter(participation=part).delete()
        if role in [r.value for r in CELL_ROLES]:
            RaciCell.objects.create(task=task, participation=part, role=role)
    task.version += 1
    task.save()
    TaskUpdate.add(
        task,
        TaskUpdateKind.RACI,
        author=person,
        from_status=before,
        to_status=role,
        content=part.department.name,
        data={"participation": part.pk, **note},
    )
    content = f"{task.code} · {part.department.name}: {before or '—'} → {role or '—'}"
    data = {"participation": part.pk, "from": before, "to": role}
    ProjectEvent.add(project, ProjectEventKind.RACI, author=person, task=task, content=content, data=data)
    return task
