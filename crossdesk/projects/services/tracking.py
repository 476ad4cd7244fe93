"""Tracking: owners' progress updates and problem log, the derived health, and the 48-hour
coordination of a task turning behind or blocked (SPEC §5 [002][003][004]).

Health is never typed: ``refresh_health`` derives it (``rules.derive_health``, on the
working-day calendar) after every change and, as time passes, in the hourly job. A task
turning troubled opens a ``Coordination`` and starts the ``task.coordination`` clock (48
hours): a special coordination meeting must record measures, one owner and a new deadline,
or the deadline engine reminds and escalates.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.audit.services import audited_update
from crossdesk.core.errors import ApplicationError, TransitionError
from crossdesk.core.records import SYSTEM, Actor, Machine, bump, check_version, inputs, plain
from crossdesk.core.records.inputs import a_date, a_moment, an_int
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.keys import RuleKey
from crossdesk.meetings import services as meeting_services
from crossdesk.meetings.choices import MeetingKind, MeetingStatus
from crossdesk.meetings.selectors import visible_meetings
from crossdesk.org.models import Person
from crossdesk.org.selectors import active_person
from crossdesk.workcal.selectors import get_calendar

from .. import permissions
from ..choices import (
    LIVE,
    OPEN_TASK_STATUSES,
    TASK_MACHINE,
    TROUBLED,
    CoordinationStatus,
    ProjectEventKind,
    TaskHealth,
    TaskStatus,
    TaskUpdateKind,
)
from ..models import Coordination, ProjectEvent, Task, TaskProblem, TaskUpdate
from ..rules import derive_health
from ._common import MEETING_FIELDS, belongs_to, send_about
from .tasks import task_context, task_replan

COORDINATION_RULE = RuleKey.TASK_COORDINATION
# Who changes a task's health as days pass: history says "系统（任务健康度）".
HEALTH = SYSTEM.for_reason(gettext_lazy("Task health"))
COORDINATIONS = Machine(
    {CoordinationStatus.OPEN: {CoordinationStatus.RECORDED, CoordinationStatus.WITHDRAWN}},
    CoordinationStatus,
    refusal=gettext_lazy("This coordination is already settled."),
)


# --- health ---------------------------------------------------------------------------------


def health_of(task: Task, *, today: date | None = None, blocked: bool | None = None, calendar=None) -> str:
    """The task's health now (not saved)."""
    calendar = calendar or get_calendar()
    if blocked is None:
        blocked = task.problems.filter(resolved_at__isnull=True, blocking=True).exists()
    return derive_health(
        status=task.status,
        planned_start=task.planned_start,
        planned_finish=task.planned_finish,
        actual_finish=task.actual_finish,
        progress=task.progress,
        blocked=blocked,
        today=today or timezone.localdate(),
        is_working_day=calendar.is_working_day,
    )


def refresh_health(
    task: Task, *, author: Person | None = None, blocked: bool | None = None, calendar=None
) -> str:
    """Derive and store the task's health; on a change write the history row, and open or
    withdraw the coordination the change calls for. Call with the project locked."""
    new = health_of(task, blocked=blocked, calendar=calendar)
    old = task.health
    if new == old:
        return new
    now = timezone.now()
    audited_update(Task.objects.filter(pk=task.pk), health=new, health_since=now)
    task.health, task.health_since = new, now
    TaskUpdate.add(task, TaskUpdateKind.HEALTH, author=author, actor=HEALTH, from_status=old, to_status=new)
    if task.project.status in LIVE:
        if new in TROUBLED and old != new:
            _open_coordination(task, trigger=new, author=author)
        elif new not in TROUBLED:
            _withdraw_coordination(task, author=author)
    return new


