"""The task page (progress, problems, coordination) and the Gantt timeline."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.records import actions
from crossdesk.core.records.actions import Act, Page
from crossdesk.meetings.choices import MeetingKind
from crossdesk.meetings.selectors import visible_meetings
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from .. import forms
from ..models import Coordination, TaskProblem
from ..selectors.tasks import project_gantt, task_page
from ..services import tasks as task_services
from ..services import tracking as services
from ..services._common import belongs_to


def _task_page(request, pk: int, task_id: int, bound=None) -> dict:
    roles = roles_for(request.user)
    page = task_page(roles=roles, project_id=pk, pk=task_id)
    task = page.task
    page_forms = actions.PageForms(bound)

    def url(action):
        return reverse("projects:task_action", args=[pk, task_id, action])

    if "update_progress" in page.actions:
        initial = {"version": task.version, "progress": task.progress, "actual_start": task.actual_start}
        page_forms.add("progress", url("progress"), forms.ProgressForm, initial)
        page_forms.add("problem", url("problem"), forms.ProblemForm)
    for p in page.problems if "resolve_problem" in page.actions else ():
        p.form = page_forms.add(f"resolve-{p.pk}", url("resolve"), forms.ResolveForm, {"problem": p.pk})
    if "coordinate" in page.actions:
        special = visible_meetings(roles=roles).filter(kind=MeetingKind.SPECIAL)
        meetings = special.exclude(status__in=["draft", "cancelled"]).order_by("-starts_at")[:30]
        departments = [p.department_id for p in page.participations]
        people = Person.objects.filter(is_active=True, memberships__department_id__in=departments)
        choices = forms.sources(
            people=people.distinct().order_by("employee_no"), meetings=[(m.pk, str(m)) for m in meetings]
        )
        for c in page.coordinations:
            initial = {"coordination": c.pk, "version": c.version, "meeting": c.meeting_id}
            c.meeting_form = page_forms.add(
                f"call_meeting-{c.pk}", url("call_meeting"), forms.CallMeetingForm, initial
            )
            c.form = page_forms.add(
                f"record-{c.pk}", url("record"), forms.CoordinationForm, initial, **choices
            )
    return {"page": page, "project": page.project, "task": task, "tab": "plan", "forms": page_forms}


def _of_task(model, field: str, missing):
    """That the form's ``field`` names a ``model`` row of this task (refused next to it if not)."""

    def check(d: dict, pk: int, task_id: int):
        belongs_to(model, d[field], task_id, missing=missing, field=field, path="task_id")

    return check


OUR_COORDINATION = _of_task(Coordination, "coordination", _("No such coordination."))
TASK = Page(
    "projects/task.html",
    _task_page,
    {
        "progress": Act(
            forms.ProgressForm,
            services.task_update_progress,
            *("progress", "actual_start", "actual_finish", "note", "version"),
            task_id="task_id",
        ),
        "problem": Act(
            forms.ProblemForm,
            services.task_report_problem,
            *("description", "support_needed", "blocking"),
            task_id="task_id",
        ),
        "resolve": Act(
            forms.ResolveForm,
            services.task_resolve_problem,
            "resolution",
            check=_of_task(TaskProblem, "problem", _("No such problem.")),
            key="resolve-{problem}",
            problem_id="problem",
        ),
        "call_meeting": Act(
            forms.CallMeetingForm,
            services.coordination_schedule_meeting,
            data=True,
            check=OUR_COORDINATION,
            key="call_meeting-{coordination}",
            coordination_id="coordination",
        ),
        "record": Act(
            forms.CoordinationForm,
            services.coordination_record,
            *("meeting", "measures", "owner", "new_deadline", "version"),
            check=OUR_COORDINATION,
            key="record-{coordination}",
            coordination_id="coordination",
        ),
        "cancel": Act(
            forms.CancelTaskForm, task_services.task_cancel, "reason", "version", task_id="task_id"
        ),
    },
    {
        "progress": _("Progress recorded."),
        "problem": _("Problem reported."),
        "resolve": _("Problem resolved."),
        "call_meeting": _("Special coordination meeting called."),
        "record": _("Measures recorded."),
        "cancel": _("The task is cancelled."),
    },
    then="projects:task",
    check=lambda request, pk, task_id: task_page(roles=roles_for(request.user), project_id=pk, pk=task_id),
)


def _gantt(request, pk: int) -> dict:
    """Planned against actual bars per task, server-rendered HTML/CSS."""
    chart = project_gantt(roles=roles_for(request.user), pk=pk)
    return {"chart": chart, "project": chart.project, "tab": "gantt"}


urlpatterns = [
    path("<int:pk>/tasks/<int:task_id>/", TASK.view(), name="task"),
    path("<int:pk>/tasks/<int:task_id>/do/<slug:action>/", TASK.view("POST"), name="task_action"),
    path("<int:pk>/gantt/", Page("projects/gantt.html", _gantt).view(), name="gantt"),
]
