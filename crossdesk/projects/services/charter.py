"""Writes to the charter: the project, its participants and liaisons, the SMART goal,
the sub-goals and their progress, the kickoff and the project's status (SPEC §5 [002][004]).

Each service locks the project, checks who may do what now (``permissions``), writes,
adds a history row and writes the notifications, all in one transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.core.files import years_later
from crossdesk.core.numbering import next_number
from crossdesk.core.records import Actor, bump, check_version, inputs, locked, plain
from crossdesk.core.records.history import recorder
from crossdesk.core.records.inputs import a_date, a_decimal, an_int
from crossdesk.meetings import services as meeting_services
from crossdesk.meetings.choices import MeetingKind, MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.org.models import Membership, Person
from crossdesk.org.selectors import active_person, person_required, roles_for

from .. import permissions
from ..choices import PROJECT_MACHINE, ProjectEventKind, ProjectStatus, Recurrence, RetrospectiveStatus
from ..models import (
    GoalMeasurement,
    GoalMetric,
    Project,
    ProjectDepartment,
    ProjectEvent,
    SubGoal,
    SubGoalProgress,
)
from ..rules import MetricValues, smart_problems
from ..signals import project_status_changed
from ._common import MEETING_FIELDS, belongs_to, context, department_of, send, tell_everyone

NUMBER_SCOPE = "XM"
PROJECT_TEXT_FIELDS = {"name": 200, "background": 5000, "core_goal": 2000, "expected_outcomes": 5000}
CHARTER_FIELDS = {
    *PROJECT_TEXT_FIELDS,
    *("initiating_department", "lead", "planned_start", "planned_finish", "confidential"),
    *("participants", "goal_metrics"),
}
MAX_METRICS = 10


# --- the charter ----------------------------------------------------------------------------


def _apply_fields(project: Project, data: dict) -> dict:
    """Set the charter's own fields from ``data``; returns {field: [old, new]} of what changed."""
    changes: dict = {}
    put = recorder(project, changes)
    for name, limit in PROJECT_TEXT_FIELDS.items():
        if name in data:
            put(
                name,
                inputs.text(
                    data.get(name), name, limit, required=name == "name", label=_("The project name")
                ),
            )
    for name in ("planned_start", "planned_finish"):
        if name in data:
            put(name, a_date(data[name], name))
    if "confidential" in data:
        put("confidential", bool(data["confidential"]))
    if data.get("lead") not in (None, ""):
        lead = active_person(data["lead"], "lead")
        if project.lead_id != lead.pk:
            changes["lead"] = [project.lead_id, lead.pk]
            project.lead = lead
    if project.planned_start and project.planned_finish and project.planned_finish < project.planned_start:
        raise ApplicationError(
            _("The planned finish cannot be before the planned start."), field="planned_finish"
        )
    return changes


def _may_initiate_for(roles, department_id: int) -> bool:
    return roles.is_admin or department_id in roles.member_of or department_id in roles.head_of


def _clean_metrics(rows) -> list[dict]:
    if not isinstance(rows, list | tuple):
        raise ApplicationError(_("List the goal metrics."), field="goal_metrics")
    if len(rows) > MAX_METRICS:
        raise ApplicationError(_("At most %(n)d goal metrics.") % {"n": MAX_METRICS}, field="goal_metrics")
    cleaned = []
    for n, row in enumerate(rows):
        where = f"goal_metrics[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each goal metric is an object."), field=where)
        values = {
            "id": an_int(row.get("id"), f"{where}.id", minimum=1),
            "metric": inputs.text(row.get("metric"), "metric", 200),
            "unit": inputs.text(row.get("unit"), "unit", 20),
            "baseline": a_decimal(row.get("baseline"), f"{where}.baseline"),
            "target": a_decimal(row.get("target"), f"{where}.target"),
            "target_date": a_date(row.get("target_date"), f"{where}.target_date"),
        }
        if not any(values[k] not in (None, "") for k in ("metric", "baseline", "target", "target_date")):
            continue  # an empty row of the form
        cleaned.append(values)
    return cleaned


