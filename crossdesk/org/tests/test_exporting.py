import csv
import io

import pytest
from openpyxl import load_workbook

from crossdesk.org import exporting
from crossdesk.org.tests.factories import add_member

from .helpers import DEPT_HEADERS, PEOPLE_HEADERS

pytestmark = pytest.mark.django_db


def test_the_workbook_has_both_sheets_with_the_import_headers(personas):
    workbook = load_workbook(io.BytesIO(exporting.organisation_xlsx()), read_only=True)

    assert workbook.sheetnames == ["部门", "人员"]
    departments = [list(r) for r in workbook["部门"].iter_rows(values_only=True)]
    assert departments[0] == DEPT_HEADERS
    assert departments[2] == ["CS", "客户服务部", None, "P005", "P003", "P007", 2, "是"]
    people = [list(r) for r in workbook["人员"].iter_rows(values_only=True)]
    assert people[0] == PEOPLE_HEADERS
    assert people[1][:3] == ["P001", "张伟", "MKT"]


def test_the_primary_department_comes_first(personas):
    add_member(personas.supervisor, personas.cs, primary=False)
    add_member(personas.supervisor, personas.fin, primary=False)

    row = next(r for r in exporting.person_rows() if r[0] == "P007")

    assert row[2] == "MKT、CS、FIN"


def test_people_who_have_left_are_exported_as_such(personas):
    personas.outsider.is_active = False
    personas.outsider.save()

    assert next(r for r in exporting.person_rows() if r[0] == "P008")[-1] == "否"


def test_csv_is_utf8_with_a_bom(personas):
    content = exporting.export_file("departments.csv")[0]

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == DEPT_HEADERS and rows[1][:2] == ["MKT", "市场部"]


def test_the_template_is_empty_but_explains_itself(db):
    workbook = load_workbook(io.BytesIO(exporting.template_xlsx()), read_only=True)

    assert workbook.sheetnames == ["部门", "人员", "说明"]
    assert [list(r) for r in workbook["人员"].iter_rows(values_only=True)] == [PEOPLE_HEADERS]
    notes = [r[1] for r in workbook["说明"].iter_rows(values_only=True)]
    assert any("第一个为主部门" in (n or "") for n in notes)


def test_export_queries_do_not_grow_with_people(personas, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        exporting.person_rows()
    with django_assert_max_num_queries(2):
        exporting.department_rows()
