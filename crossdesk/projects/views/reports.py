"""Weekly progress lists: the project's list of weeks and the printable list."""

from __future__ import annotations

from django.urls import path

from crossdesk.core.forms import ActionForm
from crossdesk.core.records.actions import Act, Page
from crossdesk.org.selectors import roles_for

from .. import permissions
from ..selectors import project_get_for_viewer
from ..selectors.reports import weekly_report_get, weekly_reports
from ..services import reports as services


def _list(request, pk: int, bound=None) -> dict:
    """The project's weekly lists; after a refused "make it now", why."""
    roles = roles_for(request.user)
    project = project_get_for_viewer(roles=roles, pk=pk)
    reports = weekly_reports(roles=roles, project_id=pk)
    may_generate = "generate_weekly_report" in permissions.project_actions(roles, project)
    error = " ".join(bound.form.non_field_errors()) if bound else ""
    context = {"project": project, "reports": reports, "tab": "weekly", "may_generate": may_generate}
    return {**context, "action_error": error}


REPORTS = Page(
    "projects/weekly_reports.html",
    _list,
    {"generate": Act(ActionForm, services.weekly_report_generate_now, project_id="pk")},
    then=lambda report, pk: report.get_absolute_url(),
    see_other=False,
)


def _report(request, pk: int, report_id: int) -> dict:
    """The list as it was sent; prints on A4 (print CSS hides the navigation)."""
    report = weekly_report_get(roles=roles_for(request.user), project_id=pk, pk=report_id)
    return {"report": report, "project": report.project, "content": report.content, "tab": "weekly"}


urlpatterns = [
    path("<int:pk>/weekly/", REPORTS.view(), name="weekly_reports"),
    path("<int:pk>/weekly/new/", REPORTS.view("POST"), {"action": "generate"}, name="weekly_generate"),
    path(
        "<int:pk>/weekly/<int:report_id>/",
        Page("projects/weekly_report.html", _report).view(),
        name="weekly_report",
    ),
]