def _save_metrics(project: Project, rows: list[dict]) -> bool:
    """Replace the goal metrics by ``rows`` (an ``id`` keeps and updates its row). True if changed."""
    existing = {m.pk: m for m in project.goal_metrics.all()}
    keep: set[int] = set()
    changed = False
    for position, row in enumerate(rows):
        metric = existing.get(row["id"]) if row["id"] else None
        if row["id"] and metric is None:
            raise ApplicationError(_("No such goal metric."), field=f"goal_metrics[{position}].id")
        metric = metric or GoalMetric(project=project)
        values = {k: row[k] for k in ("metric", "unit", "baseline", "target", "target_date")}
        values["position"] = position
        if metric.pk is None or any(getattr(metric, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(metric, k, v)
            if metric.pk is not None:
                metric.version += 1
            metric.save()
            changed = True
        keep.add(metric.pk)
    gone = [pk for pk in existing if pk not in keep]
    if gone:
        if GoalMeasurement.objects.filter(metric_id__in=gone).exists():
            raise TransitionError(_("A goal metric with recorded values cannot be removed."))
        GoalMetric.objects.filter(pk__in=gone).delete()
        changed = True
    return changed


def _clean_participants(rows, *, initiating_id: int) -> list[dict]:
    if not isinstance(rows, list | tuple):
        raise ApplicationError(_("List the participating departments."), field="participants")
    seen: set[int] = set()
    cleaned = []
    for n, row in enumerate(rows):
        where = f"participants[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each participating department is an object."), field=where)
        department = department_of(row.get("department"), f"{where}.department")
        if department.pk in seen:
            raise ApplicationError(
                _("%(d)s is listed twice: a department takes part once, with one liaison.")
                % {"d": department.name},
                field=f"{where}.department",
            )
        seen.add(department.pk)
        liaison = _liaison(department, row.get("liaison"), f"{where}.liaison")
        cleaned.append(
            {
                "department": department,
                "liaison": liaison,
                "duties": inputs.text(row.get("duties"), "duties", 2000),
            }
        )
    return cleaned


def _liaison(department, value, field: str) -> Person:
    """The ONE liaison a department names: a member of it (its default liaison if none given)."""
    if value in (None, ""):
        if department.default_liaison_id:
            return department.default_liaison
        raise ApplicationError(
            _("Name the liaison of %(d)s: each department takes part with exactly one.")
            % {"d": department.name},
            field=field,
        )
    person = active_person(value, field)
    if (
        not Membership.objects.filter(person=person, department=department).exists()
        and department.head_id != person.pk
    ):
        raise ApplicationError(
            _("%(p)s does not belong to %(d)s; a department's liaison is one of its own people.")
            % {"p": person.name, "d": department.name},
            field=field,
        )
    return person


@transaction.atomic
def project_create(*, actor: Actor, data: dict) -> Project:
    """Write a new charter (a draft). It gets its number now (gap-free per year); the
    initiating department always takes part."""
    inputs.known(data, CHARTER_FIELDS)
    person = person_required(actor)
    roles = roles_for(actor)
    department = department_of(data.get("initiating_department"), "initiating_department")
    if not _may_initiate_for(roles, department.pk):
        raise PermissionDeniedError(_("You can start a project only for a department you belong to."))
    now = timezone.now()
    year = timezone.localtime(now).year
    project = Project(
        initiating_department=department,
        lead=person,
        created_by=person,
        year=year,
        status=ProjectStatus.DRAFT,
    )
    _apply_fields(project, {"name": "", **data})
    metrics = _clean_metrics(data.get("goal_metrics") or [])
    participants = _clean_participants(data.get("participants") or [], initiating_id=department.pk)
    project.number = f"{NUMBER_SCOPE}-{year}-{next_number(NUMBER_SCOPE, year):03d}"
    project.save()
    if not any(p["department"].pk == department.pk for p in participants):
        participants.insert(
            0,
            {
                "department": department,
                "liaison": _liaison(
                    department, None if department.default_liaison_id else project.lead, "participants"
                ),
                "duties": "",
            },
        )
    for position, row in enumerate(participants):
        ProjectDepartment.objects.create(
            project=project,
            department=row["department"],
            liaison=row["liaison"],
            duties=row["duties"],
            is_initiating=row["department"].pk == department.pk,
            position=position,
        )
    _save_metrics(project, metrics)
    ProjectEvent.add(
        project, ProjectEventKind.CREATED, author=person, content=project.name, to_status=project.status
    )
    return project


