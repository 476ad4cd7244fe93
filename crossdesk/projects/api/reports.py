"""Weekly progress list endpoints."""

from __future__ import annotations

from ninja import Router

from crossdesk.core.schemas import error_responses

from ..schemas import WeeklyReportOut
from ..selectors.reports import weekly_report_get, weekly_reports
from ..services import reports as services
from ._common import WRITE, call_in, roles

router = Router()


@router.get("/{int:project_id}/weekly-reports", response={200: list[WeeklyReportOut], **error_responses(404)})
def list_reports(request, project_id: int):
    """The project's weekly progress lists, newest first, as they were sent."""
    return list(weekly_reports(roles=roles(request), project_id=project_id))


@router.post("/{int:project_id}/weekly-reports", response={200: WeeklyReportOut, **error_responses(*WRITE)})
def generate_report(request, project_id: int):
    """Make this week's list now (once per week; a second call returns the same list)."""
    return call_in(request, project_id, services.weekly_report_generate_now)


@router.get(
    "/{int:project_id}/weekly-reports/{int:report_id}",
    response={200: WeeklyReportOut, **error_responses(404)},
)
def get_report(request, project_id: int, report_id: int):
    return weekly_report_get(roles=roles(request), project_id=project_id, pk=report_id)
