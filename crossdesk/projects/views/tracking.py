"""The task page (progress, problems, coordination) and the Gantt timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
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
from ._common import html_errors, refused


@require_GET
@login_required
@html_errors
def task_detail(request, pk: int, task_id: int):
    roles = roles_for(request.user)
    page = task_page(roles=roles, project_id=pk, pk=task_id)
    meetings = []
    if "coordinate" in page.actions:
        meetings = list(visible_meetings(roles=roles).filter(kind=MeetingKind.SPECIAL).exclude(
            status__in=["draft", "cancelled"]).order_by("-starts_at")[:30])  # fmt: skip
    people = Person.objects.filter(is_active=True, memberships__department_id__in=[
        p.department_id for p in page.participations]).distinct().order_by("employee_no")  # fmt: skip
    return render(request, "projects/task.html", {"page": page, "project": page.project, "task": page.task,
                                                  "tab": "plan", "meetings": meetings, "people": people,
                                                  "statuses": TaskStatus.choices})  # fmt: skip


def _run(request, action: str, task_id: int, pk: int):
    post = request.POST
    if action == "progress":
        services.task_update_progress(actor=request.user, task_id=task_id, progress=post.get("progress"),
                                      status=post.get("status", ""), actual_start=post.get("actual_start"),
                                      actual_finish=post.get("actual_finish"), note=post.get("note", ""),
                                      version=post.get("version"))  # fmt: skip
    elif action == "problem":
        services.task_report_problem(actor=request.user, task_id=task_id, description=post.get("description", ""),
                                     blocking=post.get("blocking") == "on", support_needed=post.get("support_needed", ""))  # fmt: skip
    elif action == "resolve":
        if not TaskProblem.objects.filter(pk=post.get("problem") or 0, task_id=task_id).exists():
            raise ApplicationError("No such problem.", field="problem")
        services.task_resolve_problem(
            actor=request.user, problem_id=post.get("problem"), resolution=post.get("resolution", "")
        )
    elif action in ("call_meeting", "record"):
        if not Coordination.objects.filter(pk=post.get("coordination") or 0, task_id=task_id).exists():
            raise ApplicationError("No such coordination.", field="coordination")
        if action == "call_meeting":
            services.coordination_schedule_meeting(actor=request.user, coordination_id=post.get("coordination"), data={
                k: post.get(k) for k in ("starts_at", "ends_at", "place") if post.get(k)})  # fmt: skip
        else:
            services.coordination_record(actor=request.user, coordination_id=post.get("coordination"),
                                         meeting=post.get("meeting"), measures=post.get("measures", ""),
                                         owner=post.get("owner"), new_deadline=post.get("new_deadline"),
                                         version=post.get("version"))  # fmt: skip
    elif action == "cancel":
        task_services.task_cancel(actor=request.user, task_id=task_id, reason=post.get("reason", ""),
                                  version=post.get("version"))  # fmt: skip
    else:
        raise ApplicationError("Unknown action.", field="action")


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
