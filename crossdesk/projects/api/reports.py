"""Weekly progress list endpoints."""

from __future__ import annotations

from ninja import Router

from ..schemas import WeeklyReportOut
from ..selectors.reports import weekly_report_get, weekly_reports
from ..services import reports as services
from ._common import READ_ERRORS, WRITE_ERRORS, call_in, roles

router = Router()


@router.get("/{int:project_id}/weekly-reports", response={200: list[WeeklyReportOut], **READ_ERRORS})
def list_reports(request, project_id: int):
    """The project's weekly progress lists, newest first, as they were sent."""
    return list(weekly_reports(roles=roles(request), project_id=project_id))


@router.post("/{int:project_id}/weekly-reports", response={200: WeeklyReportOut, **WRITE_ERRORS})
def generate_report(request, project_id: int):
    """Make this week's list now (once per week; a second call returns the same list)."""
    return call_in(request, project_id, services.weekly_report_generate_now)


@router.get(
    "/{int:project_id}/weekly-reports/{int:report_id}",
    response={200: WeeklyReportOut, **READ_ERRORS},
)
def get_report(request, project_id: int, report_id: int):
    return weekly_report_get(roles=roles(request), project_id=project_id, pk=report_id)
