"""The responsibility table, the RACI grid edited in place (htmx), and the task form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.core.forms import show_error
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from ..choices import TaskHealth
from ..forms import TaskForm
from ..selectors import project_get_for_viewer
from ..selectors.tasks import project_plan, role_of, task_page
from ..services import tasks as services
from ._common import html_errors

TASK_FIELDS = (
    *("code", "title", "description", "responsible", "owner", "delivery_standard", "deliverable"),
    *("planned_start", "planned_finish", "accountable"),
)


@require_GET
@login_required
@html_errors
def plan(request, pk: int):
    """职责分工表: one row per task, its ONE responsible department, standard, dates, collaborators."""
    health = request.GET.get("health", "")
    health = health if health in TaskHealth.values else ""
    data = project_plan(roles=roles_for(request.user), pk=pk, health=health)
    context = {"plan": data, "project": data.project, "tab": "plan", "healths": TaskHealth.choices}
    return render(request, "projects/plan.html", {**context, "health": health})


@require_GET
@login_required
@html_errors
def raci(request, pk: int):
    """The RACI grid (tasks × departments), flags for a task with no A and a department with no role."""
    return render(request, "projects/raci.html", _raci(request, pk))


def _raci(request, pk: int, error: str = "") -> dict:
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


@require_GET
@login_required
@html_errors
def raci_flags(request, pk: int):
    data = project_plan(roles=roles_for(request.user), pk=pk)
    return render(request, "projects/_raci_flags.html", {"plan": data})


def _task_form(request, project, task=None):
    """The task form (new or edit); a refusal shows it again as typed, the message next to its field."""
    parts = list(project.departments.select_related("department"))
    people = Person.objects.filter(
        memberships__department_id__in=[p.department_id for p in parts], is_active=True
    ).distinct()
    initial = None
    if task is not None:
        initial = {
            f: getattr(task, f) for f in TASK_FIELDS if f not in ("responsible", "owner", "accountable")
        }
        initial |= {
            "responsible": task.responsible.department_id,
            "owner": task.owner_id,
            "version": task.version,
        }
        initial["accountable"] = next((p.department_id for p in parts if role_of(task, p) == "A"), "")
        initial["collaborators"] = [p.department_id for p in parts if role_of(task, p) == "C"]
        initial["informed"] = [p.department_id for p in parts if role_of(task, p) == "I"]
    context = {"participations": parts, "people": people.order_by("employee_no")}
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, initial=initial, context=context)
    status = 400
    if data is not None and form.is_valid():
        values = {
            k: v
            for k, v in form.cleaned_data.items()
            if k != "version" and not (k in ("owner", "accountable", "code") and v in ("", None))
        }
        try:
            if task is None:
                task = services.task_create(actor=request.user, project_id=project.pk, data=values)
            else:
                version = form.cleaned_data["version"] or None
                services.task_update(actor=request.user, task_id=task.pk, data=values, version=version)
        except ApplicationError as exc:
            if exc.status_code in (403, 404):
                raise
            show_error(form, exc)
            status = exc.status_code
        else:
            return redirect(task.get_absolute_url())
    context = {"project": project, "task": task, "form": form, "tab": "plan"}
    return render(request, "projects/task_form.html", context, status=200 if data is None else status)


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def task_new(request, pk: int):
    return _task_form(request, project_get_for_viewer(roles=roles_for(request.user), pk=pk))


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def task_edit(request, pk: int, task_id: int):
    page = task_page(roles=roles_for(request.user), project_id=pk, pk=task_id)
    return _task_form(request, page.project, page.task)


urlpatterns = [
    path("<int:pk>/plan/", plan, name="plan"),
    path("<int:pk>/raci/", raci, name="raci"),
    path("<int:pk>/raci/flags/", raci_flags, name="raci_flags"),
    path("<int:pk>/raci/<int:task_id>/", raci_cell, name="raci_cell"),
    path("<int:pk>/tasks/new/", task_new, name="task_new"),
    path("<int:pk>/tasks/<int:task_id>/edit/", task_edit, name="task_edit"),
]
