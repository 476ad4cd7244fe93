"""A project's lists in Excel: the responsibility table, the RACI grid, the weekly lists,
the deliverables and the change requests, each the rows of its page read by the same
selector with the same parameters (so a person who may not see the project gets 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from crossdesk.core.exporting import Column, xlsx_response
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import roles_for

from ..choices import ChangeAspect, TaskHealth
from ..selectors import changes, delivery, project_get_for_viewer
from ..selectors.reports import weekly_reports
from ..selectors.tasks import project_plan


def _names(participations) -> str:
    return "、".join(p.department.name for p in participations)


def _health(request) -> str:
    """The page's health filter: an unknown value means every task, as on the page."""
    health = request.GET.get("health", "")
    return health if health in TaskHealth.values else ""


PLAN_COLUMNS = (
    Column(_("No."), lambda t: t.code, 8),
    Column(_("Task"), lambda t: t.title, 30),
    Column(_("Responsible department"), lambda t: t.responsible.department.name, 14),
    Column(_("Owner"), lambda t: t.owner.name, 10),
    Column(_("Accountable department"), lambda t: t.accountable.department.name if t.accountable else "", 14),
    Column(_("Delivery standard"), lambda t: t.delivery_standard, 36),
    Column(_("Planned start"), lambda t: t.planned_start),
    Column(_("Planned finish"), lambda t: t.planned_finish),
    Column(_("Actual finish"), lambda t: t.actual_finish),
    Column(_("Collaborators"), lambda t: _names(t.collaborators), 20),
    Column(_("Deliverable"), lambda t: t.deliverable, 20),
    Column(_("Progress (%)"), lambda t: t.progress, 8),
    Column(_("Status"), lambda t: t.get_status_display(), 10),
    Column(_("Health"), lambda t: t.get_health_display(), 10),
)


@require_GET
@login_required
@html_errors
def plan_export(request, pk: int):
    """职责分工表: one row per task, as the page filtered by health shows it."""
    plan = project_plan(roles=roles_for(request.user), pk=pk, health=_health(request))
    name = f"{plan.project.number}-responsibility"
    return xlsx_response(name, _("Responsibility table"), PLAN_COLUMNS, plan.tasks)


@require_GET
@login_required
@html_errors
def raci_export(request, pk: int):
    """The RACI grid: a task per row, a participating department per column, its letter."""
    plan = project_plan(roles=roles_for(request.user), pk=pk)
    columns = [
        Column(_("No."), lambda row: row[0].code, 8),
        Column(_("Task"), lambda row: row[0].title, 30),
    ]
    for index, participation in enumerate(plan.participations):
        columns.append(Column(participation.department.name, lambda row, i=index: row[1][i][1], 10))
    columns.append(
        Column(
            _("Accountable missing"), lambda row: _now("Yes") if row[0].pk in plan.tasks_without_a else "", 10
        )
    )
    return xlsx_response(f"{plan.project.number}-raci", _("RACI"), columns, plan.grid)


WEEKLY_COLUMNS = (
    Column(_("Week of"), lambda r: r.week_start),
    Column(_("Week to"), lambda r: r.week_end),
    Column(_("Generated"), lambda r: r.generated_at, 17),
    Column(_("Done"), lambda r: r.content.get("totals", {}).get("done_this_week"), 8),
    Column(_("Behind or blocked"), lambda r: r.content.get("totals", {}).get("troubled"), 10),
    Column(_("People notified"), lambda r: r.recipients, 10),
)


@require_GET
@login_required
@html_errors
def weekly_export(request, pk: int):
    roles = roles_for(request.user)
    project = project_get_for_viewer(roles=roles, pk=pk)
    rows = weekly_reports(roles=roles, project_id=pk)
    return xlsx_response(f"{project.number}-weekly", _("Weekly progress lists"), WEEKLY_COLUMNS, rows)


DELIVERABLE_COLUMNS = (
    Column(_("No."), lambda d: d.task.code, 8),
    Column(_("Task"), lambda d: d.task.title, 24),
    Column(_("Deliverable"), lambda d: d.name, 24),
    Column(_("Delivery standard"), lambda d: d.delivery_standard or d.task.delivery_standard, 36),
    Column(_("Responsible department"), lambda d: d.responsible.department.name, 14),
    Column(_("Status"), lambda d: d.get_status_display(), 10),
    Column(_("Submission"), lambda d: d.round, 8),
    Column(_("Submitted by"), lambda d: d.submitted_by.name if d.submitted_by_id else "", 10),
    Column(_("Submitted at"), lambda d: d.submitted_at, 17),
    Column(_("Rework due"), lambda d: d.rework_due_at, 17),
    Column(_("Accepted by"), lambda d: d.accepted_by.name if d.accepted_by_id else "", 10),
    Column(_("Accepted at"), lambda d: d.accepted_at, 17),
)


@require_GET
@login_required
@html_errors
def deliverable_export(request, pk: int):
    project, rows = delivery.deliverables_for_viewer(roles=roles_for(request.user), project_id=pk)
    rows.sort(key=lambda d: (d.task.position, d.task_id, d.pk))
    return xlsx_response(f"{project.number}-deliverables", _("Deliverables"), DELIVERABLE_COLUMNS, rows)


def _aspects(change) -> str:
    labels = dict(ChangeAspect.choices)
    return "、".join(str(labels.get(a, a)) for a in change.aspects)


def _decisions(change) -> str:
    return "；".join(f"{a.department.name}：{a.get_decision_display()}" for a in change.approvals.all())


CHANGE_COLUMNS = (
    Column(_("No."), lambda c: f"CR-{c.number:02d}", 8),
    Column(_("Subject"), lambda c: c.title, 30),
    Column(_("What changes"), _aspects, 16),
    Column(_("The change"), lambda c: c.description, 36),
    Column(_("Why"), lambda c: c.reason, 30),
    Column(_("Impact"), lambda c: c.impact, 30),
    Column(_("Requested by"), lambda c: c.requested_by.name, 10),
    Column(_("Requesting department"), lambda c: c.requesting_department.name, 14),
    Column(_("Status"), lambda c: c.get_status_display(), 10),
    Column(_("Approvals"), _decisions, 30),
    Column(_("Submitted at"), lambda c: c.submitted_at, 17),
    Column(_("Decided at"), lambda c: c.decided_at, 17),
)


@require_GET
@login_required
@html_errors
def change_export(request, pk: int):
    project, rows = changes.change_requests_for_viewer(
        roles=roles_for(request.user), project_id=pk, status=request.GET.get("status")
    )
    return xlsx_response(f"{project.number}-changes", _("Change requests"), CHANGE_COLUMNS, rows)


urlpatterns = [
    path("<int:pk>/plan/export.xlsx", plan_export, name="plan_export"),
    path("<int:pk>/raci/export.xlsx", raci_export, name="raci_export"),
    path("<int:pk>/weekly/export.xlsx", weekly_export, name="weekly_export"),
    path("<int:pk>/deliverables/export.xlsx", deliverable_export, name="deliverable_export"),
    path("<int:pk>/changes/export.xlsx", change_export, name="change_export"),
]