@transaction.atomic
def project_update(*, actor: Actor, project_id: int, data: dict, version: int | None = None) -> Project:
    """Change the charter's fields and goal metrics; every change is kept in the history."""
    inputs.known(data, CHARTER_FIELDS - {"initiating_department", "participants"})
    project, roles, person = context(actor, project_id, version=version, may="edit")
    changes = _apply_fields(project, data)
    if "goal_metrics" in data and _save_metrics(project, _clean_metrics(data["goal_metrics"])):
        changes["goal_metrics"] = True
        ProjectEvent.add(
            project, ProjectEventKind.GOAL, author=person, data={"metrics": _metric_snapshot(project)}
        )
    if not changes:
        return project
    bump(project, *[f for f in changes if f != "goal_metrics"])
    fields = {k: v for k, v in changes.items() if k != "goal_metrics"}
    if fields:
        ProjectEvent.add(project, ProjectEventKind.EDITED, author=person, data={"changes": fields})
    return project


def _metric_snapshot(project: Project) -> list[dict]:
    return [
        {
            "metric": m.metric,
            "unit": m.unit,
            "baseline": plain(m.baseline),
            "target": plain(m.target),
            "target_date": plain(m.target_date),
        }
        for m in project.goal_metrics.all()
    ]


def project_smart_problems(project: Project, *, today: date | None = None) -> list[str]:
    """What keeps the project's goal from being SMART (empty when it is)."""
    metrics = [
        MetricValues(metric=m.metric, baseline=m.baseline, target=m.target, target_date=m.target_date)
        for m in project.goal_metrics.all()
    ]
    return smart_problems(metrics, today=today)


def kickoff_problems(project: Project) -> list[str]:
    """What must be settled before the kickoff: a SMART goal, a core goal, a planned
    finish, and at least one department taking part besides the initiating one."""
    problems = []
    if not project.core_goal.strip():
        problems.append(_("Write the core goal."))
    problems += project_smart_problems(project)
    if project.planned_finish is None:
        problems.append(_("Give the planned finish of the project."))
    if project.departments.filter(is_initiating=False).count() == 0:
        problems.append(_("Add at least one participating department besides the initiating one."))
    return problems


# --- participants ---------------------------------------------------------------------------


@transaction.atomic
def participant_set(
    *, actor: Actor, project_id: int, department, liaison=None, duties: str = "", version: int | None = None
) -> ProjectDepartment:
    """Add a participating department, or change its liaison or duties (one liaison each)."""
    project, roles, person = context(actor, project_id, may="manage_participants")
    dept = department_of(department, "department")
    person_liaison = _liaison(dept, liaison, "liaison")
    duties = inputs.text(duties, "duties", 2000)
    part = project.departments.select_for_update().filter(department=dept).first()
    if part is None:
        part = ProjectDepartment.objects.create(
            project=project,
            department=dept,
            liaison=person_liaison,
            duties=duties,
            position=project.departments.count(),
        )
        content = _("%(d)s joins, liaison %(p)s") % {"d": dept.name, "p": person_liaison.name}
        data: dict = {"department": dept.pk, "liaison": person_liaison.pk, "added": True}
        new_liaison = True
    elif part.liaison_id == person_liaison.pk and part.duties == duties:
        return part
    else:
        old_liaison, new_liaison = part.liaison, part.liaison_id != person_liaison.pk
        part.liaison, part.duties = person_liaison, duties
        part.save(update_fields=["liaison", "duties"])
        content = _("%(d)s: liaison %(old)s → %(new)s") % {
            "d": dept.name,
            "old": old_liaison.name,
            "new": person_liaison.name,
        }
        data = {"department": dept.pk, "liaison": [old_liaison.pk, person_liaison.pk], "duties": duties}
    ProjectEvent.add(project, ProjectEventKind.PARTICIPANT, author=person, content=content, data=data)
    if new_liaison:
        send(
            project,
            [person_liaison.pk],
            event_name="liaison",
            title=_("You are the liaison of %(d)s in %(p)s") % {"d": dept.name, "p": project.name},
            body=duties,
            actor=person,
        )
    return part


