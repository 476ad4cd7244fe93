"""The projects API: the same services and checks as the pages (403 wrong person, 409 wrong
moment, 400/422 naming the field, 404 for what the caller may not see), constant queries."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import add_task, at, charter_data, draft_project, running_project

pytestmark = pytest.mark.django_db

BASE = "/api/v1/projects/"


def test_it_creates_a_project_and_reports_the_smart_check(personas, client_for):
    client = client_for(personas.mkt_head)
    data = charter_data(personas, goal_metrics=[{"metric": "满意度", "target": "4.5"}])
    response = client.post(BASE, data, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("XM-")
    assert body["smart_problems"] and "基线" in body["smart_problems"][0]
    assert {p["department"]["code"]: p["liaison"]["id"] for p in body["participants"]}[
        "CS"
    ] == personas.cs_liaison.pk
    response = client.post(
        f"{BASE}{body['id']}/kickoff", {"starts_at": "2026-12-01T10:00"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "基线" in response.json()["message"]


def test_bad_input_names_the_field(personas, client_for):
    client = client_for(personas.mkt_head)
    data = charter_data(personas)
    data["participants"][1]["liaison"] = personas.outsider.pk
    response = client.post(BASE, data, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "participants[1].liaison"
    response = client.post(BASE, {"name": "x"}, content_type="application/json")
    assert response.status_code == 422


def test_an_outsider_gets_404_and_a_participant_403_on_the_charter(personas, client_for):
    project = draft_project(personas)
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        running = running_project(personas, name="新产品上市")
    assert client_for(personas.outsider).get(f"{BASE}{running.pk}").status_code == 404
    client = client_for(personas.cs_liaison)
    assert client.get(f"{BASE}{running.pk}").status_code == 200
    response = client.patch(
        f"{BASE}{running.pk}", {"version": running.version, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert project.pk  # the draft is not listed for the outsider either
    assert client_for(personas.outsider).get(BASE).json()["count"] == 0


def test_a_stale_version_is_a_409(personas, client_for):
    project = draft_project(personas)
    client = client_for(personas.mkt_head)
    ok = client.patch(
        f"{BASE}{project.pk}", {"version": 1, "name": "客户投诉快速响应一期"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"{BASE}{project.pk}", {"version": 1, "name": "x"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["field"] == "version"


def test_the_list_keeps_a_constant_query_count(personas, client_for):
    client = client_for(personas.mkt_head)
    draft_project(personas)
    client.get(BASE)  # warm the per-process caches (content types, calendar)
    with CaptureQueriesContext(connection) as one:
        assert client.get(BASE).status_code == 200
    for n in range(4):
        project = draft_project(personas, name=f"数据模板统一{n}")
        add_task(personas, project)
    with CaptureQueriesContext(connection) as five:
        assert client.get(BASE).json()["count"] == 5
    assert len(five) == len(one)


def test_tasks_raci_and_progress_through_the_api(personas, client_for):
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        project = running_project(personas)
        lead = client_for(personas.mkt_head)
        response = lead.post(
            f"{BASE}{project.pk}/tasks",
            {
                "title": "输出需求文档",
                "responsible": "CS",
                "owner": personas.cs_staff.pk,
                "planned_start": "2026-09-21",
                "planned_finish": "2026-10-16",
                "delivery_standard": "需求文档包含用户画像、功能优先级",
                "collaborators": ["LOG"],
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        task = response.json()
        assert task["no_accountable"] is True
        grid = lead.get(f"{BASE}{project.pk}/raci").json()
        assert grid["tasks_without_a"] == [task["id"]]
        mkt = next(p for p in grid["participants"] if p["department"]["code"] == "MKT")
        response = lead.put(
            f"{BASE}{project.pk}/tasks/{task['id']}/raci",
            {"participation": mkt["id"], "role": "A", "version": task["version"]},
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["no_accountable"] is False
        owner = client_for(personas.cs_staff)
        response = owner.post(
            f"{BASE}{project.pk}/tasks/{task['id']}/progress",
            {"progress": 40, "note": "初稿完成"},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["status"] == "in_progress"
        refused = client_for(personas.log_head).post(
            f"{BASE}{project.pk}/tasks/{task['id']}/progress",
            {"progress": 50},
            content_type="application/json",
        )
        assert refused.status_code == 403
        assert lead.get(f"{BASE}{project.pk}/gantt").json()[0]["code"] == "T01"
        assert lead.get(f"{BASE}{project.pk}/tasks/999999").status_code == 404


def test_problems_and_weekly_reports_through_the_api(personas, client_for):
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        project = running_project(personas)
        task = add_task(personas, project, planned_start="2026-09-30", planned_finish="2026-10-16")
        owner = client_for(personas.cs_staff)
        response = owner.post(
            f"{BASE}{project.pk}/tasks/{task.pk}/problems",
            {"description": "接口不可用", "blocking": True},
            content_type="application/json",
        )
        assert response.status_code == 201
        detail = owner.get(f"{BASE}{project.pk}/tasks/{task.pk}").json()
        assert detail["health"] == "blocked" and detail["coordinations"][0]["status"] == "open"
        lead = client_for(personas.mkt_head)
        report = lead.post(f"{BASE}{project.pk}/weekly-reports").json()
        listed = lead.get(f"{BASE}{project.pk}/weekly-reports").json()
        assert [r["id"] for r in listed] == [report["id"]]
        assert client_for(personas.outsider).get(f"{BASE}{project.pk}/weekly-reports").status_code == 404


def test_status_moves_through_the_api(personas, client_for):
    with time_machine.travel(at(2026, 9, 14, 9), tick=False):
        project = running_project(personas)
    client = client_for(personas.mkt_head)
    assert client.post(f"{BASE}{project.pk}/archive", {}, content_type="application/json").status_code == 409
    response = client.post(f"{BASE}{project.pk}/closing", {"reason": ""}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closing"
    response = client.post(f"{BASE}{project.pk}/close", {}, content_type="application/json")
    assert response.status_code == 409  # no final retrospective yet
    history = client.get(f"{BASE}{project.pk}/history").json()
    assert [e["to_status"] for e in history if e["kind"] == "transition"] == [
        "kicked_off",
        "running",
        "closing",
    ]
