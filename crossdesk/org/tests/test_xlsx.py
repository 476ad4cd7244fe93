import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from crossdesk.org import importing
from crossdesk.org.importing.reading import _Reader
from crossdesk.org.importing.xlsx import XlsxReader


def workbook_bytes(fill) -> bytes:
    workbook = Workbook()
    fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_fast_reader_agrees_with_openpyxl_on_values_gaps_and_rich_text():
    def fill(workbook):
        sheet = workbook.active
        sheet.title = "人员"
        sheet.append(["工号", "姓名", None, "在职"])
        sheet.append([1001, CellRichText([TextBlock(InlineFont(b=True), "欧阳"), "娜娜"]), None, True])
        sheet["B5"] = "隔了两行"
        sheet["D5"] = 3.5
        sheet["A6"] = "=1+1"

    content = workbook_bytes(fill)

    ((title, rows),) = XlsxReader(content).sheets()
    expected = list(
        load_workbook(io.BytesIO(content), read_only=True, data_only=True).active.iter_rows(values_only=True)
    )
    assert title == "人员"
    assert len(rows) == len(expected) == 6
    for ours, theirs in zip(rows, expected, strict=True):
        assert list(ours) + [None] * (len(theirs) - len(ours)) == list(theirs)


def test_a_workbook_the_fast_reader_refuses_is_read_by_openpyxl(monkeypatch):
    content = workbook_bytes(lambda wb: wb.active.append(["工号", "姓名", "部门代码"]))

    def refuse(self, content):
        raise ValueError("unexpected layout")

    monkeypatch.setattr(_Reader, "load_sheets_fast", refuse)
    tables, problems = importing.read_sources(
        [importing.Source("people", "p.xlsx", content)], max_bytes=10**6, max_rows=10
    )

    assert not problems and tables["people"].headers["employee_no"] == "工号"


@pytest.mark.django_db
def test_progress_is_committed_phase_by_phase(personas, monkeypatch):
    from crossdesk.org import services
    from crossdesk.org.importing import reading, validating
    from crossdesk.org.models import ImportJob

    from .helpers import PEOPLE_HEADERS, csv_upload, person_row

    monkeypatch.setattr(reading, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(validating, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    seen = []
    original = ImportJob.objects.filter

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        update = queryset.update

        def recording_update(**values):
            if "rows_done" in values and "phase" in values:
                seen.append((values["phase"], values["rows_done"], values["rows_total"]))
            return update(**values)

        queryset.update = recording_update
        return queryset

    monkeypatch.setattr(ImportJob.objects, "filter", spy)
    rows = [PEOPLE_HEADERS] + [person_row(f"G{i}", "甲", "MKT") for i in range(5)]
    job = services.import_job_create(actor=personas.admin_user, people_file=csv_upload("p.csv", rows))
    services.import_job_run(job_id=job.pk)

    phases = [phase for phase, _done, _total in seen]
    assert phases.index("reading") < phases.index("validating") < phases.index("writing")
    assert ("validating", 4, 5) in seen
