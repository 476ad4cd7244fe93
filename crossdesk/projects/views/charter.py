"""Project list, dashboard, charter form (with the SMART check), participants and sub-goals,
kickoff and status moves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from crossdesk.core.errors import ApplicationError
from crossdesk.core.exporting import Column, bad_filter_response, xlsx_response
from crossdesk.core.records import actions
from crossdesk.core.records.actions import Act, Page, posted_version
from crossdesk.core.records.registry import panels
from crossdesk.core.records.views import html_errors
from crossdesk.org.models import Person
from crossdesk.org.selectors import department_choices, roles_for

from .. import forms
from ..choices import LIVE, ProjectStatus
from ..filters import project_filter_from_params
from ..models import GoalMetric, SubGoal
from ..selectors import project_get_for_viewer
from ..selectors.charter import project_dashboard, project_list, status_counts
from ..services import charter as services
from ..services._common import belongs_to

PER_PAGE = 30
CHARTER_FIELDS = ("name", "confidential", "background", "core_goal", "expected_outcomes", "version")
CHARTER_FIELDS += ("planned_start", "planned_finish")
METRIC_FIELDS = ("metric", "unit", "baseline", "target", "target_date")


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


# The columns of the Excel export, read from a project of ``project_list``.
EXPORT_COLUMNS = (
    Column(_("Number"), lambda p: p.number, 16),
    Column(_("Project name"), lambda p: p.name, 30),
    Column(_("Status"), lambda p: p.get_status_display(), 10),
    Column(_("Initiating department"), lambda p: p.initiating_department.name, 14),
    Column(_("Project lead"), lambda p: p.lead.name if p.lead_id else "", 10),
    Column(
        _("Participating departments"),
        lambda p: "、".join(part.department.name for part in p.departments.all()),
        28,
    ),
    Column(_("Planned start"), lambda p: p.planned_start),
    Column(_("Planned finish"), lambda p: p.planned_finish),
    Column(_("Tasks"), lambda p: p.task_count, 8),
    Column(_("Tasks done"), lambda p: p.done_count, 8),
    Column(_("Troubled tasks"), lambda p: p.troubled_count, 8),
)


@require_GET
@login_required
@html_errors
def project_export(request):
    """Exactly the filtered rows of the list (every page), as .xlsx with Chinese headers."""
    roles = roles_for(request.user)
    try:
        filters, _window = project_filter_from_params(request.GET)
    except ApplicationError as exc:
        return bad_filter_response(exc)
    rows = project_list(roles=roles, filters=filters)
    return xlsx_response("projects", _("Projects"), EXPORT_COLUMNS, rows)


def _charter_context(request, pk: int | None = None) -> dict:
    """What the charter form picks from, and the project's charter so far (its metrics as rows)."""
    if pk is None:
        return {"all_departments": department_choices()}
    project = project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    rows = [{"id": m.pk, **{k: getattr(m, k) for k in METRIC_FIELDS}} for m in project.goal_metrics.all()]
    return {"editing": True, "project": project, "rows": rows}


def _charter(request, pk: int | None = None, bound=None) -> dict:
    """The charter form (new or edit), laid out like the seed's sections: basic information,
    goal with its metrics, outcomes; the SMART check of what is saved."""
    context = bound.form.context if bound else _charter_context(request, pk)
    project = context.get("project")
    initial = {name: getattr(project, name) for name in CHARTER_FIELDS} if project else None
    form = bound.form if bound else forms.CharterForm(initial=initial, context=context)
    smart = services.project_smart_problems(project) if project and not bound else []
    return {"project": project, "form": form, "metrics": form.rows, "smart_problems": smart}


def _save_charter(request, data: dict, pk: int | None = None):
    if pk is None:
        saved = services.project_create(actor=request.user, data=data)
    else:
        saved = services.project_update(
            actor=request.user, project_id=pk, data=data, version=posted_version(request)
        )
    for problem in services.project_smart_problems(saved):
        messages.warning(request, problem)
    return saved