@transaction.atomic
def participant_remove(*, actor: Actor, project_id: int, participation_id: int) -> None:
    """Remove a department that holds nothing yet (no task, sub-goal or role)."""
    project, roles, person = context(actor, project_id, may="manage_participants")
    part = project.departments.select_related("department").filter(pk=participation_id).first()
    if part is None:
        raise ApplicationError(_("No such participating department."), field="participation")
    if part.is_initiating:
        raise TransitionError(_("The initiating department always takes part."))
    if part.tasks_responsible.exists() or part.sub_goals.exists() or part.raci_cells.exists():
        raise TransitionError(
            _("%(d)s still holds tasks, sub-goals or RACI roles; move them first.")
            % {"d": part.department.name}
        )
    ProjectEvent.add(
        project,
        ProjectEventKind.PARTICIPANT,
        author=person,
        content=_("%(d)s no longer takes part") % {"d": part.department.name},
        data={"department": part.department_id, "removed": True},
    )
    part.delete()


# --- goal values and sub-goals -------------------------------------------------------------


@transaction.atomic
def goal_metric_record(
    *, actor: Actor, metric_id: int, value, measured_on=None, note: str = "", project_id: int | None = None
) -> GoalMeasurement:
    """Record a measured value of a goal metric; the dashboard shows it against the target."""
    project_id = belongs_to(GoalMetric, metric_id, project_id, missing=_("No such goal metric."))
    project, roles, person = context(actor, project_id, may="record_goal")
    metric = GoalMetric.objects.select_for_update().get(pk=metric_id)
    number = a_decimal(value, "value")
    if number is None:
        raise ApplicationError(_("Enter the measured value."), field="value")
    day = a_date(measured_on, "measured_on") or timezone.localdate()
    if day > timezone.localdate():
        raise ApplicationError(_("A value cannot be measured in the future."), field="measured_on")
    note = inputs.text(note, "note", 2000)
    row = GoalMeasurement.objects.create(
        metric=metric, value=number, measured_on=day, note=note, recorded_by=person, at=timezone.now()
    )
    if metric.measured_on is None or day >= metric.measured_on:
        metric.current, metric.measured_on = number, day
        bump(metric, "current", "measured_on")
    ProjectEvent.add(
        project,
        ProjectEventKind.GOAL_MEASURED,
        author=person,
        content=f"{metric.metric}: {number}{metric.unit}",
        data={"metric": metric.pk, "value": str(number), "measured_on": day.isoformat()},
    )
    return row


SUB_GOAL_FIELDS = {
    *("participation", "department", "description", "metric", "unit", "target", "higher_is_better"),
    *("deadline", "recurrence", "at_time", "weekday", "day_of_month", "within_hours"),
}


def _apply_sub_goal(goal: SubGoal, project: Project, data: dict) -> None:
    if "participation" in data or "department" in data or goal.participation_id is None:
        value = data.get("participation")
        query = project.departments.all()
        if value not in (None, ""):
            part = query.filter(pk=an_int(value, "participation", minimum=1) or 0).first()
        else:
            dept = department_of(data.get("department"), "department")
            part = query.filter(department=dept).first()
        if part is None:
            raise ApplicationError(_("Choose a department taking part in the project."), field="department")
        goal.participation = part
    for name, limit in (("description", 300), ("metric", 200), ("unit", 20)):
        if name in data or goal.pk is None:
            setattr(
                goal,
                name,
                inputs.text(
                    data.get(name),
                    name,
                    limit,
                    required=name != "unit",
                    label=str(getattr(SubGoal._meta.get_field(name), "verbose_name", name)),
                ),
            )
    if "target" in data or goal.pk is None:
        target = a_decimal(data.get("target"), "target")
        if target is None:
            raise ApplicationError(_("A sub-goal is quantified: give its target."), field="target")
        goal.target = target
    if "higher_is_better" in data:
        goal.higher_is_better = bool(data["higher_is_better"])
    if "deadline" in data:
        goal.deadline = a_date(data["deadline"], "deadline")
    if "recurrence" in data:
        if (data["recurrence"] or "") not in Recurrence.values:
            raise ApplicationError(_("Choose how often the sub-goal is due."), field="recurrence")
        goal.recurrence = data["recurrence"] or ""
    if "at_time" in data:
        goal.at_time = inputs.a_time(data["at_time"], "at_time")
    if "weekday" in data:
        goal.weekday = an_int(data["weekday"], "weekday", minimum=0, maximum=6)
    if "day_of_month" in data:
        goal.day_of_month = an_int(data["day_of_month"], "day_of_month", minimum=1, maximum=31)
    if "within_hours" in data:
        goal.within_hours = an_int(data["within_hours"], "within_hours", minimum=1, maximum=24 * 365)
    # The readable version of the database's checks, naming the field to fill in.
    if goal.deadline is None and not goal.recurrence:
        raise ApplicationError(
            _("Give a deadline or a recurrence (daily by 10:00, within 24 h of a request, every Friday)."),
            field="deadline",
        )
    needs: dict[str, tuple[str, str]] = {
        Recurrence.DAILY: ("at_time", _("A daily sub-goal needs the time of day.")),
        Recurrence.WEEKLY: ("weekday", _("A weekly sub-goal needs a weekday.")),
        Recurrence.MONTHLY: ("day_of_month", _("A monthly sub-goal needs a day of the month.")),
        Recurrence.WITHIN_HOURS: (
            "within_hours",
            _("A sub-goal due within hours of a request needs the hours."),
        ),
    }
    if goal.recurrence in needs:
        field, message = needs[goal.recurrence]
        if getattr(goal, field) in (None, ""):
            raise ApplicationError(message, field=field)


