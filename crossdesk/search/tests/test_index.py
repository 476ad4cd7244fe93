"""The index follows the records in their own transaction and matches Chinese in any order."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from crossdesk.collaboration.tests import factories as requests
from crossdesk.meetings.tests import factories as meetings
from crossdesk.org.tests.factories import DepartmentFactory
from crossdesk.projects.tests import factories as projects
from crossdesk.search.models import SearchDocument
from crossdesk.search.selectors import SearchParams, search

pytestmark = pytest.mark.django_db


def found(user, q, **params):
    return [(h.kind, h.id) for h in search(user=user, params=SearchParams(q=q, **params)).items]


def test_it_finds_a_request_by_its_words_in_any_order_and_spacing(personas):
    request = requests.submitted(personas)
    user = personas.mkt_staff.user
    for q in ("物流延迟", "延迟 物流", "延迟物流", "物流  的 延迟", "客户 投诉"):
        assert ("request", request.pk) in found(user, q), q
    assert found(user, "财务报销") == []


def test_mixed_chinese_latin_and_numbers_match(personas):
    request = requests.submitted(personas, related_matter="XMB-2026-089 A9机型 Q3备货")
    user = personas.mkt_staff.user
    for q in ("XMB-2026-089", "xmb 2026 089", "A9", "q3", "A9 备货", request.number):
        assert ("request", request.pk) in found(user, q), q


def test_it_finds_people_and_departments_by_name_code_and_title(personas):
    user = personas.outsider.user
    assert ("person", personas.mkt_staff.pk) in found(user, "张伟")
    assert ("person", personas.cs_liaison.pk) in found(user, "客服主管")
    assert ("department", personas.cs.pk) in found(user, "客户服务部")
    assert ("department", personas.log.pk) in found(user, "LOG")


def test_a_person_s_name_finds_the_requests_they_raised(personas):
    request = requests.submitted(personas)
    assert ("request", request.pk) in found(personas.cs_liaison.user, "张伟", kind="request")


def test_resolutions_log_entries_and_attachment_names_are_searched(personas):
    request = requests.resolved(personas)
    user = personas.mkt_staff.user
    assert ("request", request.pk) in found(user, "仓库系统 确认收货")
    document = SearchDocument.objects.get(object_type="collaboration.request", object_id=request.pk)
    assert document.status == "resolved"
    assert document.extra["resolution"] == "已修复仓库系统并完成配送，客户已确认收货"
    assert document.extra["solved_by"] == [personas.cs.name]


def test_meetings_are_found_by_agenda_and_minutes(personas):
    meeting = meetings.with_minutes(personas)
    user = personas.mkt_staff.user
    assert ("meeting", meeting.pk) in found(user, "问题原因分析")
    assert ("meeting", meeting.pk) in found(user, "服务器升级 预算")
    assert ("meeting", meeting.pk) in found(user, "3楼 会议室")


def test_projects_are_found_by_charter_tasks_and_lessons(personas):
    project = projects.project_rows(personas, status="running", name="仓储自动化改造")
    projects.TaskFactory(responsible=projects.part(project, personas.cs), title="分拣线扫码枪选型")
    projects.LessonFactory(project=project, title="供应商交期风险", lesson="提前锁定扫码枪供应商")
    user = personas.mkt_staff.user
    assert ("project", project.pk) in found(user, "仓储自动化")
    assert ("project", project.pk) in found(user, "扫码枪 选型")
    assert ("project", project.pk) in found(user, "供应商 交期")


def test_the_document_is_written_in_the_change_s_own_transaction(personas):
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        request = requests.submitted(personas, title="仓库盘点差异复核")
        # Before any commit, inside the same transaction: already searchable.
        assert ("request", request.pk) in found(personas.mkt_staff.user, "盘点差异")
        raise Abandon
    assert not SearchDocument.objects.filter(object_type="collaboration.request").exists()


def test_a_draft_is_not_searched_until_submitted(personas):
    draft = requests.draft(personas, title="季度营销预算草稿")
    assert found(personas.mkt_staff.user, "营销预算") == []
    from crossdesk.collaboration import services

    services.request_submit(actor=personas.mkt_staff.user, request_id=draft.pk)
    assert ("request", draft.pk) in found(personas.mkt_staff.user, "营销预算")


def test_a_deleted_record_leaves_the_index(personas):
    department = DepartmentFactory.create(code="QA", name="质量管理部")
    assert ("department", department.pk) in found(personas.outsider.user, "质量管理部")
    department.delete()
    assert not SearchDocument.objects.filter(object_type="org.department", object_id=department.pk).exists()


def test_reindex_rebuilds_everything_with_progress(personas):
    request = requests.submitted(personas)
    before = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert SearchDocument.objects.count() == before
    assert "collaboration.request: 1/1" in out.getvalue()
    assert f"{before} documents indexed" in out.getvalue()
    assert ("request", request.pk) in found(personas.mkt_staff.user, "物流 延迟")


def test_reindex_removes_documents_of_records_gone(personas):
    SearchDocument.objects.create(
        object_type="collaboration.request", object_id=999999, kind="request", title="幽灵", url="/x/"
    )
    call_command("reindex", "collaboration.request", stdout=io.StringIO())
    assert not SearchDocument.objects.filter(object_id=999999).exists()


def test_reindex_refuses_an_unknown_type():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown record type"):
        call_command("reindex", "nope.model", stdout=io.StringIO())


def test_a_person_is_found_by_the_departments_they_belong_to(personas):
    hits = found(personas.outsider.user, "物流部", kind="person")
    assert hits == [("person", personas.log_head.pk)]
