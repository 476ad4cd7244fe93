"""Project list, dashboard, charter form (with the SMART check), participants and sub-goals,
kickoff and status moves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records import actions
from crossdesk.org.models import Person
from crossdesk.org.selectors import department_choices, roles_for

from ..choices import LIVE, ProjectStatus
from ..filters import project_filter_from_params
from ..forms import (
    ArchiveForm,
    CharterForm,
    CloseForm,
    ClosingForm,
    KickoffForm,
    MeasureForm,
    MetricForm,
    ParticipantForm,
    RemoveParticipantForm,
    ReopenForm,
    SubGoalDeleteForm,
    SubGoalForm,
    SubGoalProgressForm,
    rows,
    show_row_error,
)
from ..models import GoalMetric, SubGoal
from ..selectors import project_get_for_viewer
from ..selectors.charter import project_dashboard, project_list, status_counts
from ..services import charter as services
from ..services._common import belongs_to
from ._common import PageForms, html_errors, submit

PER_PAGE = 30
CHARTER_FIELDS = (
    *("name", "initiating_department", "background", "core_goal", "expected_outcomes"),
    *("planned_start", "planned_finish"),
)
METRIC_ROWS = 3
MAX_METRIC_ROWS = 20


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


def _charter(request, project=None):
    """The charter form (new or edit); a refusal shows it again as typed, the message next to
    its field (a goal metric's next to that row's)."""
    editing = project is not None
    data = request.POST if request.method == "POST" else None
    initial, metric_rows = None, []
    if editing:
        initial = {name: getattr(project, name) for name in (*CHARTER_FIELDS[:1], *CHARTER_FIELDS[2:])}
        initial |= {"confidential": project.confidential, "version": project.version}
        keys = ("metric", "unit", "baseline", "target", "target_date")
        metric_rows = [{"id": m.pk, **{k: getattr(m, k) for k in keys}} for m in project.goal_metrics.all()]
    context = {"departments": [] if editing else department_choices(), "editing": editing}
    form = CharterForm(data, initial=initial, context=context)
    wanted = (data or {}).get("metric_rows", "")
    n = min(int(wanted), MAX_METRIC_ROWS) if wanted.isdigit() else max(METRIC_ROWS, len(metric_rows))
    metrics = rows(MetricForm, "m", n, data, metric_rows)
    status = 400
    if data is not None and form.is_valid() and all(m.is_valid() for m in metrics):
        filled = [m for m in metrics if m.filled()]
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        values["goal_metrics"] = [{k: v for k, v in m.cleaned_data.items() if k != "id" or v} for m in filled]
        try:
            if editing:
                version = form.cleaned_data["version"] or None
                saved = services.project_update(
                    actor=request.user, project_id=project.pk, data=values, version=version
                )
            else:
                saved = services.project_create(actor=request.user, data=values)
        except ApplicationError as exc:
            if exc.status_code in (403, 404):
                raise
            show_row_error(form, filled, exc)
            status = exc.status_code
        else:
            for problem in services.project_smart_problems(saved):
                messages.warning(request, problem)
            return redirect("projects:detail" if editing else "projects:participants", saved.pk)
    smart = services.project_smart_problems(project) if editing and data is None else []
    context = {"project": project, "form": form, "metrics": metrics, "smart_problems": smart}
    return render(request, "projects/form.html", context, status=status if data is not None else 200)


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def project_new(request):
    """The charter form, laid out like the seed's sections: basic information, goal, outcomes."""
    return _charter(request)


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def project_edit(request, pk: int):
    return _charter(request, project_get_for_viewer(roles=roles_for(request.user), pk=pk))


