"""Change request API and pages."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.projects.models import ChangeRequest
from crossdesk.projects.services import changes

from .factories import at, count_queries, running_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        yield


def data(task, **overrides):
    d = {
        "title": "延期一周",
        "aspects": ["dates"],
        "description": "延期",
        "reason": "国庆假期",
        "impact": "顺延",
        "proposal": {"tasks": [{"task": task.code, "planned_finish": "2026-10-23"}]},
    }
    d.update(overrides)
    return d


def test_raise_decide_and_compare_versions_through_the_api(personas, client_for):
    project, task = running_with_task(personas)
    raised = client_for(personas.cs_liaison).post(
        f"/api/v1/projects/{project.pk}/changes", data(task), content_type="application/json"
    )
    assert raised.status_code == 201, raised.content
    change = raised.json()
    assert [a["department_name"] for a in change["approvals"]] == ["客户服务部"]
    no_reason = client_for(personas.cs_head).post(
        f"/api/v1/projects/changes/{change['id']}/decide",
        {"decision": "rejected"},
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "comment"
    wrong = client_for(personas.log_head).post(
        f"/api/v1/projects/changes/{change['id']}/decide",
        {"decision": "approved"},
        content_type="application/json",
    )
    assert wrong.status_code == 403
    ok = client_for(personas.cs_head).post(
        f"/api/v1/projects/changes/{change['id']}/decide",
        {"decision": "approved", "version": 1},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    versions = client_for(personas.outsider).get(f"/api/v1/projects/{project.pk}/plan-versions")
    assert versions.status_code == 404
    client = client_for(personas.log_head)
    numbers = [v["number"] for v in client.get(f"/api/v1/projects/{project.pk}/plan-versions").json()]
    assert numbers == [1, 2, 3]
    diff = client.get(f"/api/v1/projects/{project.pk}/plan-versions/2/diff/3").json()
    assert diff == [
        {"what": "task", "key": "T01", "field": "planned_finish", "old": "2026-10-16", "new": "2026-10-23"}
    ]
    page = client.get(f"/projects/{project.pk}/plan-versions/3/")
    assert page.status_code == 200 and "2026-10-23" in page.content.decode()


def test_the_list_endpoint_and_page_keep_a_constant_query_count(personas, client_for):
    project, task = running_with_task(personas)
    client = client_for(personas.mkt_head)
    changes.change_request_raise(actor=personas.cs_liaison.user, project_id=project.pk, data=data(task))
    api_one = count_queries(lambda: client.get(f"/api/v1/projects/{project.pk}/changes"))
    page_one = count_queries(lambda: client.get(f"/projects/{project.pk}/changes/"))
    for n in range(2):
        changes.change_request_raise(
            actor=personas.cs_liaison.user,
            project_id=project.pk,
            data=data(task, title=f"变更{n}", departments=["LOG", "MKT"]),
        )
    assert count_queries(lambda: client.get(f"/api/v1/projects/{project.pk}/changes")) == api_one
    assert count_queries(lambda: client.get(f"/projects/{project.pk}/changes/")) == page_one
    assert len(client.get(f"/api/v1/projects/{project.pk}/changes?status=submitted").json()) == 3


def test_the_heads_decide_on_the_page(personas, client_for):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=data(task)
    )
    client = client_for(personas.cs_head)
    page = client.get(f"/projects/{project.pk}/changes/{change.pk}/")
    assert page.status_code == 200 and "批准" in page.content.decode()
    response = client.post(
        f"/projects/{project.pk}/changes/{change.pk}/decide/",
        {"decision": "rejected", "comment": "资源可调配", "department": personas.cs.pk},
    )
    assert response.status_code == 303
    change.refresh_from_db()
    assert change.status == "rejected"


def test_pending_changes_are_listed_on_the_dashboard(personas, client_for):
    project, task = running_with_task(personas)
    changes.change_request_raise(actor=personas.cs_liaison.user, project_id=project.pk, data=data(task))
    page = client_for(personas.cs_head).get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="pending-changes"' in html and "CR-01 延期一周" in html


def test_the_api_and_the_page_report_a_broken_signature(personas, client_for):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=data(task)
    )
    changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")
    client = client_for(personas.mkt_head)
    url = f"/api/v1/projects/{project.pk}/changes/{change.pk}"
    assert client.get(url).json()["broken_signatures"] == []
    ChangeRequest._base_manager.filter(pk=change.pk).update(reason="另有原因")
    assert client.get(url).json()["broken_signatures"] == ["客户服务部"]
    page = client.get(f"/projects/{project.pk}/changes/{change.pk}/").content.decode()
    assert 'data-testid="broken-signatures"' in page


def test_another_projects_change_answers_404_under_this_projects_address(personas, client_for):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=data(task)
    )
    client = client_for(personas.cs_head)
    response = client.post(
        f"/projects/{project.pk + 1000}/changes/{change.pk}/decide/", {"decision": "approved"}
    )
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == "submitted"
