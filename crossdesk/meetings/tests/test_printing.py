"""The meeting's printed record [001] 跨部门沟通协调记录表, read back from the PDF."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from crossdesk.core import printing
from crossdesk.core.testing import pdf_fonts, pdf_text
from crossdesk.meetings.models import MeetingDepartment

from . import factories

pytestmark = pytest.mark.django_db


def pdf_url(meeting):
    return reverse("meetings:pdf", args=[meeting.pk])


def print_url(meeting):
    return reverse("meetings:print", args=[meeting.pk])


class TestMeetingPdf:
    def test_the_pdf_holds_every_section_of_the_paper_form(self, client_for, personas):
        meeting = factories.signed(personas)
        response = client_for(personas.mkt_staff).get(pdf_url(meeting))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        for expected in (
            "跨部门沟通协调记录表",
            meeting.number,
            "基本信息",
            "C产品响应速度问题专项沟通会",
            "3楼第一会议室",
            "孙丽",
            "客户服务部：李娜、赵磊",
            "沟通背景与目标",
            "客户反馈C产品功能不满足需求，需协调研发与客服部优化方案",
            "明确功能优化优先级及交付时间",
            "核心讨论内容",
            "问题原因分析",
            "服务器升级需2周且预算高",
            "交互优化可快速见效",
            "优先优化交互逻辑，同时评估服务器升级可行性",
            "决议事项",
            "优化C产品交互逻辑方案",
            "市场部提供客户具体需求",
            "评估服务器升级可行性",
            "后续跟踪",
            "跟进人",
            "签字确认",
            "王芳",
            "刘洋",
        ):
            assert expected in text, expected
        flat = text.replace("\n", "")
        for part in MeetingDepartment.objects.filter(meeting=meeting):
            assert part.head_signature and part.head_signature in flat

    def test_the_follow_up_shows_each_items_result(self, client_for, personas):
        meeting = factories.signed(personas)
        factories.finish_items(personas, meeting)
        text = pdf_text(client_for(personas.mkt_staff).get(pdf_url(meeting)).content)
        assert text.count("结果：已完成") == 2

    def test_the_font_is_embedded(self, client_for, personas):
        meeting = factories.notified(personas)
        fonts = pdf_fonts(client_for(personas.mkt_staff).get(pdf_url(meeting)).content)
        assert fonts and all(embedded for _name, embedded in fonts)

    @pytest.mark.parametrize("view", [pdf_url, print_url])
    def test_someone_who_may_not_see_the_meeting_gets_a_404(self, client_for, personas, view):
        meeting = factories.notified(personas)
        assert client_for(personas.outsider).get(view(meeting)).status_code == 404

    def test_the_api_returns_the_pdf_and_404_to_outsiders(self, client_for, personas):
        meeting = factories.notified(personas)
        path = f"/api/v1/meetings/{meeting.pk}/pdf"
        response = client_for(personas.mkt_staff).get(path)
        assert response.status_code == 200 and meeting.number in pdf_text(response.content)
        assert client_for(personas.outsider).get(path).status_code == 404

    def test_without_pango_the_pdf_link_explains_and_the_print_view_works(
        self, client_for, personas, monkeypatch
    ):
        def no_pango():
            raise printing.PdfUnavailable("cannot load library 'libpango-1.0-0'")

        monkeypatch.setattr(printing, "_engine", no_pango)
        meeting = factories.notified(personas)
        client = client_for(personas.mkt_staff)
        response = client.get(pdf_url(meeting))
        assert response.status_code == 503 and "Pango" in response.content.decode()
        assert client.get(print_url(meeting)).status_code == 200


class TestPrintView:
    def test_the_meeting_page_links_to_its_print_view_and_pdf(self, client_for, personas):
        meeting = factories.notified(personas)
        body = (
            client_for(personas.mkt_staff).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        )
        assert print_url(meeting) in body and pdf_url(meeting) in body

    def test_the_print_view_shows_the_minutes(self, client_for, personas):
        meeting = factories.circulated(personas)
        body = client_for(personas.cs_liaison).get(print_url(meeting)).content.decode()
        assert "跨部门沟通协调记录表" in body and "优先优化交互逻辑，同时评估服务器升级可行性" in body


class TestArchivePackage:
    def test_an_archived_meeting_downloads_as_one_zip(self, client_for, personas):
        meeting = factories.archived(personas)
        response = client_for(personas.mkt_staff).get(reverse("meetings:package", args=[meeting.pk]))

        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        folder = meeting.number
        assert {f"{folder}/{folder}.pdf", f"{folder}/record.json", f"{folder}/signatures.json"} <= set(
            archive.namelist()
        )
        assert "跨部门沟通协调记录表" in pdf_text(archive.read(f"{folder}/{folder}.pdf"))
        record = json.loads(archive.read(f"{folder}/record.json"))
        assert record["record"]["meeting"]["fields"]["title"] == "C产品响应速度问题专项沟通会"
        assert len(record["record"]["action_items"]) == 2 and record["record"]["minutes_versions"]
        assert record["history"][-1]["fields"]["to_status"] == "archived"
        signatures = json.loads(archive.read(f"{folder}/signatures.json"))
        assert {s["signed_for"] for s in signatures} == {"市场部", "客户服务部"}
        assert all(s["valid"] and len(s["digest"]) == 64 for s in signatures)

    def test_before_archiving_it_is_refused_and_outsiders_get_a_404(self, client_for, personas):
        meeting = factories.signed(personas)
        assert (
            client_for(personas.mkt_staff).get(reverse("meetings:package", args=[meeting.pk])).status_code
            == 409
        )
        api = f"/api/v1/meetings/{meeting.pk}/archive.zip"
        assert client_for(personas.mkt_staff).get(api).status_code == 409
        assert client_for(personas.outsider).get(api).status_code == 404
