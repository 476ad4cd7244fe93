import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from crossdesk.collaboration import services
from crossdesk.collaboration.choices import PartStatus, RequestStatus
from crossdesk.collaboration.models import Attachment, Request, TimelineEntry
from crossdesk.deadlines.models import Clock, TimePolicy

from . import factories

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"collaboration:{name}", args=args)


def part_of(request, department):
    return request.parts.get(department=department)


def body(response) -> str:
    return response.content.decode()


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def draft_form(personas, **overrides) -> dict:
    data = {
        "initiating_department": personas.mkt.pk,
        "initiator_phone": "8001",
        "urgency": "urgent",
        "type": "complaint",
        "type_other": "",
        "title": "客户订单物流延迟投诉",
        "background": "客户反馈订单物流延迟3天",
        "current_situation": "仓库系统故障导致分拣异常",
        "expected_outcome": "24小时内完成配送并告知客户",
        "receiving_departments": [personas.cs.pk],
        "informed_departments": [personas.fin.pk],
        "resources_people": "",
        "resources_budget": "",
        "resources_material": "",
        "expected_completion_at": local_input(timezone.now() + timedelta(days=7)),
        "related_matter": "2024年客户满意度提升项目",
    }
    data.update(overrides)
    return data


def attach(personas, request, name="截图.png", content=b"\x89PNG fake", who=None):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    who = who or personas.mkt_staff
    return services.attachment_add(actor=who.user, request_id=request.pk, upload=upload)


class TestPagesInChinese:
    def test_the_inbox_lists_my_departments_requests_in_chinese(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(url("list"))
        assert response.status_code == 200
        assert "协作请求" in body(response) and "发起请求" in body(response)
        assert request.number in body(response)
        assert "普通" in body(response) and "已提交" in body(response)

    def test_the_new_form_follows_the_sections_of_the_paper_template(self, client_for, personas):
        response = client_for(personas.mkt_staff).get(url("new"))
        assert response.status_code == 200
        text = body(response)
        for words in (
            "跨部门协作沟通与问题反馈表",
            "基本信息",
            "协作/问题描述",
            "涉及部门",
            "资源需求",
            "期望完成时间",
        ):
            assert words in text
        assert "普通" in text and "紧急" in text and "特急" in text
        assert "张伟" in text  # the initiator, prefilled
        assert "背景" in text and "现状" in text and "期望" in text
        # Receiving departments exclude the initiator's own.
        assert f'name="receiving_departments" value="{personas.cs.pk}"' in text
        assert f'name="receiving_departments" value="{personas.mkt.pk}"' not in text

    def test_the_request_page_shows_number_badges_countdown_and_parts(self, client_for, personas):
        request = factories.submitted(personas, urgency="critical")
        response = client_for(personas.cs_liaison).get(url("detail", request.pk))
        assert response.status_code == 200
        text = body(response)
        assert request.number in text
        assert 'data-testid="status-badge"' in text and "特急" in text
        assert 'data-testid="countdown"' in text and "剩" in text
        assert 'data-testid="part-CS"' in text and "需协作" in text
        assert "知晓" in text  # the informed department's role
        assert 'data-testid="deadline-badge"' in text

    def test_the_workbench_lists_what_waits_for_me(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.cs_liaison).get(reverse("core:workbench"))
        text = body(response)
        assert response.status_code == 200
        assert request.number in text
        assert 'data-what="respond"' in text and "待响应" in text
        assert 'data-testid="deadline-badge"' in text
        assert 'data-testid="my-roles"' in text

    def test_the_pages_switch_to_english(self, client_for, personas):
        request = factories.resolved(personas)
        client = client_for(personas.mkt_staff)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert "Confirm and rate" in body(client.get(url("detail", request.pk)))
        assert "Collaboration requests" in body(client.get(url("list")))
        assert "Basic information" in body(client.get(url("new")))

    def test_the_workbench_says_when_nothing_waits(self, client_for, personas):
        response = client_for(personas.outsider).get(reverse("core:workbench"))
        assert 'data-testid="workbench-empty"' in body(response)


class TestOnlyAllowedActionsShow:
    def test_the_receiving_head_sees_the_response_actions_only(self, client_for, personas):
        request = factories.submitted(personas)
        text = body(client_for(personas.cs_head).get(url("detail", request.pk)))
        for action in ("accept", "decline", "request_info", "name_liaison", "log"):
            assert f'data-testid="action-{action}"' in text
        for action in ("confirm", "cancel", "archive", "sign", "sign_initiator", "resolve", "edit"):
            assert f'data-testid="action-{action}"' not in text

    def test_the_initiating_head_sees_only_the_signature_once_confirmed(self, client_for, personas):
        request = factories.confirmed(personas)
        text = body(client_for(personas.mkt_head).get(url("detail", request.pk)))
        assert 'data-testid="action-sign_initiator"' in text
        for action in ("confirm", "reopen", "accept", "sign", "archive", "cancel"):
            assert f'data-testid="action-{action}"' not in text

    def test_the_initiator_confirms_or_reopens_a_resolved_request(self, client_for, personas):
        request = factories.resolved(personas)
        text = body(client_for(personas.mkt_staff).get(url("detail", request.pk)))
        assert 'data-testid="action-confirm"' in text and 'data-testid="action-reopen"' in text
        assert "非常满意" in text
        assert 'data-testid="action-accept"' not in text

    def test_cancel_and_archive_ask_before_sending(self, client_for, personas):
        request = factories.submitted(personas)
        text = body(client_for(personas.mkt_staff).get(url("detail", request.pk)))
        assert 'data-testid="action-cancel"' in text
        assert "hx-confirm=" in text

    def test_an_archived_request_is_read_only_with_a_banner(self, client_for, personas):
        request = factories.signed(personas)
        services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)
        text = body(client_for(personas.mkt_staff).get(url("detail", request.pk)))
        assert 'data-testid="archived-banner"' in text and "只读" in text
        assert 'data-testid="actions"' not in text


