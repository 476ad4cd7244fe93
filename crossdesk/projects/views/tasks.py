"""The responsibility table, the RACI grid edited in place (htmx), and the task form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for

from ..choices import TaskHealth
from ..selectors import project_get_for_viewer
from ..selectors.tasks import project_plan, role_of, task_page
from ..services import tasks as services
from ._common import html_errors, post_data, refused

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
    data = project_plan(roles=roles_for(request.user), pk=pk)
    context = {"plan": data, "project": data.project, "tab": "raci", "editable": "edit_raci" in data.actions}
    return render(request, "projects/raci.html", context)


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
        if not request.htmx:
            return refused(request, exc, reverse("projects:raci", args=[pk]))
        error = exc.message
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


def _form_context(request, project, task=None, values=None, error=None):
    parts = list(project.departments.select_related("department"))
    people = Person.objects.filter(
        memberships__department_id__in=[p.department_id for p in parts], is_active=True
    )
    if task is not None and values is None:
        values = {f: getattr(task, f) for f in TASK_FIELDS[:9] if f not in ("responsible", "owner")}
        values.update(responsible=task.responsible.department_id, owner=task.owner_id)
        values["accountable"] = next((p.department_id for p in parts if role_of(task, p) == "A"), "")
        values["collaborators"] = [p.department_id for p in parts if role_of(task, p) == "C"]
        values["informed"] = [p.department_id for p in parts if role_of(task, p) == "I"]
    # The date inputs fall back to the typed text (``default:values.planned_start``): a filter
    # argument must exist, or the empty form of a new task fails to render.
    values = {"planned_start": "", "planned_finish": "", **(values or {})}
    context = {"project": project, "task": task, "values": values, "error": error, "participations": parts}
    return {**context, "people": people.distinct().order_by("employee_no"), "tab": "plan"}


def _task_data(request) -> dict:
    data = post_data(request, TASK_FIELDS, lists=())
    data["collaborators"] = [int(v) for v in request.POST.getlist("collaborators") if v.isdigit()]
    data["informed"] = [int(v) for v in request.POST.getlist("informed") if v.isdigit()]
    return {k: v for k, v in data.items() if not (k in ("owner", "accountable", "code") and v == "")}


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def task_new(request, pk: int):
    project = project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    if request.method == "POST":
        data = _task_data(request)
        try:
            task = services.task_create(actor=request.user, project_id=pk, data=data)
        except ApplicationError as exc:
            ctx = _form_context(request, project, values=data, error=exc)
            return render(request, "projects/task_form.html", ctx, status=exc.status_code)
        return redirect(task.get_absolute_url())
    return render(request, "projects/task_form.html", _form_context(request, project))


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def task_edit(request, pk: int, task_id: int):
    page = task_page(roles=roles_for(request.user), project_id=pk, pk=task_id)
    if request.method == "POST":
        data = _task_data(request)
        try:
            services.task_update(
                actor=request.user, task_id=task_id, data=data, version=request.POST.get("version")
            )
        except ApplicationError as exc:
            ctx = _form_context(request, page.project, page.task, values=data, error=exc)
            return render(request, "projects/task_form.html", ctx, status=exc.status_code)
        return redirect(page.task.get_absolute_url())
    return render(request, "projects/task_form.html", _form_context(request, page.project, page.task))


urlpatterns = [
    path("<int:pk>/plan/", plan, name="plan"),
    path("<int:pk>/raci/", raci, name="raci"),
    path("<int:pk>/raci/flags/", raci_flags, name="raci_flags"),
    path("<int:pk>/raci/<int:task_id>/", raci_cell, name="raci_cell"),
    path("<int:pk>/tasks/new/", task_new, name="task_new"),
    path("<int:pk>/tasks/<int:task_id>/edit/", task_edit, name="task_edit"),
]
