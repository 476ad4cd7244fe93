"""One workbench for all my work: what waits for me across requests, meetings and projects
(page and ``GET /api/v1/workbench``), what I raised, and for heads and supervisors their
departments' overdue records, in a number of queries that does not grow with the items."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crossdesk.collaboration.models import Request, RequestInvolvement
from crossdesk.collaboration.tests import factories as requests
from crossdesk.projects.choices import ProjectStatus
from crossdesk.projects.tests.factories import ProjectDepartmentFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/workbench"


def _overdue(request) -> None:
    # The deadline sweep sets this flag; here the workbench is what is under test.
    RequestInvolvement.objects.filter(request=request).update(is_overdue=True)
    Request.objects.filter(pk=request.pk).update(is_overdue=True)


def _running_project(personas, *, tasks: int):
    project = ProjectFactory.create(
        status=ProjectStatus.RUNNING, initiating_department=personas.cs, lead=personas.cs_head
    )
    part = ProjectDepartmentFactory.create(
        project=project, department=personas.cs, liaison=personas.cs_liaison
    )
    for _ in range(tasks):
        TaskFactory.create(
            responsible=part,
            owner=personas.cs_liaison,
            planned_start=date(2026, 1, 2),
            planned_finish=date(2026, 1, 5),
        )
    return project


def test_the_api_lists_what_waits_for_me_across_records(client_for, personas):
    request = requests.submitted(personas)
    _running_project(personas, tasks=2)
    body = client_for(personas.cs_liaison).get(API).json()
    kinds = [item["kind"] for item in body["items"]]
    assert "respond" in kinds and kinds.count("task") == 2
    respond = next(item for item in body["items"] if item["kind"] == "respond")
    assert respond["url"] == request.get_absolute_url() and respond["number"] == request.number
    assert respond["title"] == request.title and respond["overdue"] is False
    tasks = [item for item in body["items"] if item["kind"] == "task"]
    assert all(item["overdue"] for item in tasks)
    # Overdue first.
    assert body["items"][0]["overdue"] is True


def test_what_i_raised_shows_where_it_stands(client_for, personas):
    request = requests.submitted(personas)
    body = client_for(personas.mkt_staff).get(API).json()
    (raised,) = body["raised"]
    assert raised["name"] == "requests" and raised["total"] == 1
    assert raised["items"][0]["url"] == request.get_absolute_url()
    assert raised["items"][0]["label"] == "已提交"
    page = client_for(personas.mkt_staff).get(reverse("core:workbench")).content.decode()
    assert "我发起的" in page and request.title in page


def test_a_supervisor_sees_the_overdue_requests_of_the_departments_supervised(client_for, personas):
    for _ in range(3):
        _overdue(requests.submitted(personas))
    requests.submitted(personas)  # not overdue: not counted
    response = client_for(personas.supervisor).get(reverse("core:workbench"))
    page = response.content.decode()
    assert "目前没有待您处理的事项" not in page
    assert "客户服务部 · 逾期协作请求" in page
    body = client_for(personas.supervisor).get(API).json()
    (cs,) = [found for found in body["departments"] if found["name"] == "requests-CS"]
    assert cs["total"] == 3 and len(cs["items"]) == 3
    assert all(item["overdue"] for item in cs["items"])
    assert "overdue=true" in cs["more_url"] and "department=CS" in cs["more_url"]
    # The link shows exactly those requests.
    listed = client_for(personas.supervisor).get(cs["more_url"]).content.decode()
    assert re.search(r'data-testid="request-count">\D*3\D', listed)


def test_a_head_sees_the_late_tasks_of_the_department(client_for, personas):
    _running_project(personas, tasks=2)
    body = client_for(personas.cs_head).get(API).json()
    (tasks,) = [found for found in body["departments"] if found["name"] == f"tasks-{personas.cs.pk}"]
    assert tasks["total"] == 2 and {item["kind"] for item in tasks["items"]} == {"overdue_task"}


def test_someone_with_nothing_to_do_gets_empty_lists(client_for, personas):
    body = client_for(personas.outsider).get(API).json()
    assert body == {"items": [], "raised": [], "departments": []}


def test_anonymous_callers_are_refused(client):
    assert client.get(API).status_code == 401


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as found:
        assert client.get(API).status_code == 200
    return len(found)


def test_the_query_count_does_not_grow_with_the_items(client_for, personas):
    client = client_for(personas.supervisor)
    _overdue(requests.submitted(personas))
    _running_project(personas, tasks=1)
    few = _queries(client)
    for _ in range(4):
        _overdue(requests.submitted(personas))
    _running_project(personas, tasks=4)
    assert _queries(client) == few


def test_a_project_lead_sees_the_coordinations_and_the_retrospective_due(client_for, personas):
    from django.utils import timezone

    from crossdesk.projects.choices import TaskHealth
    from crossdesk.projects.models import Coordination, Retrospective

    running = _running_project(personas, tasks=1)
    task = running.tasks.get()
    now = timezone.now()
    Coordination.objects.create(
        task=task, project=running, trigger=TaskHealth.OVERDUE, opened_at=now, due_at=now - timedelta(hours=1)
    )
    closing = ProjectFactory.create(status=ProjectStatus.CLOSING, lead=personas.cs_head)
    Retrospective.objects.create(project=closing, due_at=now + timedelta(days=5))
    body = client_for(personas.cs_head).get(API).json()
    found = {item["kind"]: item for item in body["items"]}
    assert (
        found["coordination"]["overdue"] is True and found["coordination"]["url"] == task.get_absolute_url()
    )
    assert found["retrospective"]["overdue"] is False
    assert found["retrospective"]["label"] == "撰写项目复盘"
