"""The task page (progress, problems, coordination) and the Gantt timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.meetings.choices import MeetingKind
from crossdesk.meetings.selectors import visible_meetings
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from ..forms import (
    CallMeetingForm,
    CancelTaskForm,
    CoordinationForm,
    ProblemForm,
    ProgressForm,
    ResolveForm,
)
from ..models import Coordination, TaskProblem
from ..selectors.tasks import project_gantt, task_page
from ..services import tasks as task_services
from ..services import tracking as services
from ..services._common import belongs_to
from ._common import PageForms, html_errors, submit


def _task_page(request, pk: int, task_id: int, bound=None) -> dict:
    roles = roles_for(request.user)
    page = task_page(roles=roles, project_id=pk, pk=task_id)
    task = page.task
    forms = PageForms(bound)

    def url(action):
        return reverse("projects:task_action", args=[pk, task_id, action])

    if "update_progress" in page.actions:
        forms.add(
            "progress",
            url("progress"),
            ProgressForm,
            {"version": task.version, "progress": task.progress, "actual_start": task.actual_start},
        )
        forms.add("problem", url("problem"), ProblemForm)
    for p in page.problems if "resolve_problem" in page.actions else ():
        p.form = forms.add(f"resolve-{p.pk}", url("resolve"), ResolveForm, {"problem": p.pk})
    if "coordinate" in page.actions:
        special = visible_meetings(roles=roles).filter(kind=MeetingKind.SPECIAL)
        meetings = list(special.exclude(status__in=["draft", "cancelled"]).order_by("-starts_at")[:30])
        departments = [p.department_id for p in page.participations]
        people = Person.objects.filter(is_active=True, memberships__department_id__in=departments)
        people = list(people.distinct().order_by("employee_no"))
        for c in page.coordinations:
            initial = {"coordination": c.pk, "version": c.version, "meeting": c.meeting_id}
            c.meeting_form = forms.add(f"call_meeting-{c.pk}", url("call_meeting"), CallMeetingForm, initial)
            c.form = forms.add(
                f"record-{c.pk}", url("record"), CoordinationForm, initial, meetings=meetings, people=people
            )
    context = {"page": page, "project": page.project, "task": task, "tab": "plan", "forms": forms}
    return context


@require_GET
@login_required
@html_errors
def task_detail(request, pk: int, task_id: int):
    return render(request, "projects/task.html", _task_page(request, pk, task_id))


def _coordination(task_id: int, d: dict) -> int:
    belongs_to(
        Coordination,
        d["coordination"],
        task_id,
        missing=_("No such coordination."),
        field="coordination",
        path="task_id",
    )
    return d["coordination"]


def _call(actor, task_id: int, action: str, d: dict):
    if action == "progress":
        fields = ("progress", "actual_start", "actual_finish", "note", "version")
        return services.task_update_progress(actor=actor, task_id=task_id, **{k: d[k] for k in fields})
    if action == "problem":
        return services.task_report_problem(actor=actor, task_id=task_id, **d)
    if action == "resolve":
        belongs_to(
            TaskProblem, d["problem"], task_id, missing=_("No such problem."), field="problem", path="task_id"
        )
        return services.task_resolve_problem(actor=actor, problem_id=d["problem"], resolution=d["resolution"])
    if action == "call_meeting":
        data = {k: d[k] for k in ("starts_at", "place") if d[k]}
        return services.coordination_schedule_meeting(
            actor=actor, coordination_id=_coordination(task_id, d), data=data
        )
    if action == "record":
        values = {k: d[k] for k in ("meeting", "measures", "owner", "new_deadline", "version")}
        return services.coordination_record(actor=actor, coordination_id=_coordination(task_id, d), **values)
    return task_services.task_cancel(actor=actor, task_id=task_id, reason=d["reason"], version=d["version"])


TASK_FORMS = {
    "progress": ("progress", ProgressForm, _("Progress recorded.")),
    "problem": ("problem", ProblemForm, _("Problem reported.")),
    "resolve": ("resolve-{problem}", ResolveForm, _("Problem resolved.")),
    "call_meeting": (
        "call_meeting-{coordination}",
        CallMeetingForm,
        _("Special coordination meeting called."),
    ),
    "record": ("record-{coordination}", CoordinationForm, _("Measures recorded.")),
    "cancel": ("cancel", CancelTaskForm, _("The task is cancelled.")),
}


@require_POST
@login_required
@html_errors
def task_action(request, pk: int, task_id: int, action: str):
    task_page(roles=roles_for(request.user), project_id=pk, pk=task_id)
    if action not in TASK_FORMS:
        raise Http404
    key, form_class, done = TASK_FORMS[action]
    post = request.POST
    return submit(
        request,
        key.format(problem=post.get("problem", ""), coordination=post.get("coordination", "")),
        form_class,
        lambda d: _call(request.user, task_id, action, d),
        done=done,
        url=reverse("projects:task", args=[pk, task_id]),
        template="projects/task.html",
        page=lambda bound: _task_page(request, pk, task_id, bound),
    )


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
