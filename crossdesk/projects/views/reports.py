"""Weekly progress lists: the project's list of weeks and the printable list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..selectors import project_get_for_viewer
from ..selectors.reports import weekly_report_get, weekly_reports
from ..services import reports as services
from ._common import html_errors


@require_GET
@login_required
@html_errors
def report_list(request, pk: int):
    return _list(request, pk)


def _list(request, pk: int, error: str = "", status: int = 200):
    """The project's weekly lists; ``error``: why making one now was refused."""
    roles = roles_for(request.user)
    project = project_get_for_viewer(roles=roles, pk=pk)
    reports = weekly_reports(roles=roles, project_id=pk)
    may_generate = "generate_weekly_report" in permissions.project_actions(roles, project)
    context = {"project": project, "reports": reports, "tab": "weekly", "may_generate": may_generate}
    return render(request, "projects/weekly_reports.html", {**context, "action_error": error}, status=status)


@require_GET
@login_required
@html_errors
def report_detail(request, pk: int, report_id: int):
    """The list as it was sent; prints on A4 (print CSS hides the navigation)."""
    report = weekly_report_get(roles=roles_for(request.user), project_id=pk, pk=report_id)
    context = {"report": report, "project": report.project, "content": report.content, "tab": "weekly"}
    return render(request, "projects/weekly_report.html", context)


@require_POST
@login_required
@html_errors
def report_generate(request, pk: int):
    try:
        report = services.weekly_report_generate_now(actor=request.user, project_id=pk)
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        return _list(request, pk, exc.message, exc.status_code)
    return redirect(report.get_absolute_url())


urlpatterns = [
    path("<int:pk>/weekly/", report_list, name="weekly_reports"),
    path("<int:pk>/weekly/new/", report_generate, name="weekly_generate"),
    path("<int:pk>/weekly/<int:report_id>/", report_detail, name="weekly_report"),
]
