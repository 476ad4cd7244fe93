"""Reads of the weekly progress lists (SPEC §5 [002])."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crossdesk.org.selectors import Roles

from ..models import WeeklyReport
from . import one_of, project_get_for_viewer


def weekly_reports(*, roles: Roles, project_id: int) -> QuerySet[WeeklyReport]:
    project = project_get_for_viewer(roles=roles, pk=project_id)
    return WeeklyReport.objects.filter(project=project).order_by("-week_start")


def weekly_report_get(*, roles: Roles, project_id: int, pk: int) -> WeeklyReport:
    reports = weekly_reports(roles=roles, project_id=project_id).select_related("project")
    return one_of(reports, pk, _("No such weekly progress list."))