CHARTER = Page(
    "projects/form.html",
    _charter,
    {"save": Act(forms.CharterForm, call=_save_charter)},
    then=lambda saved, pk=None: reverse(
        "projects:detail" if pk else "projects:participants", args=[saved.pk]
    ),
    context=_charter_context,
    default="save",
    see_other=False,
)

# The project's moves, in the order of its life: label, icon, the permission they need
# (closing projects are closed by those who may reopen them).
MOVES = {
    "edit": (_("Edit charter"), "pencil", "edit"),
    "kickoff": (_("Call the kickoff meeting"), "flag", "schedule_kickoff"),
    "closing": (_("Move to closing"), "box-arrow-in-down", "start_closing"),
    "close": (_("Close the project"), "check2-circle", "reopen"),
    "reopen": (_("Reopen"), "arrow-counterclockwise", "reopen"),
    "archive": (_("Archive"), "archive", "archive"),
}


def _dashboard(request, pk: int, bound=None) -> dict:
    """The dashboard: goal progress, task health counts, overdue, sub-goals beside targets,
    and the moves this person may make now, each with its form."""
    board = project_dashboard(roles=roles_for(request.user), pk=pk)
    project = board.project
    page_forms = actions.PageForms(bound)

    def url(action: str) -> str:
        return reverse("projects:action", args=[pk, action])

    buttons = []
    for action, (label, icon, rule) in MOVES.items():
        if rule not in board.actions:
            continue
        if action == "edit":
            buttons.append(actions.Button(action, reverse("projects:edit", args=[pk]), str(label), icon))
            continue
        form_class = DASHBOARD.acts[action].form
        buttons.append(page_forms.add(action, url(action), form_class, {"version": project.version}))
        buttons[-1].label, buttons[-1].icon = str(label), icon
    if "edit_sub_goals" in board.actions:
        page_forms.add("sub_goal", url("add"), forms.SubGoalForm, **forms.sources(board.participations))
    for m in board.metrics if "record_goal" in board.actions else ():
        m.form = page_forms.add(f"measure-{m.pk}", url("measure"), forms.MeasureForm, {"metric": m.pk})
    for row in board.sub_goals if project.status in LIVE else ():
        initial = {"sub_goal": row.goal.pk}
        row.form = page_forms.add(
            f"progress-{row.goal.pk}", url("progress"), forms.SubGoalProgressForm, initial
        )
    draft = project.status == ProjectStatus.DRAFT
    return {
        "board": board,
        "project": project,
        "tab": "dashboard",
        "buttons": buttons,
        "forms": page_forms,
        "kickoff_problems": services.kickoff_problems(project) if draft else [],
        "archived": project.status == ProjectStatus.ARCHIVED,
        "is_draft": draft,
        "draft_note": _(
            "A draft: call the kickoff meeting once the goal is SMART and the departments are named."
        ),
        "panels": _panels(request, board),
    }


def _panels(request, board) -> list[str]:
    """What other apps add to the project page (``register_panel("projects.project", …)``),
    e.g. the reports' charts of goal progress and task health."""
    found = (provider(board=board) for provider in panels("projects.project").values())
    return [mark_safe(render_to_string(p["template"], p["context"], request)) for p in found if p]


def _ours(model, field: str, missing):
    """That the form's ``field`` names a ``model`` row of this project (refused next to it if not)."""
    return lambda d, pk: belongs_to(model, d[field], pk, missing=missing, field=field)


