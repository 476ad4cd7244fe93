"""Project list, dashboard, charter form (with the SMART check), participants and sub-goals,
kickoff and status moves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.org.models import Person
from crossdesk.org.selectors import department_choices, roles_for

from ..choices import ProjectStatus, Recurrence, Weekday
from ..filters import project_filter_from_params
from ..models import GoalMetric, SubGoal
from ..selectors import project_get_for_viewer
from ..selectors.charter import project_dashboard, project_list, status_counts
from ..services import charter as services
from ..services._common import MEETING_FIELDS, belongs_to
from ._common import html_errors, post_data, refused

PER_PAGE = 30
CHARTER_FIELDS = (
    *("name", "initiating_department", "background", "core_goal", "expected_outcomes"),
    *("planned_start", "planned_finish"),
)
METRIC_ROWS = 3


@require_GET
@login_required
@html_errors
def project_list_view(request):
    roles = roles_for(request.user)
    error = ""
    try:
        filters, _window = project_filter_from_params(request.GET)
    except ApplicationError as exc:
        filters, _window = project_filter_from_params({})
        error = exc.message
    rows = project_list(roles=roles, filters=filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "error": error, "params": request.GET, "statuses": ProjectStatus.choices}
    context.update(departments=department_choices(), counts=status_counts(roles=roles))
    return render(request, "projects/list.html", context)


@require_GET
@login_required
@html_errors
def project_export(request):
    """Exactly the filtered rows of the list (every page), as .xlsx with Chinese headers."""
    import io

    from django.http import HttpResponse
    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    roles = roles_for(request.user)
    try:
        filters, _window = project_filter_from_params(request.GET)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Projects")))
    sheet.freeze_panes = "A2"
    headers = [
        *(_("Number"), _("Project name"), _("Status"), _("Initiating department"), _("Project lead")),
        *(_("Participating departments"), _("Planned start"), _("Planned finish"), _("Tasks")),
        *(_("Tasks done"), _("Troubled tasks")),
    ]
    bold = Font(bold=True)
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for project in project_list(roles=roles, filters=filters):
        departments = "、".join(part.department.name for part in project.departments.all())
        lead = project.lead.name if project.lead_id else ""
        sheet.append(
            [
                *(
                    project.number,
                    project.name,
                    project.get_status_display(),
                    project.initiating_department.name,
                ),
                *(lead, departments, project.planned_start, project.planned_finish),
                *(project.task_count, project.done_count, project.troubled_count),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="projects-{stamp}.xlsx"'
    return response


def _metrics_from_post(request) -> list[dict]:
    rows = []
    for n in range(int(request.POST.get("metric_rows") or METRIC_ROWS)):
        row = {
            k: request.POST.get(f"m{n}_{k}", "")
            for k in ("id", "metric", "unit", "baseline", "target", "target_date")
        }
        if any(row[k] for k in ("metric", "baseline", "target", "target_date")):
            rows.append({k: v for k, v in row.items() if k != "id" or v})
    return rows


def _form_context(request, project=None, values=None, error=None):
    keys = ("id", "metric", "unit", "baseline", "target", "target_date")
    metrics = []
    if values is not None:
        metrics = values.get("goal_metrics", [])
    elif project is not None:
        metrics = [{"id": m.pk, **{k: getattr(m, k) for k in keys[1:]}} for m in project.goal_metrics.all()]
    metrics = [{k: ("" if m.get(k) is None else str(m.get(k))) for k in keys} for m in metrics]
    metrics += [dict.fromkeys(keys, "")] * max(0, METRIC_ROWS - len(metrics))
    smart = services.project_smart_problems(project) if project is not None and values is None else []
    context = {"project": project, "values": values or {}, "error": error, "metrics": metrics}
    return {
        **context,
        "metric_rows": len(metrics),
        "departments": department_choices(),
        "smart_problems": smart,
    }


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def project_new(request):
    """The charter form, laid out like the seed's sections: basic information, goal, outcomes."""
    if request.method == "POST":
        data = post_data(request, CHARTER_FIELDS)
        data["confidential"] = request.POST.get("confidential") == "on"
        data["goal_metrics"] = _metrics_from_post(request)
        try:
            project = services.project_create(actor=request.user, data=data)
        except ApplicationError as exc:
            return render(
                request, "projects/form.html", _form_context(request, values=data, error=exc), status=400
            )
        problems = services.project_smart_problems(project)
        for problem in problems:
            messages.warning(request, problem)
        return redirect("projects:participants", project.pk)
    return render(request, "projects/form.html", _form_context(request))


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def project_edit(request, pk: int):
    roles = roles_for(request.user)
    project = project_get_for_viewer(roles=roles, pk=pk)
    if request.method == "POST":
        data = post_data(request, [f for f in CHARTER_FIELDS if f != "initiating_department"])
        data["confidential"] = request.POST.get("confidential") == "on"
        data["goal_metrics"] = _metrics_from_post(request)
        try:
            services.project_update(
                actor=request.user, project_id=pk, data=data, version=request.POST.get("version")
            )
        except ApplicationError as exc:
            ctx = _form_context(request, project, values=data, error=exc)
            return render(request, "projects/form.html", ctx, status=exc.status_code)
        for problem in services.project_smart_problems(project):
            messages.warning(request, problem)
        return redirect("projects:detail", pk)
    return render(request, "projects/form.html", _form_context(request, project))


