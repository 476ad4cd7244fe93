"""The request's printed form [000][004]: the print view and the PDF, read back as text."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crossdesk.collaboration import services
from crossdesk.core import printing
from crossdesk.core.testing import pdf_fonts, pdf_text

from . import factories

pytestmark = pytest.mark.django_db


def pdf_url(request):
    return reverse("collaboration:pdf", args=[request.pk])


def print_url(request):
    return reverse("collaboration:print", args=[request.pk])


def no_pango(*args, **kwargs):
    raise printing.PdfUnavailable("cannot load library 'libpango-1.0-0'")


class TestRequestPdf:
    def test_the_pdf_holds_every_section_of_a_signed_request(self, client_for, personas):
        request = factories.signed(personas, urgency="urgent", related_matter="2026年客户满意度提升项目")
        response = client_for(personas.mkt_staff).get(pdf_url(request))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        for expected in (
            "跨部门协作沟通与问题反馈表",
            request.number,
            "基本信息",
            "发起部门 市场部 发起人 张伟",
            "协作/问题描述",
            "客户订单物流延迟投诉",
            "客户反馈订单物流延迟3天",
            "物流部追踪显示因仓库系统故障导致分拣异常",
            "物流部24小时内完成配送并告知客户",
            "2026年客户满意度提升项目",
            "处理结果",
            "已修复仓库系统并完成配送，客户已确认收货",
            "赵磊",
            "发起人满意度",
            "处理及时",
            "签字确认",
            "发起部门负责人（市场部）",
            "接收部门负责人（客户服务部）",
            "刘洋",
            "王芳",
        ):
            assert expected in text, expected
        assert "□ 普通 ■ 紧急 □ 特急" in text
        assert "■ 故障投诉" in text
        assert "□ 4分 ■ 5分" in text
        part = request.parts.get(department=personas.cs)
        flat = text.replace("\n", "")
        assert request.initiator_head_signature in flat
        assert part.head_signature in flat

    def test_the_communication_log_and_the_resources_needed_are_printed(self, client_for, personas):
        request = factories.accepted(personas, resources_people="两名仓库临时工", resources_budget="5000元")
        services.request_log(
            actor=personas.mkt_staff.user,
            request_id=request.pk,
            content="电话确认仓库系统故障已定位",
            participants="物流部、客户服务部",
        )
        text = pdf_text(client_for(personas.mkt_staff).get(pdf_url(request)).content)

        assert "沟通记录" in text
        assert "电话确认仓库系统故障已定位" in text and "物流部、客户服务部" in text
        assert "人员：两名仓库临时工" in text and "预算：5000元" in text
        assert "承诺完成时间" in text and "对接人：李娜" in text

    def test_the_chinese_font_is_embedded_and_no_other(self, client_for, personas):
        request = factories.submitted(personas)
        fonts = pdf_fonts(client_for(personas.mkt_staff).get(pdf_url(request)).content)

        assert fonts, "the PDF names no font"
        assert all(embedded for _name, embedded in fonts)
        assert {name for name, _embedded in fonts} <= {"CD-Print-Sans", "CD-Print-Sans-Bold"}

    def test_a_chinese_file_name_survives_the_download(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(pdf_url(request))
        assert f"filename*=UTF-8''{request.number}.pdf" in response["Content-Disposition"]

    @pytest.mark.parametrize("view", [pdf_url, print_url])
    def test_someone_who_may_not_see_the_request_gets_a_404(self, client_for, personas, view):
        request = factories.submitted(personas)
        assert client_for(personas.outsider).get(view(request)).status_code == 404

    def test_an_informed_department_prints_what_it_may_see(self, client_for, personas):
        request = factories.submitted(personas)
        assert client_for(personas.log_head).get(pdf_url(request)).status_code == 200


class TestWithoutPango:
    def test_the_pdf_link_explains_in_chinese_and_points_to_the_print_view(
        self, client_for, personas, monkeypatch
    ):
        monkeypatch.setattr(printing, "_engine", no_pango)
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(pdf_url(request))

        assert response.status_code == 503
        body = response.content.decode()
        assert "本服务器暂时无法生成 PDF" in body and "Pango" in body
        assert print_url(request) in body

    def test_the_print_view_still_works(self, client_for, personas, monkeypatch):
        monkeypatch.setattr(printing, "_engine", no_pango)
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(print_url(request))
        assert response.status_code == 200
        assert "跨部门协作沟通与问题反馈表" in response.content.decode()

    def test_the_api_answers_503_with_the_reason(self, client_for, personas, monkeypatch):
        monkeypatch.setattr(printing, "_engine", no_pango)
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(f"/api/v1/requests/{request.pk}/pdf")
        assert response.status_code == 503
        assert "Pango" in response.json()["message"]


class TestPrintView:
    def test_it_shows_the_same_form_with_a_toolbar_that_never_prints(self, client_for, personas):
        request = factories.resolved(personas)
        response = client_for(personas.mkt_staff).get(print_url(request))

        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="printed-form"' in body and 'data-testid="print-toolbar"' in body
        assert "已修复仓库系统并完成配送，客户已确认收货" in body
        assert pdf_url(request) in body
        assert "@media print { .cd-toolbar { display: none !important; } }" in body

    def test_the_request_page_links_to_its_print_view_and_pdf(self, client_for, personas):
        request = factories.submitted(personas)
        body = (
            client_for(personas.mkt_staff)
            .get(reverse("collaboration:detail", args=[request.pk]))
            .content.decode()
        )
        assert print_url(request) in body and pdf_url(request) in body


class TestApi:
    def test_the_api_returns_the_pdf(self, client_for, personas):
        request = factories.submitted(personas)
        response = client_for(personas.mkt_staff).get(f"/api/v1/requests/{request.pk}/pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert request.number in pdf_text(response.content)

    def test_the_api_answers_404_to_someone_who_may_not_see_it(self, client_for, personas):
        request = factories.submitted(personas)
        assert client_for(personas.outsider).get(f"/api/v1/requests/{request.pk}/pdf").status_code == 404


def archived_with_an_attachment(personas):
    request = factories.resolved(personas)
    upload = SimpleUploadedFile("仓库截图.png", b"\x89PNG fake", content_type="image/png")
    services.attachment_add(actor=personas.mkt_staff.user, request_id=request.pk, upload=upload)
    services.request_confirm(actor=personas.mkt_staff.user, request_id=request.pk, satisfaction=4, comment="")
    part = request.parts.get(department=personas.cs)
    services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
    services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
    return services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)


def package_url(request):
    return reverse("collaboration:package", args=[request.pk])


def opened(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


class TestArchivePackage:
    def test_an_archived_request_downloads_as_one_zip_for_the_shared_folder(self, client_for, personas):
        request = archived_with_an_attachment(personas)
        response = client_for(personas.mkt_staff).get(package_url(request))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert f"filename*=UTF-8''{request.number}.zip" in response["Content-Disposition"]
        archive = opened(response)
        folder = request.number
        assert sorted(archive.namelist()) == sorted(
            f"{folder}/{name}"
            for name in (
                f"{folder}.pdf",
                "attachments/仓库截图.png",
                "record.json",
                "signatures.json",
                "manifest.json",
            )
        )
        assert "跨部门协作沟通与问题反馈表" in pdf_text(archive.read(f"{folder}/{folder}.pdf"))
        assert archive.read(f"{folder}/attachments/仓库截图.png") == b"\x89PNG fake"

    def test_the_json_holds_the_record_its_history_and_valid_digests(self, client_for, personas):
        request = archived_with_an_attachment(personas)
        archive = opened(client_for(personas.mkt_staff).get(package_url(request)))
        folder = request.number

        record = json.loads(archive.read(f"{folder}/record.json"))
        assert record["record"]["request"]["pk"] == request.pk
        assert record["record"]["request"]["fields"]["title"] == "客户订单物流延迟投诉"
        assert {p["fields"]["department"] for p in record["record"]["parts"]} == {
            personas.cs.pk,
            personas.log.pk,
        }
        kinds = [row["fields"]["kind"] for row in record["history"]]
        assert "signature" in kinds and kinds.count("transition") >= 5
        assert record["history"][-1]["fields"]["to_status"] == "archived"

        signatures = json.loads(archive.read(f"{folder}/signatures.json"))
        request.refresh_from_db()
        part = request.parts.get(department=personas.cs)
        assert {(s["signed_for"], s["digest"], s["valid"]) for s in signatures} == {
            ("市场部", request.initiator_head_signature, True),
            ("客户服务部", part.head_signature, True),
        }

    def test_the_manifest_lists_each_files_hash(self, client_for, personas):
        request = archived_with_an_attachment(personas)
        archive = opened(client_for(personas.mkt_staff).get(package_url(request)))
        manifest = json.loads(archive.read(f"{request.number}/manifest.json"))
        for entry in manifest["files"]:
            data = archive.read(f"{request.number}/{entry['name']}")
            assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
        assert manifest["missing"] == []

    def test_without_pango_the_package_holds_the_print_view_instead(self, client_for, personas, monkeypatch):
        request = archived_with_an_attachment(personas)
        monkeypatch.setattr(printing, "_engine", no_pango)
        archive = opened(client_for(personas.mkt_staff).get(package_url(request)))
        html = archive.read(f"{request.number}/{request.number}.html").decode()
        assert "跨部门协作沟通与问题反馈表" in html and 'data-testid="print-toolbar"' not in html

    def test_a_request_not_yet_archived_is_refused_with_409(self, client_for, personas):
        request = factories.signed(personas)
        client = client_for(personas.mkt_staff)
        response = client.get(package_url(request))
        assert response.status_code == 409
        assert "请求归档后才能下载归档包" in response.content.decode()
        assert client.get(f"/api/v1/requests/{request.pk}/archive.zip").status_code == 409

    def test_someone_who_may_not_see_it_gets_a_404(self, client_for, personas):
        request = archived_with_an_attachment(personas)
        assert client_for(personas.outsider).get(package_url(request)).status_code == 404
        assert (
            client_for(personas.outsider).get(f"/api/v1/requests/{request.pk}/archive.zip").status_code == 404
        )

    def test_the_api_returns_the_same_package(self, client_for, personas):
        request = archived_with_an_attachment(personas)
        response = client_for(personas.mkt_staff).get(f"/api/v1/requests/{request.pk}/archive.zip")
        assert response.status_code == 200
        assert f"{request.number}/record.json" in opened(response).namelist()

    def test_only_an_archived_request_page_links_to_its_package(self, client_for, personas):
        request = archived_with_an_attachment(personas)
        signed = factories.signed(personas)
        client = client_for(personas.mkt_staff)
        assert (
            package_url(request)
            in client.get(reverse("collaboration:detail", args=[request.pk])).content.decode()
        )
        assert (
            package_url(signed)
            not in client.get(reverse("collaboration:detail", args=[signed.pk])).content.decode()
        )


class TestQueries:
    def test_the_pdf_reads_a_fixed_number_of_rows_however_long_the_log(self, client_for, personas):
        def queries_for(request):
            client = client_for(personas.mkt_staff)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(pdf_url(request)).status_code == 200
            return len(captured)

        short = factories.accepted(personas)
        services.request_log(actor=personas.mkt_staff.user, request_id=short.pk, content="第一次沟通")
        long = factories.accepted(personas)
        for n in range(6):
            services.request_log(actor=personas.mkt_staff.user, request_id=long.pk, content=f"第{n}次沟通")
            upload = SimpleUploadedFile(f"截图{n}.png", b"\x89PNG", content_type="image/png")
            services.attachment_add(actor=personas.mkt_staff.user, request_id=long.pk, upload=upload)
        assert queries_for(long) == queries_for(short)