@transaction.atomic
def sub_goal_create(*, actor: Actor, project_id: int, data: dict) -> SubGoal:
    """Add a department's quantified sub-goal with a deadline or a recurrence [002]."""
    inputs.known(data, SUB_GOAL_FIELDS)
    project, roles, person = context(actor, project_id, may="edit_sub_goals")
    goal = SubGoal(project=project, position=project.sub_goals.count())
    _apply_sub_goal(goal, project, data)
    goal.save()
    _sub_goal_event(project, person, goal, added=True)
    return goal


def _sub_goal_event(project: Project, person: Person, goal: SubGoal, **data) -> None:
    """A sub-goal added, changed or removed, in the project's history."""
    data = {"sub_goal": goal.pk, **data}
    ProjectEvent.add(project, ProjectEventKind.SUB_GOAL, author=person, content=goal.description, data=data)


def _sub_goal_context(actor: Actor, sub_goal_id, project_id, *, may: str = ""):
    """:func:`context` for a sub-goal: its project locked, 404 when it is not ``project_id``'s."""
    return context(
        actor, belongs_to(SubGoal, sub_goal_id, project_id, missing=_("No such sub-goal.")), may=may
    )


@transaction.atomic
def sub_goal_update(
    *, actor: Actor, sub_goal_id: int, data: dict, version: int | None = None, project_id: int | None = None
) -> SubGoal:
    inputs.known(data, SUB_GOAL_FIELDS)
    project, roles, person = _sub_goal_context(actor, sub_goal_id, project_id, may="edit_sub_goals")
    goal = SubGoal.objects.select_for_update().get(pk=sub_goal_id)
    check_version(goal, version)
    _apply_sub_goal(goal, project, data)
    goal.version += 1
    goal.save()
    _sub_goal_event(project, person, goal, changed=sorted(data))
    return goal


@transaction.atomic
def sub_goal_delete(*, actor: Actor, sub_goal_id: int, project_id: int | None = None) -> None:
    project, roles, person = _sub_goal_context(actor, sub_goal_id, project_id, may="edit_sub_goals")
    goal = SubGoal.objects.get(pk=sub_goal_id)
    if goal.progress.exists():
        raise TransitionError(_("A sub-goal with recorded progress stays; change its target instead."))
    _sub_goal_event(project, person, goal, removed=True)
    goal.delete()


def progress_met(goal: SubGoal, value) -> bool:
    return value >= goal.target if goal.higher_is_better else value <= goal.target


@transaction.atomic
def sub_goal_record_progress(
    *,
    actor: Actor,
    sub_goal_id: int,
    value,
    period_start=None,
    period_end=None,
    note: str = "",
    project_id: int | None = None,
) -> SubGoalProgress:
    """Record what a department achieved against its sub-goal for a period (a day, a week,
    to date); shown beside the target, met or not."""
    project, roles, person = _sub_goal_context(actor, sub_goal_id, project_id)
    goal = SubGoal.objects.select_related("participation").get(pk=sub_goal_id)
    permissions.require_sub_goal_progress(roles, project, goal.participation)
    number = a_decimal(value, "value")
    if number is None:
        raise ApplicationError(_("Enter the value achieved."), field="value")
    today = timezone.localdate()
    end = a_date(period_end, "period_end") or today
    start = a_date(period_start, "period_start") or end
    if start > end:
        raise ApplicationError(_("The period cannot end before it starts."), field="period_end")
    if end > today:
        raise ApplicationError(
            _("Progress is recorded for periods that have begun and ended."), field="period_end"
        )
    row = SubGoalProgress.objects.create(
        sub_goal=goal,
        period_start=start,
        period_end=end,
        value=number,
        met=progress_met(goal, number),
        note=inputs.text(note, "note", 2000),
        recorded_by=person,
        at=timezone.now(),
    )
    ProjectEvent.add(
        project,
        ProjectEventKind.SUB_GOAL_PROGRESS,
        author=person,
        content=f"{goal.description}: {number}{goal.unit} / {goal.target}{goal.unit}",
        data={
            "sub_goal": goal.pk,
            "value": str(number),
            "met": row.met,
            "period": [start.isoformat(), end.isoformat()],
        },
    )
    return row


