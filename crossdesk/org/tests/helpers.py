"""Building import files in tests."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from crossdesk.org import services
from crossdesk.org.importing import DEPARTMENTS, PEOPLE

DEPT_HEADERS = DEPARTMENTS.headers
PEOPLE_HEADERS = PEOPLE.headers


def csv_content(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def csv_upload(name: str, rows: list[list], *, encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_content(rows, encoding=encoding), content_type="text/csv")


def xlsx_content(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(name: str, sheets: dict[str, list[list]]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_content(sheets))


def dept_row(code, name, head, *, parent="", liaison="", supervisors="", sort_order="", active="") -> list:
    return [code, name, parent, head, liaison, supervisors, sort_order, active]


def person_row(
    no, name, departments, *, title="", phone="", email="", ding="", wecom="", feishu="", active=""
) -> list:
    return [no, name, departments, title, phone, email, ding, wecom, feishu, active]


def run_import(actor, **files):
    """Create and run an import job at once (the worker's part), returning the job."""
    job = services.import_job_create(actor=actor, **files)
    return services.import_job_run(job_id=job.pk)


def messages(job) -> list[tuple]:
    return [(e["table"], e["row"], e["column"], e["message"]) for e in job.errors]


def new_org_workbook() -> SimpleUploadedFile:
    """Two new departments and their two heads, in one workbook."""
    return xlsx_upload(
        "组织架构.xlsx",
        {
            "部门": [
                DEPT_HEADERS,
                dept_row("HQ", "总部", "A001"),
                dept_row("RD", "研发中心", "A002", parent="HQ"),
            ],
            "人员": [PEOPLE_HEADERS, person_row("A001", "孙建国", "HQ"), person_row("A002", "钱多多", "RD")],
        },
    )
