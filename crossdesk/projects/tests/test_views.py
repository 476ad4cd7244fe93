"""The project pages: who sees what, the forms keep what was typed and say what is wrong,
the RACI grid is edited in place with htmx, list pages keep a constant query count."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crossdesk.projects import models as m

from .factories import add_task, at, draft_project, part, running_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas):
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        project = running_project(personas)
        add_task(personas, project, accountable="")
        return project


@pytest.mark.parametrize(
    "name", ["detail", "participants", "plan", "raci", "gantt", "weekly_reports", "history"]
)
def test_a_participant_sees_every_project_page(personas, client_for, project, name):
    response = client_for(personas.cs_liaison).get(reverse(f"projects:{name}", args=[project.pk]))
    assert response.status_code == 200
    assert project.name in response.content.decode()


@pytest.mark.parametrize("name", ["detail", "plan", "raci", "gantt"])
def test_an_outsider_gets_404(personas, client_for, project, name):
    assert (
        client_for(personas.outsider).get(reverse(f"projects:{name}", args=[project.pk])).status_code == 404
    )


def test_the_dashboard_shows_goal_health_and_sub_goals(personas, client_for, project):
    page = client_for(personas.mkt_head).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="goal-metrics"' in page and "24小时内闭环的投诉占比" in page
    assert 'data-testid="health-counts"' in page and 'data-testid="sub-goal-form"' in page


def test_the_charter_form_says_which_part_of_the_goal_is_missing(personas, client_for):
    client = client_for(personas.mkt_head)
    response = client.post(
        reverse("projects:new"),
        {
            "name": "报销流程变更",
            "initiating_department": personas.mkt.pk,
            "m0_metric": "报销平均周期",
            "m0_baseline": "10",
            "metric_rows": "3",
        },
    )
    assert response.status_code == 302
    project = m.Project.objects.get(name="报销流程变更")
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'data-testid="smart-problem"' in page and "目标日期" in page


def test_a_refused_charter_keeps_what_was_typed(personas, client_for):
    response = client_for(personas.mkt_head).post(
        reverse("projects:new"),
        {
            "name": "",
            "initiating_department": personas.mkt.pk,
            "background": "报销流程繁琐",
        },
    )
    assert response.status_code == 400
    assert "报销流程繁琐" in response.content.decode()


def test_the_raci_grid_is_edited_in_place(personas, client_for, project):
    task = project.tasks.get()
    client = client_for(personas.mkt_head)
    page = client.get(reverse("projects:raci", args=[project.pk])).content.decode()
    assert 'data-testid="no-a"' in page
    response = client.post(
        reverse("projects:raci_cell", args=[project.pk, task.pk]),
        {"participation": part(project, personas.mkt).pk, "role": "A", "version": task.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert 'id="raci-' in row and 'data-testid="no-a"' not in row
    assert response["HX-Trigger"] == "raci-changed"
    refused = client.post(
        reverse("projects:raci_cell", args=[project.pk, task.pk]),
        {"participation": task.responsible_id, "role": "", "version": task.version + 1},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="raci-error"' in refused.content.decode()


def test_progress_is_reported_on_the_task_page(personas, client_for, project):
    task = project.tasks.get()
    client = client_for(personas.cs_staff)
    with time_machine.travel(at(2026, 9, 22, 10), tick=False):
        client.post(
            reverse("projects:task_action", args=[project.pk, task.pk, "progress"]),
            {"progress": "30", "note": "已完成前5类投诉整理", "version": task.version},
        )
    task.refresh_from_db()
    assert task.progress == 30
    page = client.get(task.get_absolute_url()).content.decode()
    assert "已完成前5类投诉整理" in page
    updates = page[page.index('data-testid="task-updates"') :]
    assert "未开始 → 进行中" in updates and "not_started" not in updates  # the statuses in words
    history = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert "running" not in history.split('data-testid="history"')[1]


def test_a_refused_action_shows_why_next_to_the_field_and_changes_nothing(personas, client_for, project):
    task = project.tasks.get()
    url = reverse("projects:task_action", args=[project.pk, task.pk, "progress"])
    response = client_for(personas.cs_staff).post(
        url, {"progress": "130", "note": "整理中", "version": task.version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="field-error-progress"' in page and 'value="130"' in page and "整理中" in page
    assert m.Task.objects.get(pk=task.pk).progress == 0
    assert client_for(personas.log_head).post(url, {"progress": "30"}).status_code == 403


def refused(response, field: str, *typed: str) -> str:
    """The page again (400/409): the message next to ``field``, what was typed kept."""
    assert response.status_code in (400, 409), response.status_code
    page = response.content.decode()
    assert f'data-testid="field-error-{field}"' in page, page
    for value in typed:
        assert value in page
    return page


def test_a_refused_charter_edit_keeps_what_was_typed_next_to_the_metric(personas, client_for, project):
    url = reverse("projects:edit", args=[project.pk])
    data = {"name": "改名后的项目", "version": project.version, "metric_rows": "1", "m0_metric": "满意度"}
    data |= {"m0_target": "很多", "m0_target_date": "2026-12-31"}
    refused(client_for(personas.mkt_head).post(url, data), "m0_target", "改名后的项目", "很多")
    assert m.Project.objects.get(pk=project.pk).name == project.name


def test_a_refused_task_keeps_what_was_typed(personas, client_for, project):
    url = reverse("projects:task_new", args=[project.pk])
    data = {"title": "投诉分类", "description": "梳理投诉分类", "responsible": personas.cs.pk}
    refused(client_for(personas.mkt_head).post(url, data), "planned_start", "梳理投诉分类")
    assert project.tasks.count() == 1


def test_a_refused_communication_row_keeps_what_was_typed(personas, client_for, project):
    url = reverse("projects:comm_add", args=[project.pk])
    data = {
        "scenario": "progress_sync",
        "channel": "weekly_meeting",
        "frequency": "weekly",
        "at_time": "10:00",
    }
    data |= {"output": "weekly_list", "owner": personas.mkt_staff.pk, "place": "3楼会议室"}
    page = refused(client_for(personas.mkt_head).post(url, data), "weekdays", "3楼会议室")
    assert "每周沟通至少选择一个星期几" in page
    assert project.communication_plan.count() == 0


def test_a_refused_change_request_keeps_what_was_typed(personas, client_for, project):
    url = reverse("projects:change_raise", args=[project.pk])
    data = {"title": "延期一周", "description": "顺延", "reason": "接口延迟", "impact": "无"}
    refused(client_for(personas.cs_liaison).post(url, data), "aspects", "延期一周", "接口延迟")
    assert not project.change_requests.exists()


def test_a_refused_deliverable_submission_keeps_the_note(personas, client_for, project):
    from crossdesk.projects.services import delivery

    task = project.tasks.get()
    d = delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={})
    url = reverse("projects:deliverable_act", args=[project.pk, d.pk, "submit"])
    refused(
        client_for(personas.cs_staff).post(url, {"note": "见附件", "version": d.version}), "files", "见附件"
    )
    d.refresh_from_db()
    assert d.status == "planned" and not d.evidence.exists()


def test_a_refused_retrospective_keeps_what_was_typed_next_to_the_lesson(personas, client_for, project):
    from crossdesk.projects.services import charter

    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk, reason="提前结项")
        url = reverse("projects:retrospective", args=[project.pk])
        data = {
            "went_well": "周例会及时暴露风险",
            "lesson_rows": "1",
            "lesson0_title": "",
            "lesson0_body": "接口需提前确认",
        }
        response = client_for(personas.mkt_head).post(url, data)
    refused(response, "title", "周例会及时暴露风险", "接口需提前确认")
    assert m.Project.objects.get(pk=project.pk).retrospective.went_well == ""


def test_the_weekly_list_prints(personas, client_for, project):
    client = client_for(personas.mkt_head)
    response = client.post(reverse("projects:weekly_generate", args=[project.pk]))
    report = m.WeeklyReport.objects.get(project=project)
    assert response.status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert "@media print" in page and 'data-testid="weekly-table"' in page


def test_list_and_plan_pages_keep_a_constant_query_count(personas, client_for):
    client = client_for(personas.mkt_head)
    first = draft_project(personas)
    add_task(personas, first)
    client.get(reverse("projects:list"))  # warm the per-process caches
    client.get(reverse("projects:raci", args=[first.pk]))
    with CaptureQueriesContext(connection) as one_list:
        client.get(reverse("projects:list"))
    with CaptureQueriesContext(connection) as one_plan:
        client.get(reverse("projects:raci", args=[first.pk]))
    for n in range(3):
        add_task(personas, first, title=f"任务{n}", collaborators=[], informed=[personas.log.pk])
        add_task(personas, draft_project(personas, name=f"新产品上市{n}"))
    with CaptureQueriesContext(connection) as many_list:
        client.get(reverse("projects:list"))
    with CaptureQueriesContext(connection) as many_plan:
        client.get(reverse("projects:raci", args=[first.pk]))
    assert len(many_list) == len(one_list)
    assert len(many_plan) == len(one_plan)


@pytest.mark.parametrize(
    "name",
    ["detail", "participants", "plan", "raci", "gantt", "weekly_reports", "history", "comms", "changes"],
)
def test_every_project_page_shows_every_tab(personas, client_for, project, name):
    """Part A's and part B's pages alike show all tabs (the ``project_extra_tabs`` tag)."""
    page = client_for(personas.mkt_head).get(reverse(f"projects:{name}", args=[project.pk])).content.decode()
    for other in ("comms", "changes", "deliverables", "retrospective", "archive", "plan", "raci", "gantt"):
        assert reverse(f"projects:{other}", args=[project.pk]) in page, other
    assert reverse("projects:knowledge_base") in page


def test_the_new_task_form_opens_empty(personas, client_for, project):
    """Regression: the empty form failed to render (its date inputs read a missing value)."""
    response = client_for(personas.mkt_head).get(reverse("projects:task_new", args=[project.pk]))
    assert response.status_code == 200 and 'data-testid="task-form"' in response.content.decode()


def test_the_list_exports_exactly_the_filtered_projects_to_excel(personas, client_for):
    import io

    from openpyxl import load_workbook

    running = running_project(personas)
    draft_project(personas, name="经营数据模板统一")
    client = client_for(personas.mkt_head)
    response = client.get(reverse("projects:export"), {"status": "running"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="projects-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "项目名称", "状态")
    assert [row[0] for row in rows[1:]] == [running.number]
    assert rows[1][1] == running.name
    # The same query counts whatever the number of rows (departments are prefetched).
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("projects:export"))
    draft_project(personas, name="新产品上市")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("projects:export"))
    assert len(more) == len(few)
    assert client.get(reverse("projects:export"), {"status": "nonsense"}).status_code == 400