# --- kickoff and status ----------------------------------------------------------------------


def _change_status(project: Project, new: str, *, author: Person | None, reason: str = "", fields=()) -> None:
    old = PROJECT_MACHINE.move(project, new, author=author, reason=reason)
    bump(project, "status", *fields)
    project_status_changed.send(sender=Project, project=project, old=old, new=new, author=author)


def _kickoff_meeting_data(project: Project, data: dict) -> dict:
    allowed = {*MEETING_FIELDS, "agenda"}
    meeting = {k: v for k, v in data.items() if k in allowed}
    if not meeting.get("starts_at"):
        raise ApplicationError(_("Give the time of the kickoff meeting."), field="starts_at")
    parts = list(project.departments.select_related("department"))
    meeting.update(
        kind=MeetingKind.KICKOFF,
        title=_("Kickoff meeting: %(name)s") % {"name": project.name},
        background=project.background,
        goal=project.core_goal,
        related_matter=project.number,
        participants=[
            {
                "department": p.department_id,
                "people": sorted({p.liaison_id} | ({project.lead_id} if p.is_initiating else set())),
                "representative": p.liaison_id,
            }
            for p in parts
        ],
    )
    meeting.setdefault(
        "agenda",
        [
            {"topic": str(_("Background and goal")), "presenter": project.lead.name, "duration": 20},
            {"topic": str(_("Responsibilities of each department")), "presenter": "", "duration": 30},
            {"topic": str(_("Milestones and resources")), "presenter": "", "duration": 20},
            {"topic": str(_("Communication plan")), "presenter": "", "duration": 10},
        ],
    )
    return meeting


@transaction.atomic
def project_schedule_kickoff(
    *, actor: Actor, project_id: int, data: dict, version: int | None = None
) -> Project:
    """Kick the project off: a meeting of kind kickoff is called (or an existing one linked,
    ``data["meeting"]``) with every department's liaison; the project is kicked off, and
    runs once the meeting's minutes are final. Refused while the goal is not SMART."""
    project, roles, person = context(actor, project_id, version=version, may="schedule_kickoff")
    problems = kickoff_problems(project)
    if problems:
        raise TransitionError(" ".join(problems), field="goal_metrics")
    if data.get("meeting") not in (None, ""):
        meeting = _existing_kickoff(roles, data["meeting"])
    else:
        meeting = meeting_services.meeting_create_draft(
            actor=actor, data=_kickoff_meeting_data(project, data)
        )
        meeting = meeting_services.meeting_send_notice(
            actor=actor, meeting_id=meeting.pk, late_reason=str(data.get("late_reason") or "")
        )
    now = timezone.now()
    project.kickoff_meeting, project.kicked_off_at = meeting, now
    ProjectEvent.add(
        project,
        ProjectEventKind.KICKOFF,
        author=person,
        content=meeting.number or meeting.title,
        data={"meeting": meeting.pk, "starts_at": plain(meeting.starts_at)},
    )
    _change_status(
        project, ProjectStatus.KICKED_OFF, author=person, fields=("kickoff_meeting", "kicked_off_at")
    )
    title = _("Project kicked off: %(name)s") % {"name": project.name}
    when = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"
    when = _("Kickoff meeting %(when)s.") % {"when": when}
    tell_everyone(project, "kickoff", title, when, actor=person, url=meeting.get_absolute_url())
    if meeting.status == MeetingStatus.SIGNED:  # a linked meeting whose minutes are already final
        _run(project, author=person)
    return project