def _open_coordination(task: Task, *, trigger: str, author: Person | None) -> Coordination | None:
    """A task turned troubled: a special coordination meeting is due within 48 hours [003]."""
    if task.coordinations.filter(status=CoordinationStatus.OPEN).exists():
        return None
    project = task.project
    now = timezone.now()
    coordination = Coordination.objects.create(
        task=task,
        project=project,
        trigger=trigger,
        opened_at=now,
        due_at=now,  # due set from the clock below
    )
    clock = deadlines.clock_start(
        subject=coordination,
        key=COORDINATION_RULE,
        started_at=now,
        owner=project.lead,
        department=task.responsible.department,
        label=_("Coordination meeting for %(t)s") % {"t": task},
    )
    coordination.due_at = clock.due_at
    coordination.save(update_fields=["due_at"])
    label = TaskHealth(trigger).label
    due = f"{timezone.localtime(clock.due_at):%Y-%m-%d %H:%M}"
    opened = _("%(t)s is %(h)s: coordination meeting due by %(due)s") % {"t": task, "h": label, "due": due}
    _log(project, task, author, opened, coordination=coordination.pk, trigger=trigger)
    title = _("%(t)s is %(h)s: hold a coordination meeting within 48 hours") % {"t": task.title, "h": label}
    body = _(
        "Record the measures, one owner and a new deadline from a special coordination meeting by %(due)s."
    )
    body %= {"due": due}
    told = [project.lead_id, task.owner_id, task.responsible.liaison_id, task.responsible.department.head_id]
    once = f"project.coordination.open:{coordination.pk}"
    send_about(project, coordination, told, "task_troubled", title, None, body, dedupe_key=once)
    return coordination


def _log(project, task: Task, author: Person | None, content: str, **data) -> None:
    """A coordination's row in the project's history: by the person, or by the system when the
    task's health opened or withdrew it."""
    kind = ProjectEventKind.COORDINATION
    ProjectEvent.add(project, kind, author=author, actor=HEALTH, task=task, content=content, data=data)


def _withdraw_coordination(task: Task, *, author: Person | None) -> None:
    """The trouble went away before the meeting: the coordination is no longer needed."""
    for coordination in task.coordinations.select_for_update().filter(status=CoordinationStatus.OPEN):
        COORDINATIONS.move(coordination, CoordinationStatus.WITHDRAWN)
        coordination.version += 1
        coordination.save(update_fields=["status", "version", "updated_at"])
        deadlines.clocks_stop_for(subject=coordination, key=COORDINATION_RULE, met=False)
        content = _("%(t)s is back on track: coordination no longer needed") % {"t": task}
        _log(task.project, task, author, content, coordination=coordination.pk, withdrawn=True)


def tracking_refresh(*, today: date | None = None) -> int:
    """The hourly job: as days pass, tasks turn behind or overdue without anyone typing.
    Re-derives the health of every open task of a live project; returns how many changed.
    Safe to run twice (an unchanged health writes nothing)."""
    from ..models import Project

    calendar = get_calendar()
    changed = 0
    project_ids = list(Project.objects.filter(status__in=LIVE).values_list("pk", flat=True))
    for project_id in project_ids:
        with transaction.atomic():
            project = Project.objects.select_for_update().filter(pk=project_id, status__in=LIVE).first()
            if project is None:
                continue
            tasks = list(
                project.tasks.filter(status__in=OPEN_TASK_STATUSES).select_related(
                    "project__lead", "responsible__department", "responsible__liaison"
                )
            )
            blocked = set(
                TaskProblem.objects.filter(
                    task__in=tasks, resolved_at__isnull=True, blocking=True
                ).values_list("task_id", flat=True)
            )
            for task in tasks:
                old = task.health
                if refresh_health(task, blocked=task.pk in blocked, calendar=calendar) != old:
                    changed += 1
    return changed


# --- progress and problems ---------------------------------------------------------------------