# The project's moves, in the order of its life, each with its form.
MOVES = actions.ActionSet(
    {
        "edit": (_("Edit charter"), "pencil"),
        "kickoff": (_("Call the kickoff meeting"), "flag"),
        "closing": (_("Move to closing"), "box-arrow-in-down"),
        "reopen": (_("Reopen"), "arrow-counterclockwise"),
        "close": (_("Close the project"), "check2-circle"),
        "archive": (_("Archive"), "archive"),
    },
    ("edit", "kickoff", "closing", "close", "reopen", "archive"),
)
MOVE_FORMS = {
    "kickoff": KickoffForm,
    "closing": ClosingForm,
    "reopen": ReopenForm,
    "close": CloseForm,
    "archive": ArchiveForm,
}
# The permission of each move (closing projects are closed by those who may reopen them).
MOVE_RULES = {
    "edit": "edit",
    "kickoff": "schedule_kickoff",
    "closing": "start_closing",
    "reopen": "reopen",
    "close": "reopen",
    "archive": "archive",
}


def _dashboard(request, pk: int, bound=None) -> dict:
    board = project_dashboard(roles=roles_for(request.user), pk=pk)
    project = board.project
    allowed = [a for a in MOVES.order if MOVE_RULES[a] in board.actions]
    buttons = []
    for action in allowed:
        if action == "edit":
            buttons.append(MOVES.button(action, reverse("projects:edit", args=[pk])))
            continue
        url = reverse("projects:action", args=[pk, action])
        if bound is not None and bound.action == action:
            bound.label = MOVES.buttons[action][0]
            buttons.append(bound)
        else:
            buttons.append(
                MOVES.button(action, url, MOVE_FORMS[action](initial={"version": project.version}))
            )
    forms = PageForms(bound)
    url = reverse("projects:sub_goals", args=[pk])
    if "edit_sub_goals" in board.actions:
        forms.add("sub_goal", url, SubGoalForm, {"action": "add"}, participations=board.participations)
    for m in board.metrics if "record_goal" in board.actions else ():
        m.form = forms.add(f"measure-{m.pk}", url, MeasureForm, {"action": "measure", "metric": m.pk})
    for row in board.sub_goals if project.status in LIVE else ():
        initial = {"action": "progress", "sub_goal": row.goal.pk}
        row.form = forms.add(f"progress-{row.goal.pk}", url, SubGoalProgressForm, initial)
    draft = project.status == ProjectStatus.DRAFT
    return {
        "board": board,
        "project": project,
        "tab": "dashboard",
        "buttons": buttons,
        "forms": forms,
        "kickoff_problems": services.kickoff_problems(project) if draft else [],
        "archived": project.status == ProjectStatus.ARCHIVED,
        "is_draft": draft,
        "draft_note": _(
            "A draft: call the kickoff meeting once the goal is SMART and the departments are named."
        ),
    }


@require_GET
@login_required
@html_errors
def project_detail(request, pk: int):
    """The dashboard: goal progress, task health counts, overdue, sub-goals beside targets."""
    return render(request, "projects/detail.html", _dashboard(request, pk))


def _participants(request, pk: int, bound=None) -> dict:
    board = project_dashboard(roles=roles_for(request.user), pk=pk)
    forms = PageForms(bound)
    if "manage_participants" in board.actions:
        url = reverse("projects:participants", args=[pk])
        people = (
            Person.objects.filter(is_active=True, memberships__isnull=False)
            .distinct()
            .order_by("employee_no")[:500]
        )
        forms.add("participant", url, ParticipantForm, departments=department_choices(), people=people)
        for p in board.participations:
            if not p.is_initiating:
                p.form = forms.add(f"remove-{p.pk}", url, RemoveParticipantForm, {"remove": p.pk})
    return {"board": board, "project": board.project, "tab": "participants", "forms": forms}


@require_http_methods(["GET", "POST"])
@login_required
@html_errors
def participants(request, pk: int):
    """Participating departments, each with exactly one liaison and the duties they carry."""
    if request.method == "GET":
        return render(request, "projects/participants.html", _participants(request, pk))
    project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    mine = {"actor": request.user, "project_id": pk}
    if request.POST.get("remove"):
        key, form_class, done = (
            f"remove-{request.POST['remove']}",
            RemoveParticipantForm,
            _("Department removed."),
        )

        def call(d):
            return services.participant_remove(participation_id=d["remove"], **mine)
    else:
        key, form_class, done = "participant", ParticipantForm, _("Participating department saved.")

        def call(d):
            return services.participant_set(**mine, **d)

    url = reverse("projects:participants", args=[pk])
    return submit(
        request,
        key,
        form_class,
        call,
        done=done,
        url=url,
        template="projects/participants.html",
        page=lambda bound: _participants(request, pk, bound),
    )