@require_GET
@login_required
@html_errors
def project_detail(request, pk: int):
    """The dashboard: goal progress, task health counts, overdue, sub-goals beside targets."""
    board = project_dashboard(roles=roles_for(request.user), pk=pk)
    draft = board.project.status == ProjectStatus.DRAFT
    context = {
        "board": board,
        "project": board.project,
        "tab": "dashboard",
        "recurrences": Recurrence.choices,
    }
    context.update(
        weekdays=Weekday.choices, kickoff_problems=services.kickoff_problems(board.project) if draft else []
    )
    return render(request, "projects/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def participants(request, pk: int):
    """Participating departments, each with exactly one liaison and the duties they carry."""
    roles = roles_for(request.user)
    project_get_for_viewer(roles=roles, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.participant_remove(
                    actor=request.user, project_id=pk, participation_id=request.POST["remove"]
                )
            else:
                services.participant_set(
                    actor=request.user,
                    project_id=pk,
                    department=request.POST.get("department"),
                    liaison=request.POST.get("liaison") or None,
                    duties=request.POST.get("duties", ""),
                )
        except ApplicationError as exc:
            return refused(request, exc, reverse("projects:participants", args=[pk]))
        return redirect("projects:participants", pk)
    board = project_dashboard(roles=roles, pk=pk)
    people = (
        Person.objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .order_by("employee_no")[:500]
    )
    context = {"board": board, "project": board.project, "tab": "participants", "people": people}
    return render(request, "projects/participants.html", {**context, "departments": department_choices()})


SUB_GOAL_FIELDS = (
    *("department", "description", "metric", "unit", "target", "deadline", "recurrence"),
    *("at_time", "weekday", "day_of_month", "within_hours"),
)


@require_POST
@login_required
@html_errors
def sub_goal_action(request, pk: int):
    """Add a sub-goal, record progress on one, or remove one (the dashboard's forms)."""
    url = reverse("projects:detail", args=[pk]) + "#sub-goals"
    try:
        action = request.POST.get("action")
        if action == "add":
            data = {
                k: v for k, v in post_data(request, SUB_GOAL_FIELDS).items() if v != "" or k == "recurrence"
            }
            data["higher_is_better"] = request.POST.get("higher_is_better") != "off"
            services.sub_goal_create(actor=request.user, project_id=pk, data=data)
        elif action == "progress":
            _sub_goal_of(pk, request.POST.get("sub_goal"))
            values = {k: request.POST.get(k) for k in ("value", "period_start", "period_end", "note")}
            services.sub_goal_record_progress(
                actor=request.user, sub_goal_id=request.POST.get("sub_goal"), **values
            )
        elif action == "delete":
            _sub_goal_of(pk, request.POST.get("sub_goal"))
            services.sub_goal_delete(actor=request.user, sub_goal_id=request.POST.get("sub_goal"))
        elif action == "measure":
            belongs_to(
                GoalMetric, request.POST.get("metric"), pk, missing=_("No such goal metric."), field="metric"
            )
            values = {k: request.POST.get(k) for k in ("value", "measured_on", "note")}
            services.goal_metric_record(actor=request.user, metric_id=request.POST.get("metric"), **values)
        else:
            raise ApplicationError(_("Unknown action."), field="action")
    except ApplicationError as exc:
        return refused(request, exc, url)
    return redirect(url)


def _sub_goal_of(project_id, sub_goal_id):
    belongs_to(SubGoal, sub_goal_id, project_id, missing=_("No such sub-goal."), field="sub_goal")


KICKOFF_FIELDS = ("meeting", "late_reason", *MEETING_FIELDS)


def _kickoff(request, **kwargs):
    data = {k: v for k, v in post_data(request, KICKOFF_FIELDS).items() if v}
    return services.project_schedule_kickoff(data=data, **kwargs)


def _with_reason(service):
    return lambda request, **kwargs: service(reason=request.POST.get("reason", ""), **kwargs)


def _plain_move(service):
    return lambda request, **kwargs: service(**kwargs)


STATUS_ACTIONS = {
    "kickoff": _kickoff,
    "closing": _with_reason(services.project_start_closing),
    "reopen": _with_reason(services.project_reopen),
    "close": _plain_move(services.project_close),
    "archive": _plain_move(services.project_archive),
}


@require_POST
@login_required
@html_errors
def project_action(request, pk: int, action: str):
    url = reverse("projects:detail", args=[pk])
    if action not in STATUS_ACTIONS:
        project_get_for_viewer(roles=roles_for(request.user), pk=pk)
        return refused(request, ApplicationError(_("Unknown action."), field="action"), url)
    try:
        STATUS_ACTIONS[action](
            request, actor=request.user, project_id=pk, version=request.POST.get("version")
        )
    except ApplicationError as exc:
        return refused(request, exc, url)
    return redirect(url)


@require_GET
@login_required
@html_errors
def history(request, pk: int):
    project = project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    events = project.events.select_related("author", "task").order_by("-at", "-id")
    return render(request, "projects/history.html", {"project": project, "events": events, "tab": "history"})


urlpatterns = [
    path("", project_list_view, name="list"),
    path("export.xlsx", project_export, name="export"),
    path("new/", project_new, name="new"),
    path("<int:pk>/", project_detail, name="detail"),
    path("<int:pk>/edit/", project_edit, name="edit"),
    path("<int:pk>/participants/", participants, name="participants"),
    path("<int:pk>/sub-goals/", sub_goal_action, name="sub_goals"),
    path("<int:pk>/history/", history, name="history"),
    path("<int:pk>/do/<slug:action>/", project_action, name="action"),
]
