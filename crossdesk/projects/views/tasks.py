"""The responsibility table, the RACI grid edited in place (htmx), and the task form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records.actions import Act, Page, posted_version
from crossdesk.core.records.views import html_errors
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from ..choices import TaskHealth
from ..forms import TaskForm, sources
from ..selectors import project_get_for_viewer
from ..selectors.tasks import project_plan, role_of, task_page
from ..services import tasks as services

TASK_FIELDS = ("version", "code", "title", "description", "delivery_standard", "deliverable")
TASK_FIELDS += ("planned_start", "planned_finish")


def _plan(request, pk: int) -> dict:
    """职责分工表: one row per task, its ONE responsible department, standard, dates, collaborators."""
    health = request.GET.get("health", "")
    health = health if health in TaskHealth.values else ""
    data = project_plan(roles=roles_for(request.user), pk=pk, health=health)
    context = {"plan": data, "project": data.project, "tab": "plan", "healths": TaskHealth.choices}
    return {**context, "health": health}


def _raci(request, pk: int, error: str = "") -> dict:
    """The RACI grid (tasks × departments), flags for a task with no A and a department with no role."""
    data = project_plan(roles=roles_for(request.user), pk=pk)
    editable = "edit_raci" in data.actions
    return {"plan": data, "project": data.project, "tab": "raci", "editable": editable, "action_error": error}


@require_POST
@login_required
@html_errors
def raci_cell(request, pk: int, task_id: int):
    """One cell edited in place: the htmx request gets the task's row back (with the flags)."""
    roles = roles_for(request.user)
    task_page(roles=roles, project_id=pk, pk=task_id)  # 404 for a task of another project
    error = ""
    try:
        post = request.POST
        services.raci_set(
            actor=request.user,
            task_id=task_id,
            participation_id=post.get("participation"),
            role=post.get("role", ""),
            version=post.get("version"),
        )
    except ApplicationError as exc:
        if exc.status_code in (403, 404) and not request.htmx:
            raise
        error = exc.message
        if not request.htmx:
            return render(request, "projects/raci.html", _raci(request, pk, error), status=exc.status_code)
    if not request.htmx:
        return redirect("projects:raci", pk)
    data = project_plan(roles=roles, pk=pk)
    row = next((r for r in data.grid if r[0].pk == task_id), None)
    context = {"plan": data, "project": data.project, "row": row, "editable": "edit_raci" in data.actions}
    response = render(request, "projects/_raci_row.html", {**context, "error": error})
    response["HX-Trigger"] = "raci-changed"
    return response


def _raci_flags(request, pk: int) -> dict:
    return {"plan": project_plan(roles=roles_for(request.user), pk=pk)}


def _task_context(request, pk: int, task_id: int | None = None) -> dict:
    """What the task form picks from (the participating departments and their people), and
    the task as written so far."""
    roles = roles_for(request.user)
    if task_id is None:
        project, task = project_get_for_viewer(roles=roles, pk=pk), None
    else:
        page = task_page(roles=roles, project_id=pk, pk=task_id)
        project, task = page.project, page.task
    parts = list(project.departments.select_related("department"))
    people = Person.objects.filter(
        memberships__department_id__in=[p.department_id for p in parts], is_active=True
    ).distinct()
    people = people.order_by("employee_no")
    return {"project": project, "task": task, "participations": parts, **sources(parts, people)}


def _task_form(request, pk: int, task_id: int | None = None, bound=None) -> dict:
    """The task form (new or edit): one row of the responsibility table and its RACI."""
    context = bound.form.context if bound else _task_context(request, pk, task_id)
    task = context["task"]
    initial = None
    if task is not None:
        parts = context["participations"]
        initial = {f: getattr(task, f) for f in TASK_FIELDS}
        initial |= {"responsible": task.responsible.department_id, "owner": task.owner_id}
        initial["accountable"] = next((p.department_id for p in parts if role_of(task, p) == "A"), "")
        initial["collaborators"] = [p.department_id for p in parts if role_of(task, p) == "C"]
        initial["informed"] = [p.department_id for p in parts if role_of(task, p) == "I"]
    form = bound.form if bound else TaskForm(initial=initial, context=context)
    return {"project": context["project"], "task": task, "form": form, "tab": "plan"}


def _save_task(request, data: dict, pk: int, task_id: int | None = None):
    if task_id is None:
        return services.task_create(actor=request.user, project_id=pk, data=data)
    return services.task_update(
        actor=request.user, task_id=task_id, data=data, version=posted_version(request)
    )


TASK_FORM = Page(
    "projects/task_form.html",
    _task_form,
    {"save": Act(TaskForm, call=_save_task)},
    then=lambda task, pk, task_id=None: task.get_absolute_url(),
    context=_task_context,
    default="save",
    see_other=False,
)


urlpatterns = [
    path("<int:pk>/plan/", Page("projects/plan.html", _plan).view(), name="plan"),
    path("<int:pk>/raci/", Page("projects/raci.html", _raci).view(), name="raci"),
    path("<int:pk>/raci/flags/", Page("projects/_raci_flags.html", _raci_flags).view(), name="raci_flags"),
    path("<int:pk>/raci/<int:task_id>/", raci_cell, name="raci_cell"),
    path("<int:pk>/tasks/new/", TASK_FORM.view("GET", "POST"), name="task_new"),
    path("<int:pk>/tasks/<int:task_id>/edit/", TASK_FORM.view("GET", "POST"), name="task_edit"),
]
