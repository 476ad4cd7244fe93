"""A project's printed documents, read back from the PDF: charter with RACI, weekly
progress list, change request, deliverable list with acceptance, retrospective report,
archive list; each with the project's visibility."""

import io
import json
import zipfile

import pytest
import time_machine
from django.urls import reverse

from crossdesk.core.testing import pdf_fonts, pdf_text
from crossdesk.projects.services import reports

from .factories import at, running_with_task
from .test_close_services import archived_project

pytestmark = pytest.mark.django_db


def pdf_of(client, project, document, item_id=None):
    if item_id is None:
        return client.get(reverse("projects:pdf", args=[project.pk, document]))
    return client.get(reverse("projects:pdf_item", args=[project.pk, document, item_id]))


def project_with_task(personas):
    """A running project with the seeds' task, planned before the task starts."""
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        return running_with_task(personas)


@pytest.fixture
def archived(personas):
    return archived_project(personas)


class TestProjectDocuments:
    def test_the_charter_prints_with_its_responsibility_table_and_raci(self, client_for, personas):
        project, task = project_with_task(personas)
        response = pdf_of(client_for(personas.mkt_head), project, "charter")

        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        for expected in (
            "项目章程",
            project.number,
            project.name,
            "职责分工表",
            task.code,
            "客户痛点收集",
            "赵磊",
            "RACI",
        ):
            assert expected in text, expected
        assert "客户服务部 物流部" in text or ("客户服务部" in text and "物流部" in text)
        assert all(embedded for _name, embedded in pdf_fonts(response.content))

    def test_the_weekly_progress_list_prints_as_sent(self, client_for, personas):
        project, _task = project_with_task(personas)
        with time_machine.travel(at(2026, 9, 28, 10, 0), tick=False):
            report = reports.weekly_report_generate_now(actor=personas.mkt_head.user, project_id=project.pk)
        text = pdf_text(pdf_of(client_for(personas.mkt_head), project, "weekly", report.pk).content)
        assert "周进度清单" in text or "进度" in text
        assert "客户服务部" in text and project.number in text

    def test_the_change_request_prints_with_each_heads_decision_and_digest(
        self, client_for, personas, archived
    ):
        project, _task, _deliverable = archived
        change = project.change_requests.get()
        approval = change.approvals.get()
        text = pdf_text(pdf_of(client_for(personas.mkt_head), project, "change", change.pk).content)
        for expected in ("延期一周", "假期", "顺延", "客户服务部", "刘洋"):
            assert expected in text, expected
        assert approval.signature and approval.signature in text.replace("\n", "")

    def test_the_deliverable_list_shows_the_acceptance(self, client_for, personas, archived):
        project, _task, deliverable = archived
        text = pdf_text(pdf_of(client_for(personas.mkt_head), project, "deliverables").content).replace(
            "\n", ""
        )
        assert deliverable.name in text and "痛点清单.pdf" in text and "张伟" in text

    def test_the_retrospective_report_holds_its_lessons(self, client_for, personas, archived):
        project, _task, _deliverable = archived
        text = pdf_text(pdf_of(client_for(personas.mkt_head), project, "retrospective").content)
        assert "跨部门协作复盘报告" in text and "需求变更需同步技术部" in text

    def test_the_archive_list_prints_every_document(self, client_for, personas, archived):
        project, _task, deliverable = archived
        text = pdf_text(pdf_of(client_for(personas.mkt_head), project, "archive").content).replace("\n", "")
        assert "归档" in text and deliverable.name in text and "痛点清单.pdf" in text

    def test_an_outsider_gets_a_404_for_every_document(self, client_for, personas, archived):
        project, _task, _deliverable = archived
        client = client_for(personas.outsider)
        for document in ("charter", "deliverables", "retrospective", "archive"):
            assert pdf_of(client, project, document).status_code == 404
            assert client.get(reverse("projects:print", args=[project.pk, document])).status_code == 404
        change = project.change_requests.get()
        assert pdf_of(client, project, "change", change.pk).status_code == 404

    def test_an_unknown_document_is_a_404(self, client_for, personas):
        project, _task = project_with_task(personas)
        assert pdf_of(client_for(personas.mkt_head), project, "nonsense").status_code == 404
        assert pdf_of(client_for(personas.mkt_head), project, "weekly", 999999).status_code == 404

    def test_the_print_view_shows_the_charter(self, client_for, personas):
        project, _task = project_with_task(personas)
        response = client_for(personas.mkt_head).get(reverse("projects:print", args=[project.pk, "charter"]))
        assert response.status_code == 200 and "客户痛点收集" in response.content.decode()

    def test_each_document_page_links_to_its_print_view_and_pdf(self, client_for, personas, archived):
        project, _task, _deliverable = archived
        client = client_for(personas.mkt_head)
        change = project.change_requests.get()
        pages = {
            reverse("projects:detail", args=[project.pk]): ("print", "charter", None),
            reverse("projects:deliverables", args=[project.pk]): ("print", "deliverables", None),
            reverse("projects:retrospective", args=[project.pk]): ("print", "retrospective", None),
            reverse("projects:archive", args=[project.pk]): ("print", "archive", None),
            reverse("projects:change_detail", args=[project.pk, change.pk]): (
                "print_item",
                "change",
                change.pk,
            ),
        }
        for page, (name, document, item_id) in pages.items():
            args = [project.pk, document] + ([item_id] if item_id else [])
            body = client.get(page).content.decode()
            assert reverse(f"projects:{name}", args=args) in body, page
            assert reverse(f"projects:{name.replace('print', 'pdf')}", args=args) in body, page


