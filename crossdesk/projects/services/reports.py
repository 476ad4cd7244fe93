"""The weekly progress list (周进度清单 [002]): generated once per project and week, per
department what was done, what is next, what is behind or blocked, and the risks; sent to
the participants and kept as it was sent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.records import SYSTEM, Actor
from crossdesk.workcal.selectors import get_calendar

from ..choices import (
    LIVE,
    OPEN_TASK_STATUSES,
    TROUBLED,
    CoordinationStatus,
    ProjectEventKind,
    TaskHealth,
    TaskStatus,
)
from ..models import Coordination, Project, ProjectEvent, Task, TaskProblem, WeeklyReport
from ..rules import last_working_day_of_week, week_of
from ._common import context, participant_ids, send_about

# The list goes out on the week's last working day from this hour (a make-up Saturday
# counts; a week entirely off has none).
SEND_FROM = time(16, 0)
# Who makes the lists nobody asked for: history says "系统（周进度清单）".
WEEKLY_LIST = SYSTEM.for_reason(gettext_lazy("Weekly progress list"))


def _task_line(task: Task) -> dict:
    return {
        "id": task.pk,
        "code": task.code,
        "title": task.title,
        "owner": task.owner.name,
        "progress": task.progress,
        "planned_finish": task.planned_finish.isoformat(),
        "actual_finish": task.actual_finish.isoformat() if task.actual_finish else None,
        "health": task.health,
        "health_label": str(TaskHealth(task.health).label),
    }


def build_content(project: Project, week_start: date, week_end: date) -> dict:
    """The list's content from the tasks as they are now (a handful of queries)."""
    next_start, next_end = week_end + timedelta(days=1), week_end + timedelta(days=7)
    parts = list(project.departments.select_related("department", "liaison"))
    tasks = list(project.tasks.select_related("owner").exclude(status=TaskStatus.CANCELLED))
    problems: dict[int, list[str]] = {}
    for task_id, description, blocking in TaskProblem.objects.filter(
        task__project=project, resolved_at__isnull=True
    ).values_list("task_id", "description", "blocking"):
        problems.setdefault(task_id, []).append(("[!] " if blocking else "") + description)
    waiting = {
        c.task_id: c for c in Coordination.objects.filter(project=project, status=CoordinationStatus.OPEN)
    }
    by_part: dict[int, dict] = {
        p.pk: {
            "department": p.department.name,
            "code": p.department.code,
            "liaison": p.liaison.name,
            **{section: [] for section in ("done", "next", "troubled", "risks")},
        }
        for p in parts
    }
    for task in tasks:
        section = by_part.get(task.responsible_id)
        if section is None:
            continue
        line = _task_line(task)
        if (
            task.status == TaskStatus.DONE
            and task.actual_finish
            and week_start <= task.actual_finish <= week_end
        ):
            section["done"].append(line)
        if task.status in OPEN_TASK_STATUSES:
            if task.health in TROUBLED:
                section["troubled"].append(line)
            if (
                task.planned_start <= next_end
                and task.planned_finish >= next_start
                or task.status == TaskStatus.IN_PROGRESS
            ):
                section["next"].append(line)
            for text in problems.get(task.pk, []):
                section["risks"].append({"code": task.code, "text": text})
            if task.pk in waiting:
                due = timezone.localtime(waiting[task.pk].due_at).strftime("%Y-%m-%d %H:%M")
                section["risks"].append(
                    {"code": task.code, "text": str(_("Coordination meeting due by %(due)s") % {"due": due})}
                )
    open_tasks = [t for t in tasks if t.status in OPEN_TASK_STATUSES]
    totals = {
        "tasks": len(tasks),
        "done": sum(1 for t in tasks if t.status == TaskStatus.DONE),
        "done_this_week": sum(len(s["done"]) for s in by_part.values()),
        "troubled": sum(1 for t in open_tasks if t.health in TROUBLED),
        "overdue": sum(1 for t in open_tasks if t.health == TaskHealth.OVERDUE),
    }
    return {
        "project": {"number": project.number, "name": project.name, "status": project.status},
        "week": [week_start.isoformat(), week_end.isoformat()],
        "departments": list(by_part.values()),
        "totals": totals,
    }


def weekly_report_generate(project: Project, *, week_start: date, author=None) -> tuple[WeeklyReport, bool]:
    """The week's list for the project, made once: returns (report, created). A second call
    (a repeated job, two schedulers) returns the existing one and notifies nobody again."""
    week_start, week_end = week_of(week_start)
    existing = WeeklyReport.objects.filter(project=project, week_start=week_start).first()
    if existing:
        return existing, False
    content = build_content(project, week_start, week_end)
    recipients = participant_ids(project)
    try:
        with transaction.atomic():
            report = WeeklyReport.objects.create(
                project=project,
                week_start=week_start,
                week_end=week_end,
                generated_at=timezone.now(),
                content=content,
                recipients=len(recipients),
            )
            week = {"from": week_start.isoformat(), "to": week_end.isoformat()}
            title = _("Weekly progress list %(from)s – %(to)s") % week
            ProjectEvent.add(
                project,
                ProjectEventKind.WEEKLY_REPORT,
                author=author,
                actor=WEEKLY_LIST,
                content=title,
                data={"report": report.pk},
            )
            body = _("Done this week: %(done)d; behind or blocked: %(troubled)d; overdue: %(overdue)d.")
            once = f"project.weekly:{project.pk}:{week_start.isoformat()}"
            body %= content["totals"]
            send_about(project, report, recipients, "weekly_report", title, None, body, dedupe_key=once)
    except IntegrityError:  # someone else made it in between
        return WeeklyReport.objects.get(project=project, week_start=week_start), False
    return report, True


@transaction.atomic
def weekly_report_generate_now(*, actor: Actor, project_id: int) -> WeeklyReport:
    """A manager makes this week's list now (e.g. before the Monday sync); once per week."""
    project, roles, person = context(actor, project_id, may="generate_weekly_report")
    report, _created = weekly_report_generate(project, week_start=timezone.localdate(), author=person)
    return report


def weekly_reports_due(*, now: datetime | None = None) -> int:
    """The periodic job: on the week's last working day from 16:00, each live project gets
    its list; a week missed (scheduler down) is made at the next run. Returns how many."""
    now = timezone.localtime(now or timezone.now())
    calendar = get_calendar()
    today = now.date()
    weeks = []
    last = last_working_day_of_week(today, calendar.is_working_day)
    if last is not None and (today > last or (today == last and now.time() >= SEND_FROM)):
        weeks.append(week_of(today)[0])
    previous = week_of(today)[0] - timedelta(days=7)
    if last_working_day_of_week(previous, calendar.is_working_day) is not None:
        weeks.append(previous)
    made = 0
    for week_start in weeks:
        week_end = week_start + timedelta(days=6)
        projects = (
            Project.objects.filter(status__in=LIVE, kicked_off_at__date__lte=week_end)
            .exclude(weekly_reports__week_start=week_start)
            .select_related("lead")
        )
        for project in projects:
            _report, created = weekly_report_generate(project, week_start=week_start)
            made += int(created)
    return made