def _sub_goal_data(d: dict) -> dict:
    data = {k: v for k, v in d.items() if k != "action" and (v not in ("", None) or k == "recurrence")}
    return {**data, "higher_is_better": True}


def _sub_goal_call(request, pk: int, action: str):
    actor = request.user
    if action == "add":
        return lambda d: services.sub_goal_create(actor=actor, project_id=pk, data=_sub_goal_data(d))

    def on_sub_goal(service, **values):
        def call(d):
            belongs_to(SubGoal, d["sub_goal"], pk, missing=_("No such sub-goal."), field="sub_goal")
            return service(actor=actor, sub_goal_id=d["sub_goal"], **{k: d.get(k) for k in values})

        return call

    if action == "progress":
        return on_sub_goal(services.sub_goal_record_progress, value=1, period_end=1)
    if action == "delete":
        return on_sub_goal(services.sub_goal_delete)

    def measure(d):
        belongs_to(GoalMetric, d["metric"], pk, missing=_("No such goal metric."), field="metric")
        values = {k: d[k] for k in ("value", "measured_on")}
        return services.goal_metric_record(actor=actor, metric_id=d["metric"], **values)

    return measure


SUB_GOAL_FORMS = {
    "add": ("sub_goal", SubGoalForm),
    "progress": ("progress-{sub_goal}", SubGoalProgressForm),
    "delete": ("delete-{sub_goal}", SubGoalDeleteForm),
    "measure": ("measure-{metric}", MeasureForm),
}


@require_POST
@login_required
@html_errors
def sub_goal_action(request, pk: int):
    """Add a sub-goal, record progress on one, or remove one (the dashboard's forms)."""
    project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    action = request.POST.get("action", "")
    if action not in SUB_GOAL_FORMS:
        raise Http404
    key, form_class = SUB_GOAL_FORMS[action]
    post = request.POST
    return submit(
        request,
        key.format(sub_goal=post.get("sub_goal", ""), metric=post.get("metric", "")),
        form_class,
        _sub_goal_call(request, pk, action),
        done=_("Saved."),
        url=reverse("projects:detail", args=[pk]) + "#sub-goals",
        template="projects/detail.html",
        page=lambda bound: _dashboard(request, pk, bound),
    )


def _move_call(request, pk: int, action: str):
    mine = {"actor": request.user, "project_id": pk}
    if action == "kickoff":
        return lambda d: services.project_schedule_kickoff(
            data={k: v for k, v in d.items() if v and k != "version"}, version=d["version"] or None, **mine
        )
    if action in ("closing", "reopen"):
        service = services.project_start_closing if action == "closing" else services.project_reopen
        return lambda d: service(reason=d["reason"], version=d.get("version") or None, **mine)
    service = services.project_close if action == "close" else services.project_archive
    return lambda d: service(**mine)


MOVE_DONE = {
    "kickoff": _("The kickoff meeting is called; the project runs once its minutes are final."),
    "closing": _("The project moves to closing: the retrospective is due within 5 working days."),
    "reopen": _("The project is running again."),
    "close": _("The project is closed."),
    "archive": _("Archived. It is read-only from now on."),
}


@require_POST
@login_required
@html_errors
def project_action(request, pk: int, action: str):
    project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    if action not in MOVE_FORMS:
        raise Http404
    return submit(
        request,
        action,
        MOVE_FORMS[action],
        _move_call(request, pk, action),
        done=MOVE_DONE[action],
        url=reverse("projects:detail", args=[pk]),
        template="projects/detail.html",
        page=lambda bound: _dashboard(request, pk, bound),
    )


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