class TestOutsiders:
    def test_an_outsider_gets_404_on_a_request_they_may_not_see(self, client_for, personas):
        request = factories.submitted(personas)
        assert client_for(personas.outsider).get(url("detail", request.pk)).status_code == 404

    def test_someone_elses_draft_is_not_found(self, client_for, personas):
        draft = factories.draft(personas)
        assert client_for(personas.mkt_head).get(url("edit", draft.pk)).status_code == 404
        assert client_for(personas.mkt_head).get(url("detail", draft.pk)).status_code == 404

    def test_an_outsider_gets_404_on_an_action_and_nothing_changes(self, client_for, personas):
        # A request the outsider may not see is "not found" on writes too (issue 16 §1).
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        client = client_for(personas.outsider)
        response = client.post(url("action", request.pk, "log"), {"content": "我来看看"})
        assert response.status_code == 404
        response = client.post(
            url("part_action", request.pk, part.pk, "decline"),
            {"reason": "不归我们管", "alternative": "找别人"},
        )
        assert response.status_code == 404
        assert part_of(request, personas.cs).status == PartStatus.PENDING
        assert not TimelineEntry.objects.filter(request=request, kind="log").exists()


class TestActions:
    def test_accepting_names_the_liaison_and_commits_a_date(self, client_for, personas):
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        committed = timezone.now() + timedelta(days=3)
        response = client_for(personas.cs_head).post(
            url("part_action", request.pk, part.pk, "accept"),
            {"liaison": personas.cs_staff.pk, "committed_at": local_input(committed), "note": "今天安排"},
        )
        assert response.status_code == 302 and response["Location"] == url("detail", request.pk)
        part.refresh_from_db()
        assert part.status == PartStatus.ACCEPTED and part.liaison == personas.cs_staff
        follow = client_for(personas.cs_head).get(response["Location"])
        assert "已接受" in body(follow)

    def test_bad_input_rerenders_with_the_field_error_and_changes_nothing(self, client_for, personas):
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        response = client_for(personas.cs_liaison).post(
            url("part_action", request.pk, part.pk, "decline"),
            {"reason": "人手不足，本周排满", "alternative": ""},
        )
        assert response.status_code == 400
        text = body(response)
        assert 'data-testid="field-error-alternative"' in text
        assert "人手不足，本周排满" in text  # what was typed is kept
        assert part_of(request, personas.cs).status == PartStatus.PENDING

    def test_a_service_refusal_shows_next_to_its_field(self, client_for, personas):
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        response = client_for(personas.cs_liaison).post(
            url("part_action", request.pk, part.pk, "accept"),
            {
                "liaison": personas.outsider.pk,
                "committed_at": local_input(timezone.now() + timedelta(days=2)),
            },
        )
        assert response.status_code == 400
        assert 'data-testid="field-error-liaison"' in body(response)
        assert "周敏" in body(response)
        assert part_of(request, personas.cs).status == PartStatus.PENDING

    def test_with_htmx_only_the_form_comes_back(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).post(
            url("action", request.pk, "cancel"), {"reason": ""}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 400
        assert body(response).lstrip().startswith("<form") and "<html" not in body(response)
        assert 'data-testid="field-error-reason"' in body(response)

    def test_with_htmx_success_redirects_the_page(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).post(
            url("action", request.pk, "log"), {"content": "已电话确认需求"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200 and response["HX-Redirect"] == url("detail", request.pk)

    def test_an_action_at_the_wrong_moment_answers_409(self, client_for, personas):
        request = factories.accepted(personas)
        part = part_of(request, personas.cs)
        response = client_for(personas.cs_liaison).post(
            url("part_action", request.pk, part.pk, "decline"), {"reason": "不做了", "alternative": "无"}
        )
        assert response.status_code == 409
        assert 'data-testid="action-error"' in body(response)
        assert part_of(request, personas.cs).status == PartStatus.ACCEPTED

    def test_a_correction_links_to_the_entry_it_corrects(self, client_for, personas):
        request = factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        client.post(
            url("action", request.pk, "log"), {"content": "约定周五交付", "participants": "市场部 张伟"}
        )
        first = TimelineEntry.objects.get(request=request, kind="log")
        client.post(url("action", request.pk, "log"), {"content": "更正：周四交付", "corrects_id": first.pk})
        text = body(client.get(url("detail", request.pk)))
        assert f'href="#entry-{first.pk}"' in text and 'data-testid="corrects-link"' in text
        assert "更正" in text

    def test_confirming_records_the_rating(self, client_for, personas):
        request = factories.resolved(personas)
        response = client_for(personas.mkt_staff).post(
            url("action", request.pk, "confirm"), {"satisfaction": "4", "comment": "处理及时", "remarks": ""}
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert (request.status, request.satisfaction) == (RequestStatus.CONFIRMED, 4)

    def test_an_unknown_action_is_not_found(self, client_for, personas):
        request = factories.submitted(personas)
        assert client_for(personas.mkt_staff).post(url("action", request.pk, "explode")).status_code == 404


class TestDrafts:
    def test_the_first_save_creates_a_draft_and_moves_to_its_edit_page(self, client_for, personas):
        response = client_for(personas.mkt_staff).post(url("new"), draft_form(personas, save="1"))
        draft = Request.objects.get()
        assert response.status_code == 302 and response["Location"] == url("edit", draft.pk)
        assert draft.status == RequestStatus.DRAFT and draft.urgency == "urgent"
        assert sorted(draft.parts.values_list("department__code", "role")) == [
            ("CS", "receiving"),
            ("FIN", "informed"),
        ]

    def test_files_can_be_attached_with_the_first_save(self, client_for, personas):
        files = [
            SimpleUploadedFile("现场照片.png", b"\x89PNG fake", content_type="image/png"),
            SimpleUploadedFile("订单明细.xlsx", b"PK fake", content_type="application/octet-stream"),
        ]
        response = client_for(personas.mkt_staff).post(
            url("new"), {**draft_form(personas, save="1"), "uploads": files}
        )
        draft = Request.objects.get()
        assert response.status_code == 302
        assert sorted(draft.attachments.values_list("name", flat=True)) == ["现场照片.png", "订单明细.xlsx"]

    def test_a_refused_file_on_the_first_save_creates_nothing_and_says_which(self, client_for, personas):
        files = [
            SimpleUploadedFile("说明.pdf", b"%PDF-1.4", content_type="application/pdf"),
            SimpleUploadedFile("脚本.exe", b"MZ", content_type="application/octet-stream"),
        ]
        data = {**draft_form(personas, save="1", title="仓库系统故障"), "uploads": files}
        response = client_for(personas.mkt_staff).post(url("new"), data)
        assert response.status_code == 400
        assert 'data-testid="field-error-uploads"' in body(response) and "脚本.exe" in body(response)
        assert 'value="仓库系统故障"' in body(response)
        assert not Request.objects.exists()

    def test_the_new_form_offers_attachments_and_the_edit_form_keeps_its_upload_card(
        self, client_for, personas
    ):
        client = client_for(personas.mkt_staff)
        new = body(client.get(url("new")))
        assert 'enctype="multipart/form-data"' in new and 'name="uploads"' in new
        draft = factories.draft(personas)
        assert 'name="uploads"' not in body(client.get(url("edit", draft.pk)))

    def test_bad_input_on_a_new_request_keeps_what_was_typed_and_saves_nothing(self, client_for, personas):
        data = draft_form(personas, informed_departments=[personas.cs.pk], title="仓库系统故障")
        response = client_for(personas.mkt_staff).post(url("new"), data)
        assert response.status_code == 400
        assert 'data-testid="field-error-informed_departments"' in body(response)
        assert 'value="仓库系统故障"' in body(response)
        assert not Request.objects.exists()

    def test_submitting_an_incomplete_draft_names_the_missing_field(self, client_for, personas):
        draft = factories.draft(personas)
        data = draft_form(personas, background="", version=draft.version, submit_now="1")
        response = client_for(personas.mkt_staff).post(url("edit", draft.pk), data)
        assert response.status_code == 400
        assert 'data-testid="field-error-background"' in body(response)
        assert "客户订单物流延迟投诉" in body(response)
        assert Request.objects.get(pk=draft.pk).status == RequestStatus.DRAFT

    def test_submitting_from_the_form_numbers_the_request(self, client_for, personas):
        draft = factories.draft(personas)
        data = draft_form(personas, version=draft.version, submit_now="1")
        response = client_for(personas.mkt_staff).post(url("edit", draft.pk), data)
        draft.refresh_from_db()
        assert response.status_code == 302 and response["Location"] == url("detail", draft.pk)
        assert draft.status == RequestStatus.SUBMITTED and draft.number.startswith("XMB-")

    def test_the_edit_page_autosaves_with_the_version(self, client_for, personas):
        draft = factories.draft(personas)
        text = body(client_for(personas.mkt_staff).get(url("edit", draft.pk)))
        assert f'hx-post="{url("autosave", draft.pk)}"' in text
        assert 'hx-trigger="input changed delay:1500ms' in text
        assert f'name="version" value="{draft.version}"' in text

    def test_autosave_saves_and_hands_back_the_new_version(self, client_for, personas):
        draft = factories.draft(personas)
        data = draft_form(personas, title="新的主题", version=draft.version)
        response = client_for(personas.mkt_staff).post(
            url("autosave", draft.pk), data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        draft.refresh_from_db()
        assert draft.title == "新的主题"
        assert "已自动保存" in body(response)
        assert f'value="{draft.version}" id="id_version" hx-swap-oob="true"' in body(response)

    def test_autosave_refuses_a_stale_version_and_overwrites_nothing(self, client_for, personas):
        draft = factories.draft(personas)
        stale = draft.version
        services.request_update_draft(
            actor=personas.mkt_staff.user, request_id=draft.pk, data={"title": "另一处的修改"}
        )
        data = draft_form(personas, title="旧页面的修改", version=stale)
        response = client_for(personas.mkt_staff).post(
            url("autosave", draft.pk), data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 409
        assert "有人同时修改了此草稿" in body(response)
        assert "hx-swap-oob" not in body(response)
        assert Request.objects.get(pk=draft.pk).title == "另一处的修改"

    def test_a_submitted_request_is_not_edited(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(url("edit", request.pk))
        assert response.status_code == 302 and response["Location"] == url("detail", request.pk)
        response = client_for(personas.mkt_staff).post(
            url("autosave", request.pk), draft_form(personas, version=request.version)
        )
        assert response.status_code == 409


class TestAttachments:
    def test_people_involved_download_it(self, client_for, personas):
        request = factories.submitted(personas)
        attachment = attach(personas, request, content=b"\x89PNG picture")
        response = client_for(personas.cs_liaison).get(url("attachment", request.pk, attachment.pk))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"\x89PNG picture"
        assert response["Content-Type"] == "image/png"

    def test_a_document_downloads_rather_than_opening_in_the_page(self, client_for, personas):
        request = factories.submitted(personas)
        attachment = attach(personas, request, name="说明.txt", content=b"<script>alert(1)</script>")
        response = client_for(personas.cs_liaison).get(url("attachment", request.pk, attachment.pk))
        assert response["Content-Disposition"].startswith("attachment")

    def test_an_outsider_gets_404(self, client_for, personas):
        request = factories.submitted(personas)
        attachment = attach(personas, request)
        response = client_for(personas.outsider).get(url("attachment", request.pk, attachment.pk))
        assert response.status_code == 404

    def test_an_attachment_of_another_request_is_not_found_here(self, client_for, personas):
        mine = factories.submitted(personas)
        other = factories.submitted(personas, confidential=True, receiving_departments=[personas.log.pk])
        attachment = attach(personas, other)
        response = client_for(personas.cs_liaison).get(url("attachment", mine.pk, attachment.pk))
        assert response.status_code == 404

    def test_uploading_through_the_page(self, client_for, personas):
        request = factories.submitted(personas)
        upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4", content_type="application/pdf")
        response = client_for(personas.cs_liaison).post(url("action", request.pk, "attach"), {"file": upload})
        assert response.status_code == 302
        assert Attachment.objects.get(request=request).name == "方案.pdf"

    def test_a_forbidden_file_type_is_refused_next_to_the_field(self, client_for, personas):
        request = factories.submitted(personas)
        upload = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
        response = client_for(personas.cs_liaison).post(url("action", request.pk, "attach"), {"file": upload})
        assert response.status_code == 400
        assert 'data-testid="field-error-file"' in body(response)
        assert not Attachment.objects.exists()


class TestInboxAndExport:
    def test_the_inbox_defaults_to_my_primary_department(self, client_for, personas):
        to_cs = factories.submitted(personas)
        to_log = factories.submitted(
            personas, receiving_departments=[personas.log.pk], informed_departments=[]
        )
        text = body(client_for(personas.cs_staff).get(url("list")))
        assert to_cs.number in text and to_log.number not in text
        assert f'<option value="{personas.cs.pk}" selected>' in text

    def test_filters_narrow_the_rows(self, client_for, personas):
        normal = factories.submitted(personas)
        urgent = factories.submitted(personas, urgency="urgent")
        text = body(client_for(personas.mkt_staff).get(url("list"), {"urgency": "urgent"}))
        assert urgent.number in text and normal.number not in text

    def test_htmx_asks_for_the_table_only(self, client_for, personas):
        factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(
            url("list"), {"sort": "number"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="request-table"
        )
        assert body(response).lstrip().startswith('<div id="request-table"')

    def test_a_bad_filter_says_which_and_lists_nothing(self, client_for, personas):
        factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(url("list"), {"date_from": "昨天"})
        assert response.status_code == 400
        assert 'data-testid="filter-error"' in body(response)
        assert 'data-testid="request-row"' not in body(response)

    def test_the_empty_state_says_what_to_do_next(self, client_for, personas):
        text = body(client_for(personas.mkt_staff).get(url("list")))
        assert 'data-testid="empty-state"' in text and url("new") in text

    def test_the_inbox_pages_by_25_with_the_total(self, client_for, personas):
        for _i in range(27):
            factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(url("list"))
        assert body(response).count('data-testid="request-row"') == 25
        assert "共 27 条" in body(response)
        second = client_for(personas.mkt_staff).get(url("list"), {"page": 2})
        assert body(second).count('data-testid="request-row"') == 2

    def test_the_export_has_exactly_the_filtered_rows(self, client_for, personas):
        for _i in range(3):
            factories.submitted(personas)
        urgent = [factories.submitted(personas, urgency="urgent") for _i in range(2)]
        response = client_for(personas.mkt_staff).get(url("export"), {"urgency": "urgent"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:5] == ("编号", "主题", "紧急程度", "问题类型", "状态")
        assert sorted(row[0] for row in rows[1:]) == sorted(r.number for r in urgent)
        assert all(row[2] == "紧急" for row in rows[1:])

    def test_a_stored_control_character_or_formula_never_breaks_the_export(self, client_for, personas):
        broken = factories.submitted(personas)
        # PostgreSQL cannot store NUL in text at all; SQLite can, and that is what broke it.
        nul = "\x00" if connection.vendor == "sqlite" else ""
        Request.objects.filter(pk=broken.pk).update(title=f"报价{nul}单\x1b[0m\x07")
        formula = factories.submitted(personas)
        Request.objects.filter(pk=formula.pk).update(title='=HYPERLINK("http://x.example","看")')
        response = client_for(personas.mkt_staff).get(url("export"))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        titles = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
        assert titles[broken.number].value == "报价单[0m"
        assert titles[formula.number].value == '=HYPERLINK("http://x.example","看")'
        assert titles[formula.number].data_type == "s" and titles[formula.number].quotePrefix

    def test_the_export_has_the_rows_of_the_page_and_keeps_types(self, client_for, personas):
        urgent = [factories.submitted(personas, urgency="urgent") for _i in range(2)]
        factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        params = {"urgency": "urgent", "department": ""}
        page = body(client.get(url("list"), params))
        sheet = load_workbook(io.BytesIO(client.get(url("export"), params).content)).active
        exported = list(sheet.iter_rows(min_row=2))
        assert sorted(r[0].value for r in exported) == sorted(r.number for r in urgent)
        assert all(r.number in page for r in urgent)
        assert page.count('data-testid="request-row"') == len(exported)
        assert all(r[7].is_date for r in exported)

    def test_nobody_exports_a_request_they_may_not_see(self, client_for, personas):
        factories.submitted(personas)
        response = client_for(personas.outsider).get(url("export"), {"department": ""})
        assert response.status_code == 200
        assert list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)) == []

    def test_a_bad_filter_refuses_the_export_naming_it(self, client_for, personas):
        response = client_for(personas.mkt_staff).get(url("export"), {"urgency": "whenever"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


class TestQueryCounts:
    """The number of queries of a page does not grow with the rows it shows."""

    def test_the_inbox(self, client_for, personas):
        for _i in range(5):
            factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        queries_for(client, url("list"))  # warm caches (content types, calendar)
        few = queries_for(client, url("list"))
        for _i in range(25):
            factories.submitted(personas, urgency="urgent")
        assert queries_for(client, url("list")) == few

    def test_the_export(self, client_for, personas):
        for _i in range(5):
            factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        queries_for(client, url("export"))
        few = queries_for(client, url("export"))
        for _i in range(25):
            factories.submitted(personas)
        assert queries_for(client, url("export")) == few

    def test_the_workbench(self, client_for, personas):
        for _i in range(5):
            factories.submitted(personas)
        client = client_for(personas.cs_liaison)
        queries_for(client, reverse("core:workbench"))
        few = queries_for(client, reverse("core:workbench"))
        for _i in range(25):
            factories.submitted(personas)
        factories.accepted(personas)
        assert queries_for(client, reverse("core:workbench")) == few

    def test_the_request_page(self, client_for, personas):
        request = factories.accepted(personas)
        first = None
        for i in range(5):
            entry = services.request_log(
                actor=personas.mkt_staff.user,
                request_id=request.pk,
                content=f"第{i}次跟进",
                corrects_id=first,
            )
            first = first or entry.pk
            attach(personas, request)
        client = client_for(personas.cs_liaison)
        queries_for(client, url("detail", request.pk))
        few = queries_for(client, url("detail", request.pk))
        for i in range(25):
            services.request_log(
                actor=personas.cs_liaison.user, request_id=request.pk, content=f"进展{i}", corrects_id=first
            )
            attach(personas, request, who=personas.cs_liaison)
        assert queries_for(client, url("detail", request.pk)) == few


class TestDeadlineBadge:
    """``{% deadline_badge %}``: time left, coloured, the exact moment and the rule on hover."""

    NOW = datetime(2026, 10, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

    def render(self, state="running", **fields) -> str:
        policy = TimePolicy(
            key="request.respond", name="响应", target_amount=Decimal("3"), target_unit="working_days"
        )
        clock = Clock(policy=policy, label="响应：客户服务部", state=state, **fields)
        with time_machine.travel(self.NOW, tick=False), translation.override("zh-hans"):
            return Template("{% load deadlines %}{% deadline_badge clock %}").render(
                Context({"clock": clock})
            )

    def test_plenty_of_time_left_is_green(self):
        html = self.render(
            started_at=self.NOW - timedelta(hours=1), due_at=self.NOW + timedelta(days=2, hours=3)
        )
        assert "text-bg-success" in html and "剩 2 天 3 小时" in html
        assert "2026年10月14日 周三 13:00" in html and "3 个工作日" in html  # on hover

    def test_under_a_quarter_left_is_amber(self):
        html = self.render(started_at=self.NOW - timedelta(hours=10), due_at=self.NOW + timedelta(hours=1))
        assert "text-bg-warning" in html and "剩 1 小时 0 分" in html

    def test_overdue_is_red(self):
        html = self.render(started_at=self.NOW - timedelta(days=1), due_at=self.NOW - timedelta(hours=5))
        assert "text-bg-danger" in html and "逾期 5 小时 0 分" in html

    def test_paused_and_estimated(self):
        html = self.render(
            started_at=self.NOW - timedelta(days=1), due_at=self.NOW + timedelta(days=1), estimated=True
        )
        assert "预估" in html
        paused = self.render(
            state="paused", started_at=self.NOW - timedelta(days=1), due_at=self.NOW + timedelta(days=1)
        )
        assert "text-bg-secondary" in paused and "已暂停" in paused and "预估" not in paused


def test_sorting_by_urgency_puts_the_most_urgent_first(client_for, personas):
    normal = factories.submitted(personas)
    critical = factories.submitted(personas, urgency="critical")
    urgent = factories.submitted(personas, urgency="urgent")
    text = body(client_for(personas.mkt_staff).get(url("list"), {"sort": "urgency"}))
    assert text.index(critical.number) < text.index(urgent.number) < text.index(normal.number)