@transaction.atomic
def task_update_progress(
    *,
    actor: Actor,
    task_id: int,
    progress=None,
    status: str = "",
    actual_start=None,
    actual_finish=None,
    note: str = "",
    version: int | None = None,
    project_id: int | None = None,
) -> Task:
    """The owner reports progress, actual dates and a note. Progress above 0 starts the task,
    100 % (or status done) finishes it with its actual finish (today if not given)."""
    project, task, roles, person = task_context(actor, task_id, version=version, project_id=project_id)
    permissions.require_task_update(roles, project, task)
    if task.status == TaskStatus.CANCELLED:
        raise TransitionError(_("A cancelled task no longer changes."))
    today = timezone.localdate()
    new_progress = an_int(progress, "progress", minimum=0, maximum=100)
    new_status = (status or "").strip()
    if new_status and new_status not in TaskStatus.values:
        raise ApplicationError(_("Choose a status."), field="status")
    if new_status == TaskStatus.CANCELLED:
        raise ApplicationError(_("The project lead cancels tasks, with a reason."), field="status")
    start = a_date(actual_start, "actual_start")
    finish = a_date(actual_finish, "actual_finish")
    for name, value in (("actual_start", start), ("actual_finish", finish)):
        if value and value > today:
            raise ApplicationError(_("An actual date cannot be in the future."), field=name)
    if new_progress == 100 and not new_status:
        new_status = TaskStatus.DONE
    if new_status == TaskStatus.DONE:
        new_progress = 100
    elif (
        new_progress is not None
        and new_progress > 0
        and task.status == TaskStatus.NOT_STARTED
        and not new_status
    ):
        new_status = TaskStatus.IN_PROGRESS
    if new_status and new_status != task.status:
        TASK_MACHINE.check(task.status, new_status)
    if task.status == TaskStatus.DONE and new_status == TaskStatus.IN_PROGRESS:
        task.actual_finish = None
        if new_progress is None or new_progress == 100:
            new_progress = 90
    tracked = ("status", "progress", "actual_start", "actual_finish")
    old = {k: getattr(task, k) for k in tracked}
    if new_progress is not None:
        task.progress = new_progress
    if new_status:
        task.status = new_status
    if start:
        task.actual_start = start
    if task.status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE) and task.actual_start is None:
        task.actual_start = today
    if task.status == TaskStatus.DONE:
        task.actual_finish = finish or task.actual_finish or today
    elif finish:
        raise ApplicationError(_("An actual finish is given when the task is done."), field="actual_finish")
    if task.actual_start and task.actual_finish and task.actual_finish < task.actual_start:
        raise ApplicationError(
            _("The actual finish cannot be before the actual start."), field="actual_finish"
        )
    if task.status != TaskStatus.DONE and task.progress == 100:
        raise ApplicationError(_("A task at 100% is done: mark it done."), field="progress")
    note = inputs.text(note, "note", 5000)
    new = {k: getattr(task, k) for k in tracked}
    if new == old and not note:
        raise ApplicationError(_("Nothing to update: change the progress or write a note."), field="progress")
    task.version += 1
    task.save()
    data = {k: [plain(old[k]), plain(new[k])] for k in new if new[k] != old[k]}
    moved = old["status"] != task.status
    kind, from_status = (TaskUpdateKind.STATUS, old["status"]) if moved else (TaskUpdateKind.PROGRESS, "")
    TaskUpdate.add(
        task,
        kind,
        author=person,
        from_status=from_status,
        to_status=task.status if moved else "",
        progress=task.progress,
        content=note,
        data=data,
    )
    if moved:
        content = _("%(t)s: %(s)s") % {"t": task, "s": task.get_status_display()}
        ProjectEvent.add(project, ProjectEventKind.TASK, author=person, task=task, content=content, data=data)
    refresh_health(task, author=person)
    return task


@transaction.atomic
def task_report_problem(
    *,
    actor: Actor,
    task_id: int,
    description: str,
    blocking: bool = False,
    support_needed: str = "",
    project_id: int | None = None,
) -> TaskProblem:
    """Add to the task's problem log; a blocking problem makes the task blocked."""
    project, task, roles, person = task_context(actor, task_id, project_id=project_id)
    permissions.require_task_update(roles, project, task)
    if task.status not in OPEN_TASK_STATUSES:
        raise TransitionError(_("Problems are logged on open tasks."))
    problem = TaskProblem.objects.create(
        task=task,
        description=inputs.text(description, "description", 5000, required=True, label=_("The problem")),
        blocking=bool(blocking),
        support_needed=inputs.text(support_needed, "support_needed", 2000),
        raised_by=person,
        raised_at=timezone.now(),
    )
    data = {"problem": problem.pk, "blocking": problem.blocking, "support": problem.support_needed}
    TaskUpdate.add(task, TaskUpdateKind.PROBLEM, author=person, content=problem.description, data=data)
    bump(task)
    if problem.blocking:
        told = [project.lead_id, task.responsible.department.head_id]
        title = _("Blocked: %(t)s") % {"t": task.title}
        send_about(project, task, told, "task_blocked", title, person, problem.description)
    refresh_health(task, author=person)
    return problem