class TestArchivePackage:
    def test_an_archived_project_downloads_every_document_and_evidence_in_one_zip(
        self, client_for, personas, archived
    ):
        project, _task, _deliverable = archived
        response = client_for(personas.mkt_head).get(reverse("projects:package", args=[project.pk]))

        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        names = set(archive.namelist())
        folder = project.number
        pdfs = {n for n in names if n.endswith(".pdf") and "/attachments/" not in n}
        assert len(pdfs) == 5  # charter, deliverables, one change request, retrospective, archive list
        assert f"{folder}/attachments/痛点清单.pdf" in names
        record = json.loads(archive.read(f"{folder}/record.json"))
        assert record["record"]["project"]["fields"]["number"] == project.number
        assert record["history"] and record["record"]["deliverable_reviews"]
        signatures = json.loads(archive.read(f"{folder}/signatures.json"))
        assert [(s["signed_for"], s["valid"]) for s in signatures] == [("CR-01 客户服务部", True)]

    def test_a_running_project_is_refused_and_outsiders_get_a_404(self, client_for, personas):
        project, _task = project_with_task(personas)
        path = reverse("projects:package", args=[project.pk])
        assert client_for(personas.mkt_head).get(path).status_code == 409
        assert (
            client_for(personas.mkt_head).get(f"/api/v1/projects/{project.pk}/archive.zip").status_code == 409
        )
        assert client_for(personas.outsider).get(path).status_code == 404

    def test_the_api_serves_each_document_as_pdf(self, client_for, personas, archived):
        project, _task, _deliverable = archived
        client = client_for(personas.mkt_head)
        response = client.get(f"/api/v1/projects/{project.pk}/pdf/charter")
        assert response.status_code == 200 and "项目章程" in pdf_text(response.content)
        change = project.change_requests.get()
        assert client.get(f"/api/v1/projects/{project.pk}/pdf/change?item={change.pk}").status_code == 200
        assert client.get(f"/api/v1/projects/{project.pk}/pdf/nonsense").status_code == 404
        assert (
            client_for(personas.outsider).get(f"/api/v1/projects/{project.pk}/pdf/charter").status_code == 404
        )
