"""The task page (progress, problems, coordination) and the Gantt timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.meetings.choices import MeetingKind
from crossdesk.meetings.selectors import visible_meetings
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from ..choices import TaskStatus
from ..models import Coordination, TaskProblem
from ..selectors.tasks import project_gantt, task_page
from ..services import tasks as task_services
from ..services import tracking as services
from ..services._common import belongs_to
from ._common import html_errors, refused


@require_GET
@login_required
@html_errors
def task_detail(request, pk: int, task_id: int):
    roles = roles_for(request.user)
    page = task_page(roles=roles, project_id=pk, pk=task_id)
    meetings = []
    if "coordinate" in page.actions:
        special = visible_meetings(roles=roles).filter(kind=MeetingKind.SPECIAL)
        meetings = list(special.exclude(status__in=["draft", "cancelled"]).order_by("-starts_at")[:30])
    departments = [p.department_id for p in page.participations]
    people = Person.objects.filter(is_active=True, memberships__department_id__in=departments)
    context = {"page": page, "project": page.project, "task": page.task, "tab": "plan", "meetings": meetings}
    context.update(people=people.distinct().order_by("employee_no"), statuses=TaskStatus.choices)
    return render(request, "projects/task.html", context)


def _run(request, action: str, task_id: int, pk: int):
    post, actor = request.POST, request.user
    if action == "progress":
        fields = ("progress", "status", "actual_start", "actual_finish", "note", "version")
        services.task_update_progress(actor=actor, task_id=task_id, **{k: post.get(k) for k in fields})
    elif action == "problem":
        services.task_report_problem(
            actor=actor,
            task_id=task_id,
            description=post.get("description", ""),
            blocking=post.get("blocking") == "on",
            support_needed=post.get("support_needed", ""),
        )
    elif action == "resolve":
        belongs_to(
            TaskProblem,
            post.get("problem"),
            task_id,
            missing=_("No such problem."),
            field="problem",
            path="task_id",
        )
        services.task_resolve_problem(
            actor=actor, problem_id=post.get("problem"), resolution=post.get("resolution", "")
        )
    elif action in ("call_meeting", "record"):
        missing = _("No such coordination.")
        belongs_to(
            Coordination,
            post.get("coordination"),
            task_id,
            missing=missing,
            field="coordination",
            path="task_id",
        )
        if action == "call_meeting":
            data = {k: post.get(k) for k in ("starts_at", "ends_at", "place") if post.get(k)}
            services.coordination_schedule_meeting(
                actor=actor, coordination_id=post.get("coordination"), data=data
            )
        else:
            fields = ("meeting", "measures", "owner", "new_deadline", "version")
            values = {k: post.get(k) for k in fields}
            services.coordination_record(actor=actor, coordination_id=post.get("coordination"), **values)
    elif action == "cancel":
        task_services.task_cancel(
            actor=actor, task_id=task_id, reason=post.get("reason", ""), version=post.get("version")
        )
    else:
        raise ApplicationError(_("Unknown action."), field="action")


@require_POST
@login_required
@html_errors
def task_action(request, pk: int, task_id: int, action: str):
    task_page(roles=roles_for(request.user), project_id=pk, pk=task_id)
    url = reverse("projects:task", args=[pk, task_id])
    try:
        _run(request, action, task_id, pk)
    except ApplicationError as exc:
        return refused(request, exc, url)
    return redirect(url)


@require_GET
@login_required
@html_errors
def gantt(request, pk: int):
    """Planned against actual bars per task, server-rendered HTML/CSS."""
    chart = project_gantt(roles=roles_for(request.user), pk=pk)
    return render(request, "projects/gantt.html", {"chart": chart, "project": chart.project, "tab": "gantt"})


urlpatterns = [
    path("<int:pk>/tasks/<int:task_id>/", task_detail, name="task"),
    path("<int:pk>/tasks/<int:task_id>/do/<slug:action>/", task_action, name="task_action"),
    path("<int:pk>/gantt/", gantt, name="gantt"),
]