@transaction.atomic
def task_resolve_problem(
    *, actor: Actor, problem_id: int, resolution: str, project_id: int | None = None
) -> TaskProblem:
    """Close a problem of the log with how it was resolved; a task no longer blocked may recover."""
    missing = _("No such problem.")
    project, task, problem, roles, person = _part_context(actor, TaskProblem, problem_id, project_id, missing)
    permissions.require_task_update(roles, project, task)
    if problem.resolved_at is not None:
        raise TransitionError(_("This problem is already resolved."))
    resolution = inputs.text(resolution, "resolution", 5000)
    if not resolution:
        raise ApplicationError(_("Say how the problem was resolved."), field="resolution")
    problem.resolved_at, problem.resolved_by, problem.resolution = timezone.now(), person, resolution
    problem.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    TaskUpdate.add(
        task, TaskUpdateKind.PROBLEM_RESOLVED, author=person, content=resolution, data={"problem": problem.pk}
    )
    bump(task)
    refresh_health(task, author=person)
    return problem


# --- coordination ------------------------------------------------------------------------------


def _part_context(actor: Actor, model, pk, project_id, missing, version=None):
    """Lock the project, the task and its problem or coordination ``pk`` (in that order)."""
    belongs_to(model, pk, project_id, missing=missing, path="task__project_id")
    task_id = model._default_manager.filter(pk=pk).values_list("task_id", flat=True).get()
    project, task, roles, person = task_context(actor, task_id)
    part = model._default_manager.select_for_update().get(pk=pk)
    check_version(part, version)
    return project, task, part, roles, person


def _coordination_context(actor: Actor, coordination_id, project_id, version=None):
    missing = _("No such coordination.")
    return _part_context(actor, Coordination, coordination_id, project_id, missing, version)


@transaction.atomic
def coordination_schedule_meeting(
    *, actor: Actor, coordination_id: int, data: dict, project_id: int | None = None
) -> Coordination:
    """Call the special coordination meeting for a troubled task (kind special, the
    responsible and collaborating departments' liaisons invited) and link it."""
    project, task, coordination, roles, person = _coordination_context(actor, coordination_id, project_id)
    permissions.require(roles, project, "coordinate")
    COORDINATIONS.check(coordination.status, CoordinationStatus.RECORDED)  # still open
    if coordination.meeting_id:
        raise TransitionError(_("A coordination meeting is already called for it."))
    allowed = set(MEETING_FIELDS)
    if not isinstance(data, dict) or not data.get("starts_at"):
        raise ApplicationError(_("Give the time of the coordination meeting."), field="starts_at")
    parts = [task.responsible, *[c.participation for c in task.raci_cells.select_related("participation")]]
    initiating = project.departments.get(is_initiating=True)
    if initiating.pk not in {p.pk for p in parts}:
        parts.append(initiating)
    meeting_data = {k: v for k, v in data.items() if k in allowed}
    if not meeting_data.get("ends_at"):
        meeting_data["ends_at"] = a_moment(meeting_data["starts_at"], "starts_at", required=True) + timedelta(
            hours=1
        )

    def people(p) -> list[int]:
        return sorted({p.liaison_id, task.owner_id} if p.pk == task.responsible_id else {p.liaison_id})

    health = TaskHealth(coordination.trigger).label
    meeting_data.update(
        kind=MeetingKind.SPECIAL,
        title=_("Special coordination: %(t)s") % {"t": task.title},
        background=_("Task %(t)s of %(p)s is %(h)s.") % {"t": task, "p": project, "h": health},
        goal=_("Agree measures, one owner and a new deadline."),
        agenda=[
            {
                "topic": str(_("Why the task is behind or blocked")),
                "presenter": task.owner.name,
                "duration": 20,
            },
            {
                "topic": str(_("Measures, owner and new deadline")),
                "presenter": project.lead.name,
                "duration": 30,
            },
        ],
        related_matter=project.number,
        participants=[
            {"department": p.department_id, "people": people(p), "representative": p.liaison_id}
            for p in parts
        ],
    )
    late = data.get("late_reason") or _("A troubled task needs its coordination meeting within 48 hours.")
    meeting = meeting_services.meeting_create_draft(actor=actor, data=meeting_data)
    meeting = meeting_services.meeting_send_notice(actor=actor, meeting_id=meeting.pk, late_reason=str(late))
    coordination.meeting = meeting
    bump(coordination, "meeting")
    content = _("Coordination meeting called: %(m)s") % {"m": meeting}
    _log(project, task, person, content, coordination=coordination.pk, meeting=meeting.pk)
    return coordination


