"""Close API and pages: retrospective, archive list, knowledge base search."""

from __future__ import annotations

import pytest
import time_machine

from crossdesk.projects.models import Lesson
from crossdesk.projects.services import charter

from .factories import LessonFactory, at, count_queries, running_with_task

pytestmark = pytest.mark.django_db


def test_write_submit_and_archive_through_the_api(personas, client_for):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project, _task = running_with_task(personas)
        charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk, reason="提前结项")
        client = client_for(personas.mkt_head)
        retro = client.get(f"/api/v1/projects/{project.pk}/retrospective").json()
        # Thu 24 Sep + 5 working days, 10:00 in Shanghai (the API gives the local offset)
        assert retro["status"] == "draft" and retro["due_at"] == "2026-10-09T10:00:00+08:00"
        saved = client.put(
            f"/api/v1/projects/{project.pk}/retrospective",
            {
                "went_well": "周会有效",
                "to_improve": "变更同步慢",
                "version": retro["version"],
                "lessons": [{"title": "需求变更评审", "body": "变更先评审再开发", "tags": ["需求变更"]}],
            },
            content_type="application/json",
        )
        assert saved.status_code == 200 and len(saved.json()["lessons"]) == 1
        assert (
            client_for(personas.cs_liaison)
            .post(f"/api/v1/projects/{project.pk}/retrospective/submit", {}, content_type="application/json")
            .status_code
            == 403
        )
        client = client_for(personas.mkt_head)  # the test client was logged in as the liaison just above
        done = client.post(
            f"/api/v1/projects/{project.pk}/retrospective/submit", {}, content_type="application/json"
        )
        assert done.status_code == 200, done.content
        assert done.json()["status"] == "final"
        again = client.put(
            f"/api/v1/projects/{project.pk}/retrospective",
            {"went_well": "x"},
            content_type="application/json",
        )
        assert again.status_code == 409
        charter.project_archive(actor=personas.mkt_head.user, project_id=project.pk)
    archive = client_for(personas.cs_staff).get(f"/api/v1/projects/{project.pk}/archive-list").json()
    assert archive["stored"] is True and archive["retain_until"] == "2028-09-24"
    assert {"charter", "retrospective"} <= {i["kind"] for i in archive["items"]}
    page = client_for(personas.cs_staff).get(f"/projects/{project.pk}/archive/")
    assert page.status_code == 200 and "@media print" in page.content.decode()
    kb = client_for(personas.outsider).get("/api/v1/projects/knowledge-base?q=需求变更").json()
    assert kb["count"] == 1 and kb["items"][0]["project_number"] == project.number


def test_the_knowledge_base_searches_chinese_paginates_and_hides_confidential_projects(personas, client_for):
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        from django.utils import timezone

        for n in range(25):
            lesson = LessonFactory(
                title=f"物流赔付经验{n}", tags=["物流"], tags_text="物流", published_at=timezone.now()
            )
            lesson.departments.add(personas.log)
        LessonFactory(title="未发布的草稿", lesson="物流")
        from crossdesk.projects.tests.factories import ProjectFactory

        secret = ProjectFactory(confidential=True, status="closed", initiating_department=personas.fin)
        LessonFactory(title="保密项目经验：物流", project=secret, published_at=timezone.now())
    client = client_for(personas.cs_staff)
    first = client.get("/api/v1/projects/knowledge-base?q=物流").json()
    assert first["count"] == 25 and first["pages"] == 2 and len(first["items"]) == 20
    assert (
        client.get("/api/v1/projects/knowledge-base?q=物流&page=2")
        .json()["items"][-1]["title"]
        .startswith("物流赔付经验")
    )
    assert (
        client.get(f"/api/v1/projects/knowledge-base?q=物流&department={personas.cs.pk}").json()["count"] == 0
    )
    assert client_for(personas.admin_user).get("/api/v1/projects/knowledge-base?q=保密").json()["count"] == 1
    one = count_queries(lambda: client.get("/projects/knowledge-base/?q=物流"))
    Lesson.objects.filter(title__startswith="物流赔付").update(tags_text="物流 赔付")
    page = client.get("/projects/knowledge-base/?q=赔付")
    assert page.status_code == 200 and "物流赔付经验" in page.content.decode()
    assert count_queries(lambda: client.get("/projects/knowledge-base/?q=物流")) == one
