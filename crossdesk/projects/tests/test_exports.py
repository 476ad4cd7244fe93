"""A project's lists in Excel: the rows of each page, and 404 for who may not see it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crossdesk.core.testing import queries_of, xlsx_rows
from crossdesk.projects import models as m
from crossdesk.projects.choices import ProjectStatus, TaskHealth

from .factories import (
    ChangeRequestFactory,
    DeliverableFactory,
    RaciCellFactory,
    TaskFactory,
    part,
    project_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas):
    """A confidential running project of MKT with CS and LOG: two tasks, a third cancelled."""
    project = project_rows(personas, status=ProjectStatus.RUNNING, confidential=True)
    cs, log, mkt = part(project, personas.cs), part(project, personas.log), part(project, personas.mkt)
    first = TaskFactory(responsible=cs, code="T01", title="客户痛点收集", position=1, progress=40)
    RaciCellFactory(task=first, participation=mkt, role="A")
    RaciCellFactory(task=first, participation=log, role="C")
    second = TaskFactory(
        responsible=log, code="T02", title="=物流时效评估", position=2, health=TaskHealth.BEHIND
    )
    TaskFactory(responsible=cs, code="T03", title="作废的任务", position=3, status="cancelled")
    DeliverableFactory(task=first, responsible=cs, name="客户痛点清单（V1.2）")
    DeliverableFactory(task=second, responsible=log, name="时效评估报告")
    now = timezone.now()
    ChangeRequestFactory(project=project, title="开发测试延期5天", status="submitted", submitted_at=now)
    ChangeRequestFactory(project=project, title="增加2名开发人员", aspects=["resources", "dates"])
    for week in (date(2026, 9, 21), date(2026, 9, 28)):
        m.WeeklyReport.objects.create(
            project=project,
            week_start=week,
            week_end=week + timedelta(days=4),
            generated_at=now,
            content={"totals": {"done_this_week": 1, "troubled": 2}},
            recipients=5,
        )
    return project


def export(client, name, project, params=None):
    return xlsx_rows(client.get(reverse(f"projects:{name}", args=[project.pk]), params or {}))


def test_the_responsibility_table_has_the_pages_tasks_with_their_departments(personas, client_for, project):
    client = client_for(personas.cs_liaison)
    rows = export(client, "plan_export", project)
    assert rows[0][:5] == ("序号", "任务", "责任部门", "负责人", "审批部门（A）")
    assert [r[0] for r in rows[1:]] == ["T01", "T02"]
    first = rows[1]
    assert first[2] == personas.cs.name and first[4] == personas.mkt.name and first[9] == personas.log.name
    assert first[6].date() == date(2026, 9, 21)  # a date cell, read back as a datetime
    assert first[11] == 40
    assert rows[2][1] == "=物流时效评估"  # text, not a formula
    page = client.get(reverse("projects:plan", args=[project.pk]), {"health": "behind"}).content.decode()
    at_risk = export(client, "plan_export", project, {"health": "behind"})
    assert [r[0] for r in at_risk[1:]] == ["T02"] and page.count('data-testid="task-row"') == 1
    assert f'href="/projects/{project.pk}/plan/export.xlsx?health=behind"' in page


def test_the_raci_grid_has_a_column_per_department_and_a_letter_per_cell(personas, client_for, project):
    rows = export(client_for(personas.cs_liaison), "raci_export", project)
    assert rows[0] == (
        "序号",
        "任务",
        personas.mkt.name,
        personas.cs.name,
        personas.log.name,
        "缺少审批方（A）",
    )
    assert rows[1] == ("T01", "客户痛点收集", "A", "R", "C", None)
    assert rows[2] == ("T02", "=物流时效评估", None, None, "R", "是")


def test_the_weekly_lists_deliverables_and_change_requests(personas, client_for, project):
    client = client_for(personas.cs_liaison)
    weekly = export(client, "weekly_export", project)
    assert [r[0].date() for r in weekly[1:]] == [date(2026, 9, 28), date(2026, 9, 21)]
    assert weekly[1][3:] == (1, 2, 5)
    deliverables = export(client, "deliverable_export", project)
    assert [(r[0], r[2]) for r in deliverables[1:]] == [
        ("T01", "客户痛点清单（V1.2）"),
        ("T02", "时效评估报告"),
    ]
    changes = export(client, "change_export", project)
    assert [r[1] for r in changes[1:]] == ["增加2名开发人员", "开发测试延期5天"]
    assert changes[1][2] == "资源、时间"
    waiting = export(client, "change_export", project, {"status": "submitted"})
    page = client.get(reverse("projects:changes", args=[project.pk]), {"status": "submitted"})
    assert [r[1] for r in waiting[1:]] == ["开发测试延期5天"]
    assert page.content.decode().count('data-testid="change-row"') == 1


@pytest.mark.parametrize(
    "name", ["plan_export", "raci_export", "weekly_export", "deliverable_export", "change_export"]
)
def test_who_may_not_see_the_project_gets_404(personas, client_for, project, name):
    response = client_for(personas.outsider).get(reverse(f"projects:{name}", args=[project.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["plan_export", "raci_export", "weekly_export", "deliverable_export", "change_export"]
)
def test_each_export_makes_the_same_queries_for_more_rows(personas, client_for, project, name):
    client = client_for(personas.cs_liaison)
    path = reverse(f"projects:{name}", args=[project.pk])
    queries_of(client, path)
    few = queries_of(client, path)
    cs, log = part(project, personas.cs), part(project, personas.log)
    for n in range(4, 9):
        task = TaskFactory(responsible=cs, code=f"T{n:02d}", position=n)
        RaciCellFactory(task=task, participation=log, role="I")
        DeliverableFactory(task=task, responsible=cs, name=f"交付物{n}")
        ChangeRequestFactory(project=project, title=f"变更{n}")
        m.WeeklyReport.objects.create(
            project=project,
            week_start=date(2026, 10, n),
            week_end=date(2026, 10, n + 4),
            generated_at=timezone.now(),
            content={"totals": {}},
        )
    assert queries_of(client, path) == few
