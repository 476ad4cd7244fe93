"""Deliverables API and pages: multipart submission, review, downloads for allowed viewers."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.projects.services import delivery

from .factories import at, count_queries, pdf, running_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        yield


def test_submit_return_and_download_through_the_api(personas, client_for):
    project, task = running_with_task(personas, planned_start="2026-09-30")
    created = client_for(personas.cs_staff).post(
        f"/api/v1/projects/tasks/{task.pk}/deliverables", {}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["actions"] == ["submit"]
    did = created.json()["id"]
    submitted = client_for(personas.cs_staff).post(
        f"/api/v1/projects/deliverables/{did}/submit", {"files": [pdf()], "note": "V1"}
    )
    assert submitted.status_code == 200, submitted.content
    evidence_url = submitted.json()["rounds"][0]["evidence"][0]["url"]
    returned = client_for(personas.mkt_staff).post(
        f"/api/v1/projects/deliverables/{did}/return",
        {"comment": "缺少物流类投诉"},
        content_type="application/json",
    )
    body = returned.json()
    assert returned.status_code == 200 and body["status"] == "returned"
    assert body["rework_due_at"] == "2026-10-10T10:00:00+08:00"  # the local offset, Asia/Shanghai
    assert client_for(personas.outsider).get(evidence_url).status_code == 404
    download = client_for(personas.log_head).get(evidence_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    page = client_for(personas.log_head).get(
        f"/projects/{project.pk}/evidence/{body['rounds'][0]['evidence'][0]['id']}/"
    )
    assert page.status_code == 200


def test_a_bad_upload_is_a_400_naming_the_field(personas, client_for):
    _project, task = running_with_task(personas, planned_start="2026-09-30")
    d = delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={})
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(personas.cs_staff).post(
        f"/api/v1/projects/deliverables/{d.pk}/submit", {"files": [SimpleUploadedFile("a.exe", b"MZ")]}
    )
    assert response.status_code == 400 and response.json()["field"] == "files"


def test_the_list_endpoint_and_page_keep_a_constant_query_count(personas, client_for):
    project, task = running_with_task(personas, planned_start="2026-09-30")
    client = client_for(personas.mkt_head)

    def one_round():
        d = delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={})
        delivery.deliverable_submit(
            actor=personas.cs_staff.user, deliverable_id=d.pk, files=[pdf(), pdf("b.pdf")]
        )
        delivery.deliverable_return(actor=personas.mkt_staff.user, deliverable_id=d.pk, comment="补充")

    one_round()
    api_one = count_queries(lambda: client.get(f"/api/v1/projects/{project.pk}/deliverables"))
    page_one = count_queries(lambda: client.get(f"/projects/{project.pk}/deliverables/"))
    one_round()
    one_round()
    assert count_queries(lambda: client.get(f"/api/v1/projects/{project.pk}/deliverables")) == api_one
    assert count_queries(lambda: client.get(f"/projects/{project.pk}/deliverables/")) == page_one
    assert len(client.get(f"/api/v1/projects/{project.pk}/deliverables").json()) == 3


def test_the_review_form_on_the_page(personas, client_for):
    project, task = running_with_task(personas, planned_start="2026-09-30")
    d = delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={})
    response = client_for(personas.cs_staff).post(
        f"/projects/{project.pk}/deliverables/{d.pk}/submit/", {"files": [pdf()]}
    )
    assert response.status_code == 303
    client = client_for(personas.mkt_staff)
    page = client.get(f"/projects/{project.pk}/deliverables/{d.pk}/")
    assert page.status_code == 200 and task.delivery_standard in page.content.decode()
    client.post(f"/projects/{project.pk}/deliverables/{d.pk}/accept/", {"comment": "通过"})
    d.refresh_from_db()
    assert d.status == "accepted"