OUR_SUB_GOAL = _ours(SubGoal, "sub_goal", _("No such sub-goal."))
SUB_GOALS = "projects:detail#sub-goals"
DASHBOARD = Page(
    "projects/detail.html",
    _dashboard,
    {
        "kickoff": Act(
            forms.KickoffForm, services.project_schedule_kickoff, "version", data=True, project_id="pk"
        ),
        "closing": Act(
            forms.ClosingForm, services.project_start_closing, "reason", "version", project_id="pk"
        ),
        "reopen": Act(forms.ReopenForm, services.project_reopen, "reason", project_id="pk"),
        "close": Act(forms.CloseForm, services.project_close, project_id="pk"),
        "archive": Act(forms.ArchiveForm, services.project_archive, project_id="pk"),
        # The dashboard's sub-goal forms.
        "add": Act(
            forms.SubGoalForm,
            services.sub_goal_create,
            data=True,
            key="sub_goal",
            then=SUB_GOALS,
            project_id="pk",
        ),
        "progress": Act(
            forms.SubGoalProgressForm,
            services.sub_goal_record_progress,
            *("value", "period_end"),
            check=OUR_SUB_GOAL,
            key="progress-{sub_goal}",
            then=SUB_GOALS,
            sub_goal_id="sub_goal",
        ),
        "delete": Act(
            forms.SubGoalDeleteForm,
            services.sub_goal_delete,
            check=OUR_SUB_GOAL,
            key="delete-{sub_goal}",
            then=SUB_GOALS,
            sub_goal_id="sub_goal",
        ),
        "measure": Act(
            forms.MeasureForm,
            services.goal_metric_record,
            *("value", "measured_on"),
            check=_ours(GoalMetric, "metric", _("No such goal metric.")),
            key="measure-{metric}",
            then=SUB_GOALS,
            metric_id="metric",
        ),
    },
    {
        "kickoff": _("The kickoff meeting is called; the project runs once its minutes are final."),
        "closing": _("The project moves to closing: the retrospective is due within 5 working days."),
        "reopen": _("The project is running again."),
        "close": _("The project is closed."),
        "archive": _("Archived. It is read-only from now on."),
        **dict.fromkeys(("add", "progress", "delete", "measure"), _("Saved.")),
    },
    then="projects:detail",
    check=lambda request, pk: project_get_for_viewer(roles=roles_for(request.user), pk=pk),
)


def _participants(request, pk: int, bound=None) -> dict:
    """Participating departments, each with exactly one liaison and the duties they carry."""
    board = project_dashboard(roles=roles_for(request.user), pk=pk)
    page_forms = actions.PageForms(bound)
    if "manage_participants" in board.actions:
        url = reverse("projects:participants", args=[pk])
        people = Person.objects.filter(is_active=True, memberships__isnull=False).distinct()
        liaisons = [(p.pk, f"{p.name} · {p.title}") for p in people.order_by("employee_no")[:500]]
        context = {"all_departments": department_choices(), "liaisons": liaisons}
        page_forms.add("participant", url, forms.ParticipantForm, **context)
        for p in board.participations:
            if not p.is_initiating:
                initial = {"action": "remove", "remove": p.pk}
                p.form = page_forms.add(f"remove-{p.pk}", url, forms.RemoveParticipantForm, initial)
    return {"board": board, "project": board.project, "tab": "participants", "forms": page_forms}


PARTICIPANTS = Page(
    "projects/participants.html",
    _participants,
    {
        "participant": Act(
            forms.ParticipantForm,
            services.participant_set,
            "department",
            "liaison",
            "duties",
            project_id="pk",
        ),
        "remove": Act(
            forms.RemoveParticipantForm,
            services.participant_remove,
            key="remove-{remove}",
            project_id="pk",
            participation_id="remove",
        ),
    },
    {"participant": _("Participating department saved."), "remove": _("Department removed.")},
    then="projects:participants",
    check=DASHBOARD.check,
    default="participant",
)


def _history(request, pk: int) -> dict:
    project = project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    events = project.events.select_related("author", "task").order_by("-at", "-id")
    return {"project": project, "events": events, "tab": "history"}


urlpatterns = [
    path("", project_list_view, name="list"),
    path("export.xlsx", project_export, name="export"),
    path("new/", CHARTER.view("GET", "POST"), name="new"),
    path("<int:pk>/", DASHBOARD.view(), name="detail"),
    path("<int:pk>/edit/", CHARTER.view("GET", "POST"), name="edit"),
    path("<int:pk>/participants/", PARTICIPANTS.view("GET", "POST"), name="participants"),
    path("<int:pk>/history/", Page("projects/history.html", _history).view(), name="history"),
    path("<int:pk>/do/<slug:action>/", DASHBOARD.view("POST"), name="action"),
]