@transaction.atomic
def coordination_record(
    *,
    actor: Actor,
    coordination_id: int,
    meeting,
    measures: str,
    owner,
    new_deadline,
    version: int | None = None,
    project_id: int | None = None,
) -> Coordination:
    """Record what the special coordination meeting decided: measures, ONE owner and a new
    deadline [003]. Stops the 48-hour clock (late if past it) and moves the task's planned
    finish to the new deadline, kept in the task's history."""
    project, task, coordination, roles, person = _coordination_context(
        actor, coordination_id, project_id, version
    )
    permissions.require(roles, project, "coordinate")
    COORDINATIONS.check(coordination.status, CoordinationStatus.RECORDED)  # still open
    meeting_obj = _held_special_meeting(roles, meeting)
    measures = inputs.text(measures, "measures", 5000)
    if not measures:
        raise ApplicationError(_("Write the measures agreed."), field="measures")
    owner_person = active_person(owner, "owner")
    deadline = a_date(new_deadline, "new_deadline")
    if deadline is None:
        raise ApplicationError(_("Give the new deadline."), field="new_deadline")
    if deadline < timezone.localdate():
        raise ApplicationError(_("The new deadline cannot be in the past."), field="new_deadline")
    now = timezone.now()
    coordination.meeting = meeting_obj
    coordination.measures, coordination.owner, coordination.new_deadline = measures, owner_person, deadline
    coordination.old_planned_finish = task.planned_finish
    coordination.recorded_at, coordination.recorded_by = now, person
    coordination.recorded_late = now > coordination.due_at
    COORDINATIONS.move(coordination, CoordinationStatus.RECORDED)
    coordination.version += 1
    coordination.save()
    deadlines.clocks_stop_for(subject=coordination, key=COORDINATION_RULE, met=True)
    decided = {"meeting": meeting_obj.pk, "owner": owner_person.pk, "new_deadline": deadline.isoformat()}
    data = {"coordination": coordination.pk, **decided, "late": coordination.recorded_late}
    TaskUpdate.add(task, TaskUpdateKind.COORDINATION, author=person, content=measures, data=data)
    if deadline != task.planned_finish:
        reason = _("Coordination meeting %(m)s") % {"m": meeting_obj.number or meeting_obj.title}
        data = {"coordination": coordination.pk}
        task_replan(
            task, planned_finish=deadline, author=person, source="coordination", reason=reason, data=data
        )
    content = _("Measures for %(t)s: %(m)s — owner %(o)s, new deadline %(d)s") % {
        "t": task.code,
        "m": measures,
        "o": owner_person.name,
        "d": deadline.isoformat(),
    }
    _log(
        project,
        task,
        person,
        content,
        coordination=coordination.pk,
        recorded=True,
        late=coordination.recorded_late,
    )
    title = _("Measures for %(t)s, new deadline %(d)s") % {"t": task.title, "d": deadline.isoformat()}
    told = [owner_person.pk, task.owner_id]
    send_about(project, coordination, told, "coordination_recorded", title, person, measures)
    refresh_health(task, author=person)
    return coordination


def _held_special_meeting(roles, value):
    pk = an_int(getattr(value, "pk", value), "meeting", minimum=1)
    if pk is None:
        raise ApplicationError(_("Choose the special coordination meeting that decided it."), field="meeting")
    meeting = visible_meetings(roles=roles).filter(pk=pk).first()
    if meeting is None:
        raise ApplicationError(_("No such meeting."), field="meeting")
    if meeting.kind != MeetingKind.SPECIAL:
        raise ApplicationError(_("Measures come from a special coordination meeting."), field="meeting")
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.CANCELLED) or (
        meeting.starts_at and meeting.starts_at > timezone.now()
    ):
        raise ApplicationError(
            _("Record the measures once the coordination meeting has taken place."), field="meeting"
        )
    return meeting