def _existing_kickoff(roles, value) -> Meeting:
    from crossdesk.meetings.selectors import visible_meetings

    pk = an_int(value, "meeting", minimum=1) or 0
    meeting = visible_meetings(roles=roles).filter(pk=pk).first()
    if meeting is None:
        raise ApplicationError(_("No such meeting."), field="meeting")
    if meeting.kind != MeetingKind.KICKOFF:
        raise ApplicationError(_("Link a meeting of kind kickoff."), field="meeting")
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.CANCELLED):
        raise ApplicationError(_("Link a kickoff meeting whose notice has been sent."), field="meeting")
    if Project.objects.filter(kickoff_meeting=meeting).exists():
        raise ApplicationError(_("This meeting is already another project's kickoff."), field="meeting")
    return meeting


def _run(project: Project, *, author: Person | None) -> None:
    project.running_since = timezone.now()
    _change_status(
        project,
        ProjectStatus.RUNNING,
        author=author,
        reason=_("The kickoff minutes are final."),
        fields=("running_since",),
    )
    title = _("Project running: %(name)s") % {"name": project.name}
    body = _("The kickoff minutes are final; tasks are tracked from now on.")
    tell_everyone(project, "running", title, body, actor=author)


@transaction.atomic
def project_kickoff_minutes_final(*, meeting_id: int, author: Person | None = None) -> list[Project]:
    """The kickoff meeting's minutes became final: its kicked-off projects run.
    Called by the meetings hook (``receivers``); doing it twice changes nothing."""
    moved = []
    for project_id in Project.objects.filter(
        kickoff_meeting_id=meeting_id, status=ProjectStatus.KICKED_OFF
    ).values_list("pk", flat=True):
        project = locked(Project, project_id)
        if project.status == ProjectStatus.KICKED_OFF:
            _run(project, author=author)
            moved.append(project)
    return moved


@transaction.atomic
def project_start_closing(
    *, actor: Actor, project_id: int, reason: str = "", version: int | None = None
) -> Project:
    """All work is in: the project moves to closing (retrospective and archive list follow)."""
    project, roles, person = context(actor, project_id, version=version, may="start_closing")
    from ..choices import OPEN_TASK_STATUSES

    open_tasks = project.tasks.filter(status__in=OPEN_TASK_STATUSES).count()
    if open_tasks and not (reason or "").strip():
        raise ApplicationError(
            _("%(n)d tasks are still open: finish or cancel them, or say why the project closes anyway.")
            % {"n": open_tasks},
            field="reason",
        )
    project.closing_since = timezone.now()
    _change_status(
        project,
        ProjectStatus.CLOSING,
        author=person,
        reason=(reason or "").strip(),
        fields=("closing_since",),
    )
    title = _("Project closing: %(name)s") % {"name": project.name}
    body = _("The retrospective is due within 5 working days.")
    tell_everyone(project, "closing", title, body, actor=person)
    return project


@transaction.atomic
def project_reopen(*, actor: Actor, project_id: int, reason: str, version: int | None = None) -> Project:
    """Back from closing to running (work turned out unfinished); the reason is kept."""
    project, roles, person = context(actor, project_id, version=version, may="reopen")
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the project reopens."), field="reason")
    project.closing_since = None
    _change_status(
        project, ProjectStatus.RUNNING, author=person, reason=reason.strip(), fields=("closing_since",)
    )
    return project


@transaction.atomic
def project_close(*, actor: Actor, project_id: int, version: int | None = None) -> Project:
    """Closing → closed, once the retrospective is final (the close step calls this
    after finalising it). Refused while the retrospective is missing or a draft."""
    project, roles, person = context(actor, project_id, version=version, may="close")
    retrospective = getattr(project, "retrospective", None)
    if retrospective is None or retrospective.status != RetrospectiveStatus.FINAL:
        raise TransitionError(_("The project closes once its retrospective is final."))
    project.closed_at = timezone.now()
    _change_status(project, ProjectStatus.CLOSED, author=person, fields=("closed_at",))
    return project


@transaction.atomic
def project_archive(*, actor: Actor, project_id: int, version: int | None = None) -> Project:
    """Closed → archived: read-only, kept at least two years (SPEC §6)."""
    project, roles, person = context(actor, project_id, version=version, may="archive")
    now = timezone.now()
    today = timezone.localdate(now)
    project.archived_at = now
    project.retain_until = years_later(today)
    _change_status(project, ProjectStatus.ARCHIVED, author=person, fields=("archived_at", "retain_until"))
    return project
