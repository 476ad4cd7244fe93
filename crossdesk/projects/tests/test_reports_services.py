"""The weekly progress list: made once per project and week on the week's last working day
(National Day 2026: the week of 28 September ends on Wednesday 30th; the next on the make-up
Saturday 10 October), sent to the participants, kept as sent."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.notify.models import Notification
from crossdesk.projects import models as m
from crossdesk.projects.services import reports, tracking

from .factories import add_task, at, running_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas):
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        project = running_project(personas)
        add_task(personas, project, planned_start="2026-09-21", planned_finish="2026-09-29")
        add_task(
            personas, project, title="投诉分类规则", planned_start="2026-09-21", planned_finish="2026-10-16"
        )
        return project


def due(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return reports.weekly_reports_due()


def test_it_is_made_on_the_last_working_day_before_national_day(personas, project):
    first = project.tasks.get(code="T01")
    with time_machine.travel(at(2026, 9, 29, 11), tick=False):
        tracking.task_update_progress(actor=personas.cs_staff.user, task_id=first.pk, progress=100)
    assert due(at(2026, 9, 30, 15, 59)) == 1  # only last week's (21–27 September), caught up
    assert not m.WeeklyReport.objects.filter(project=project, week_start="2026-09-28").exists()
    assert due(at(2026, 9, 30, 16, 0)) == 1
    report = m.WeeklyReport.objects.get(project=project, week_start="2026-09-28")
    cs = next(d for d in report.content["departments"] if d["code"] == "CS")
    assert [t["code"] for t in cs["done"]] == ["T01"]
    assert [t["code"] for t in cs["next"]] == ["T02"]


def test_the_make_up_saturday_is_the_last_working_day_of_the_week_after(personas, project):
    due(at(2026, 9, 30, 17))
    assert due(at(2026, 10, 9, 17)) == 0
    assert due(at(2026, 10, 10, 16, 30)) == 1
    assert m.WeeklyReport.objects.filter(project=project, week_start="2026-10-05").exists()


def test_it_is_made_once_and_sent_once(personas, project):
    due(at(2026, 9, 30, 16, 30))
    sent = Notification.objects.filter(event="project.weekly_report").count()
    assert sent > 0
    assert due(at(2026, 9, 30, 17, 30)) == 0
    assert Notification.objects.filter(event="project.weekly_report").count() == sent
    assert Notification.objects.filter(recipient=personas.cs_liaison, event="project.weekly_report").exists()


def test_a_manager_can_make_this_weeks_list_now_once(personas, project):
    with time_machine.travel(at(2026, 9, 29, 10), tick=False):
        first = reports.weekly_report_generate_now(actor=personas.mkt_head.user, project_id=project.pk)
        again = reports.weekly_report_generate_now(actor=personas.mkt_head.user, project_id=project.pk)
        assert first.pk == again.pk
        with pytest.raises(PermissionDeniedError):
            reports.weekly_report_generate_now(actor=personas.cs_liaison.user, project_id=project.pk)


def test_behind_and_blocked_tasks_and_their_risks_are_listed(personas, project):
    task = project.tasks.get(code="T02")
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        tracking.task_report_problem(
            actor=personas.cs_staff.user, task_id=task.pk, blocking=True, description="接口不可用"
        )
    due(at(2026, 9, 30, 16, 30))
    report = m.WeeklyReport.objects.get(project=project, week_start="2026-09-28")
    cs = next(d for d in report.content["departments"] if d["code"] == "CS")
    assert [t["code"] for t in cs["troubled"]] == ["T02"]
    assert any("接口不可用" in r["text"] for r in cs["risks"])
    assert report.content["totals"]["troubled"] == 1
