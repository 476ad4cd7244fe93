import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.models import User
from crossdesk.org import exporting, importing, services
from crossdesk.org.models import Department, ImportJob, Membership, Person
from crossdesk.org.tests.factories import UserFactory

from .helpers import (
    DEPT_HEADERS,
    PEOPLE_HEADERS,
    csv_upload,
    dept_row,
    messages,
    person_row,
    run_import,
    xlsx_content,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


def new_company_workbook(**extra_people):
    departments = [
        DEPT_HEADERS,
        dept_row("HQ", "总部", "A001", supervisors="A001", sort_order=1),
        dept_row(
            "RD", "研发中心", "A002", parent="HQ", liaison="A003", supervisors="A001、A004", sort_order=2
        ),
        dept_row("QA", "质量部", "A004", parent="RD", sort_order=3),
    ]
    people = [
        PEOPLE_HEADERS,
        person_row("A001", "孙建国", "HQ", title="总经理", email="sun@example.cn"),
        person_row("A002", "钱多多", "RD", title="研发总监", phone="8002"),
        person_row(
            "A003", "吴倩", "RD、QA", title="项目经理", ding="wuqian", wecom="WuQian", feishu="ou_123"
        ),
        person_row("A004", "郑毅", "QA", title="质量经理"),
    ]
    return xlsx_upload("组织架构.xlsx", {"部门": departments, "人员": people})


# --- the happy paths ------------------------------------------------------------------
def test_it_imports_departments_and_people_together_from_one_workbook(personas):
    job = run_import(personas.admin_user, workbook=new_company_workbook())

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.departments_created, job.people_created) == (3, 4)
    rd = Department.objects.get(code="RD")
    assert rd.parent.code == "HQ"
    assert rd.head.employee_no == "A002"
    assert rd.default_liaison.employee_no == "A003"
    assert sorted(rd.supervisors.values_list("employee_no", flat=True)) == ["A001", "A004"]
    wu = Person.objects.get(employee_no="A003")
    assert (wu.dingtalk_id, wu.wecom_id, wu.feishu_id) == ("wuqian", "WuQian", "ou_123")
    assert list(wu.memberships.order_by("-is_primary").values_list("department__code", "is_primary")) == [
        ("RD", True),
        ("QA", False),
    ]


def test_new_people_get_a_login_named_after_their_employee_number_without_a_password(personas):
    run_import(personas.admin_user, workbook=new_company_workbook())

    user = Person.objects.get(employee_no="A001").user
    assert user.username == "A001"
    assert not user.has_usable_password()
    assert user.is_active


def test_it_imports_two_csv_files_in_one_upload(personas):
    departments = csv_upload("部门.csv", [DEPT_HEADERS, dept_row("HR", "人力资源部", "H001")])
    people = csv_upload("人员.csv", [PEOPLE_HEADERS, person_row("H001", "冯晓", "HR")])

    job = run_import(personas.admin_user, departments_file=departments, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Department.objects.get(code="HR").head.name == "冯晓"


def test_it_reads_a_gbk_csv_as_excel_in_china_saves_it(personas):
    people = csv_upload(
        "人员.csv", [PEOPLE_HEADERS, person_row("G001", "欧阳娜娜", "MKT", title="设计师")], encoding="gbk"
    )

    job = run_import(personas.admin_user, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Person.objects.get(employee_no="G001").name == "欧阳娜娜"


def test_it_reads_utf8_without_bom_and_tab_separated_text(personas):
    plain = csv_upload("people.csv", [PEOPLE_HEADERS, person_row("U001", "白雪", "MKT")], encoding="utf-8")
    tabbed = SimpleUploadedFile(
        "depts.csv", ("\t".join(DEPT_HEADERS) + "\nOPS\t运营部\t\tU001\t\t\t\t\n").encode("utf-16")
    )

    job = run_import(personas.admin_user, people_file=plain, departments_file=tabbed)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Department.objects.get(code="OPS").head.name == "白雪"


def test_it_accepts_english_headers_and_lower_case_codes(personas):
    headers = ["Employee no", "Name", "Departments", "Title", "E-mail", "Active"]
    people = csv_upload(
        "people.csv", [headers, ["E900", "Li Lei", "mkt, cs", "Engineer", "li@example.com", "yes"]]
    )

    job = run_import(personas.admin_user, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert sorted(Person.objects.get(employee_no="E900").departments.values_list("code", flat=True)) == [
        "CS",
        "MKT",
    ]


def test_it_updates_rows_by_code_and_number_and_leaves_the_rest_alone(personas):
    departments = csv_upload("d.csv", [DEPT_HEADERS, dept_row("CS", "客户成功部", "P003", liaison="P004")])
    people = csv_upload(
        "p.csv", [PEOPLE_HEADERS, person_row("P004", "赵磊", "CS", title="客服组长", phone="6001")]
    )

    job = run_import(personas.admin_user, departments_file=departments, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.departments_created, job.departments_updated, job.people_created, job.people_updated) == (
        0,
        1,
        0,
        1,
    )
    cs = Department.objects.get(code="CS")
    assert (cs.name, cs.head.employee_no, cs.default_liaison.employee_no) == ("客户成功部", "P003", "P004")
    # Columns it has: set as written (empty supervisors cell clears them).
    assert not cs.supervisors.exists()
    assert Person.objects.get(employee_no="P004").title == "客服组长"
    # Rows not in the file: untouched.
    assert Department.objects.get(code="LOG").supervisors.get() == personas.supervisor
    assert Person.objects.get(employee_no="P008").title == "会计"


def test_a_column_left_out_of_the_file_leaves_that_field_alone(personas):
    people = csv_upload(
        "p.csv", [["工号", "姓名", "部门代码", "内部通讯号"], ["P008", "周敏", "FIN", "7008"]]
    )

    run_import(personas.admin_user, people_file=people)

    outsider = Person.objects.get(employee_no="P008")
    assert (outsider.phone, outsider.title, outsider.email) == ("7008", "会计", "p008@example.com")


def test_the_first_department_listed_becomes_the_primary_one(personas):
    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("P001", "张伟", "CS;MKT")])

    run_import(personas.admin_user, people_file=people)

    assert list(
        Membership.objects.filter(person=personas.mkt_staff)
        .order_by("-is_primary")
        .values_list("department__code", "is_primary")
    ) == [("CS", True), ("MKT", False)]


def test_marking_someone_as_left_closes_their_login(personas):
    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("P004", "赵磊", "CS", active="否")])

    job = run_import(personas.admin_user, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    personas.cs_staff.refresh_from_db()
    assert not personas.cs_staff.is_active
    assert not User.objects.get(pk=personas.cs_staff.user_id).is_active


def test_an_existing_login_of_the_same_name_is_linked_to_the_new_person(personas):
    account = UserFactory(username="N001")
    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("N001", "新人", "MKT")])

    run_import(personas.admin_user, people_file=people)

    assert Person.objects.get(employee_no="N001").user == account


def test_it_records_phases_row_counts_and_timings(personas):
    job = run_import(personas.admin_user, workbook=new_company_workbook())

    assert job.phase == ImportJob.Phase.DONE
    assert (job.rows_total, job.rows_done, job.percent) == (7, 7, 100)
    assert {"read", "validate", "write", "total"} <= set(job.timings)
    assert job.finished_at is not None


def test_a_job_delivered_twice_runs_once(personas):
    job = services.import_job_create(actor=personas.admin_user, workbook=new_company_workbook())
    services.import_job_run(job_id=job.pk)

    assert services.import_job_run(job_id=job.pk) is None
    assert Department.objects.filter(code="HQ").count() == 1


# --- all or nothing -------------------------------------------------------------------
def test_one_bad_row_among_a_hundred_writes_nothing(personas):
    rows = [PEOPLE_HEADERS] + [
        person_row(f"B{i:03d}", f"员工{i}", "MKT", email=f"b{i}@example.com") for i in range(100)
    ]
    rows[57][5] = "not-an-address"
    people_before, users_before = Person.objects.count(), User.objects.count()

    job = run_import(personas.admin_user, people_file=csv_upload("p.csv", rows))

    assert job.status == ImportJob.Status.FAILED
    assert messages(job) == [("人员", 58, "邮箱", "邮箱格式不正确：not-an-address")]
    assert (Person.objects.count(), User.objects.count()) == (people_before, users_before)


def test_a_departments_error_also_stops_the_people_table(personas):
    departments = csv_upload("d.csv", [DEPT_HEADERS, dept_row("NEW", "新部门", "")])
    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("Z001", "钱七", "MKT")])

    job = run_import(personas.admin_user, departments_file=departments, people_file=people)

    assert job.status == ImportJob.Status.FAILED
    assert not Person.objects.filter(employee_no="Z001").exists()


def test_it_collects_every_error_of_the_file_at_once(personas):
    rows = [
        PEOPLE_HEADERS,
        person_row("C001", "", "MKT"),
        person_row("C002", "李四", "XYZ"),
        person_row("C003", "王五", "MKT", email="bad@"),
    ]

    job = run_import(personas.admin_user, people_file=csv_upload("p.csv", rows))

    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "姓名"), (3, "部门代码"), (4, "邮箱")]
    assert job.error_count == 3


# --- each kind of error ---------------------------------------------------------------
def import_departments(actor, *rows):
    return run_import(actor, departments_file=csv_upload("d.csv", [DEPT_HEADERS, *rows]))


def import_people(actor, *rows):
    return run_import(actor, people_file=csv_upload("p.csv", [PEOPLE_HEADERS, *rows]))


def test_it_reports_an_unknown_department_code(personas):
    job = import_people(
        personas.admin_user, person_row("X001", "甲", "MKT"), person_row("X002", "乙", "MKT、XYZ")
    )

    assert messages(job) == [("人员", 3, "部门代码", "未知的部门代码 XYZ")]
    assert importing.describe(job.errors[0]) == "人员 第 3 行「部门代码」：未知的部门代码 XYZ"


def test_it_reports_a_duplicate_department_code(personas):
    job = import_departments(
        personas.admin_user, dept_row("OPS", "运营部", "P001"), dept_row("ops", "运营二部", "P002")
    )

    assert messages(job) == [("部门", 3, "部门代码", "部门代码 OPS 重复（第 2 行已出现）")]


def test_it_reports_a_duplicate_employee_number(personas):
    job = import_people(personas.admin_user, person_row("D001", "甲", "MKT"), person_row("D001", "乙", "CS"))

    assert messages(job) == [("人员", 3, "工号", "工号 D001 重复（第 2 行已出现）")]


def test_it_reports_a_missing_head(personas):
    job = import_departments(
        personas.admin_user, dept_row("OPS", "运营部", ""), dept_row("CS", "客户服务部", "")
    )

    assert messages(job) == [
        ("部门", 2, "负责人工号", "缺少部门负责人：请填写负责人的工号"),
        ("部门", 3, "负责人工号", "缺少部门负责人：请填写负责人的工号"),
    ]


def test_a_department_that_has_no_head_yet_may_stay_without(personas):
    job = import_departments(personas.admin_user, dept_row("FIN", "财务中心", ""))

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Department.objects.get(code="FIN").head is None


def test_it_reports_unknown_head_liaison_and_supervisor(personas):
    job = import_departments(
        personas.admin_user, dept_row("OPS", "运营部", "Q1", liaison="Q2", supervisors="P007 Q3")
    )

    assert messages(job) == [
        ("部门", 2, "负责人工号", "未知的工号 Q1"),
        ("部门", 2, "对接人工号", "未知的工号 Q2"),
        ("部门", 2, "分管领导工号", "未知的工号 Q3"),
    ]


def test_it_reports_a_head_who_has_left(personas):
    job = run_import(
        personas.admin_user,
        departments_file=csv_upload("d.csv", [DEPT_HEADERS, dept_row("OPS", "运营部", "P008")]),
        people_file=csv_upload("p.csv", [PEOPLE_HEADERS, person_row("P008", "周敏", "FIN", active="否")]),
    )

    assert messages(job) == [("部门", 2, "负责人工号", "周敏（工号 P008）已离职")]


def test_it_refuses_to_let_a_head_leave_while_still_heading_a_department(personas):
    job = import_people(personas.admin_user, person_row("P005", "刘洋", "CS", active="否"))

    assert messages(job) == [
        ("人员", 2, "在职", "仍是 客户服务部 (CS) 的负责人、对接人或分管领导：请先在该部门指定其他人")
    ]


def test_it_reports_a_bad_email(personas):
    job = import_people(personas.admin_user, person_row("E001", "甲", "MKT", email="jia@@example"))

    assert messages(job) == [("人员", 2, "邮箱", "邮箱格式不正确：jia@@example")]


@pytest.mark.parametrize("code", ["M", "市场部", "MK-1", "1AB", "ABCDEFGHIJK"])
def test_it_reports_a_bad_code_format(personas, code):
    job = import_departments(personas.admin_user, dept_row(code, "某部门", "P001"))

    assert job.errors[0]["column"] == "部门代码"
    assert job.errors[0]["message"].startswith(f"「{code}」不是有效的部门代码")


def test_it_reports_a_cycle_in_the_tree(personas):
    job = import_departments(
        personas.admin_user,
        dept_row("AA", "甲部", "P001", parent="CC"),
        dept_row("BB", "乙部", "P001", parent="AA"),
        dept_row("CC", "丙部", "P001", parent="BB"),
    )

    assert messages(job) == [("部门", 2, "上级部门代码", "部门层级出现循环：AA → CC → BB → AA")]


def test_it_reports_a_cycle_closed_through_departments_already_in_the_database(personas):
    personas.log.parent = personas.cs
    personas.log.save()

    job = import_departments(personas.admin_user, dept_row("CS", "客户服务部", "P005", parent="LOG"))

    assert messages(job) == [("部门", 2, "上级部门代码", "部门层级出现循环：CS → LOG → CS")]


def test_a_department_cannot_be_its_own_parent(personas):
    job = import_departments(personas.admin_user, dept_row("AA", "甲部", "P001", parent="AA"))

    assert messages(job) == [("部门", 2, "上级部门代码", "部门层级出现循环：AA → AA")]


def test_it_reports_an_unknown_parent(personas):
    job = import_departments(personas.admin_user, dept_row("AA", "甲部", "P001", parent="ZZ"))

    assert messages(job) == [("部门", 2, "上级部门代码", "未知的上级部门代码 ZZ")]


def test_it_reports_missing_required_cells(personas):
    job = import_people(personas.admin_user, person_row("", "甲", "MKT"), person_row("R002", "乙", ""))

    assert messages(job) == [
        ("人员", 2, "工号", "必填项，不能为空"),
        ("人员", 3, "部门代码", "必填项，不能为空"),
    ]


def test_it_reports_bad_yes_no_and_sort_order_cells(personas):
    job = run_import(
        personas.admin_user,
        departments_file=csv_upload(
            "d.csv", [DEPT_HEADERS, dept_row("AA", "甲部", "P001", sort_order="第一")]
        ),
        people_file=csv_upload("p.csv", [PEOPLE_HEADERS, person_row("Y001", "甲", "MKT", active="也许")]),
    )

    assert messages(job) == [
        ("部门", 2, "排序", "排序必须是大于或等于 0 的整数"),
        ("人员", 2, "在职", "请填写「是」或「否」"),
    ]


def test_it_reports_too_long_cells(personas):
    job = import_people(personas.admin_user, person_row("L001", "长" * 51, "MKT"))

    assert messages(job) == [("人员", 2, "姓名", "内容过长：最多 50 个字符")]


def test_it_reports_a_missing_required_column_and_an_unknown_header(personas):
    people = csv_upload("p.csv", [["工号", "姓名", "备注"], ["K001", "甲", "新员工"]])

    job = run_import(personas.admin_user, people_file=people)

    assert [(e["row"], e["column"]) for e in job.errors] == [(1, "备注"), (1, "部门代码")]
    assert job.errors[0]["message"].startswith("无法识别的列名「备注」")
    assert job.errors[1]["message"] == "缺少必需的列「部门代码」"


def test_it_reports_a_login_name_taken_by_someone_else(personas):
    personas.outsider.user.username = "NEW1"
    personas.outsider.user.save()

    job = import_people(personas.admin_user, person_row("NEW1", "新人", "MKT"))

    assert messages(job) == [("人员", 2, "工号", "登录账号 NEW1 已被 周敏（工号 P008）使用")]


def test_it_numbers_rows_as_the_spreadsheet_shows_them_skipping_blank_rows(personas):
    rows = [
        PEOPLE_HEADERS,
        person_row("S001", "甲", "MKT"),
        [None] * 10,
        [None] * 10,
        person_row("S002", "乙", "XX"),
    ]

    job = run_import(personas.admin_user, workbook=xlsx_upload("org.xlsx", {"人员": rows}))

    assert messages(job) == [("人员", 5, "部门代码", "未知的部门代码 XX")]


def test_it_reads_numbers_from_excel_cells_as_text(personas):
    rows = [PEOPLE_HEADERS, [1001, "数字工号", "MKT", "", 8001.0, "", "", "", "", ""]]

    job = run_import(personas.admin_user, workbook=xlsx_upload("org.xlsx", {"人员": rows}))

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Person.objects.get(employee_no="1001").phone == "8001"


# --- files that cannot be imported -----------------------------------------------------
def test_it_reports_a_file_that_is_not_a_readable_workbook(personas):
    job = run_import(
        personas.admin_user, workbook=SimpleUploadedFile("坏文件.xlsx", b"PK\x03\x04 not really a zip")
    )

    assert messages(job) == [("坏文件.xlsx", None, "", "无法读取该 Excel 文件，文件可能已损坏")]


def test_it_reports_an_old_xls_file_inside_a_csv_name(personas):
    job = run_import(
        personas.admin_user,
        people_file=SimpleUploadedFile("p.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20),
    )

    assert "另存为 .xlsx" in job.errors[0]["message"]


def test_it_reports_a_binary_file_named_csv(personas):
    job = run_import(personas.admin_user, people_file=SimpleUploadedFile("p.csv", b"\x89PNG\r\n\x1a\n\0\0\0"))

    assert "无法识别文件的文字编码" in job.errors[0]["message"]


def test_it_reports_a_workbook_without_the_named_sheets(personas):
    job = run_import(personas.admin_user, workbook=xlsx_upload("org.xlsx", {"Sheet1": [PEOPLE_HEADERS]}))

    assert messages(job) == [("org.xlsx", None, "", "工作簿中没有名为「部门」或「人员」的工作表")]


def test_a_workbook_in_a_table_slot_may_use_its_first_sheet(personas):
    people = xlsx_upload("people.xlsx", {"Sheet1": [PEOPLE_HEADERS, person_row("W001", "甲", "MKT")]})

    job = run_import(personas.admin_user, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors


def test_it_reports_a_table_given_twice(personas):
    workbook = xlsx_upload("org.xlsx", {"人员": [PEOPLE_HEADERS, person_row("W001", "甲", "MKT")]})
    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("W002", "乙", "MKT")])

    job = run_import(personas.admin_user, workbook=workbook, people_file=people)

    assert job.status == ImportJob.Status.FAILED
    assert "出现了两次" in job.errors[0]["message"]


def test_it_refuses_at_upload_a_file_that_is_too_big(personas, settings):
    settings.CROSSDESK_IMPORT_MAX_BYTES = 100
    people = csv_upload("p.csv", [PEOPLE_HEADERS] + [person_row(f"T{i}", "甲", "MKT") for i in range(10)])

    with pytest.raises(ApplicationError) as caught:
        services.import_job_create(actor=personas.admin_user, people_file=people)

    assert caught.value.field == "people_file"
    assert "文件过大" in caught.value.message
    assert not ImportJob.objects.exists()


def test_the_reader_also_refuses_a_file_that_is_too_big():
    source = importing.Source(slot="people", name="p.csv", content=b"x" * 2000)

    _tables, problems = importing.read_sources([source], max_bytes=1000, max_rows=10)

    assert "文件过大" in problems.items[0].message


@pytest.mark.parametrize("name", ["photo.png", "org.pdf", "old.xls"])
def test_it_refuses_at_upload_a_file_of_the_wrong_type(personas, name):
    with pytest.raises(ApplicationError) as caught:
        services.import_job_create(
            actor=personas.admin_user, departments_file=SimpleUploadedFile(name, b"data")
        )

    assert caught.value.field == "departments_file"


def test_it_refuses_an_upload_without_files(personas):
    with pytest.raises(ApplicationError):
        services.import_job_create(actor=personas.admin_user)


def test_only_administrators_may_import(personas):
    with pytest.raises(PermissionDeniedError):
        services.import_job_create(actor=personas.cs_head.user, workbook=new_company_workbook())


def test_the_row_limit_is_enforced(personas, settings):
    settings.CROSSDESK_IMPORT_MAX_ROWS = 3
    rows = [PEOPLE_HEADERS] + [person_row(f"M{i}", "甲", "MKT") for i in range(5)]

    job = import_people(personas.admin_user, *rows[1:])

    assert job.status == ImportJob.Status.FAILED
    assert "最多 3 行" in job.errors[0]["message"]


# --- round trip -------------------------------------------------------------------------
def test_an_exported_workbook_imports_again_unchanged(personas):
    run_import(personas.admin_user, workbook=new_company_workbook())
    content = exporting.organisation_xlsx()

    job = run_import(personas.admin_user, workbook=SimpleUploadedFile("导出.xlsx", content))

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.departments_created, job.departments_updated, job.people_created, job.people_updated) == (
        0,
        0,
        0,
        0,
    )
    assert job.unchanged_count == Department.objects.count() + Person.objects.count()
    assert rows_of(exporting.organisation_xlsx()) == rows_of(content)


def test_exported_csv_files_import_again_unchanged(personas):
    departments = SimpleUploadedFile("d.csv", exporting.export_file("departments.csv")[0])
    people = SimpleUploadedFile("p.csv", exporting.export_file("people.csv")[0])

    job = run_import(personas.admin_user, departments_file=departments, people_file=people)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.departments_updated, job.people_updated, job.unchanged_count) == (0, 0, 12)


def rows_of(content: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets
    }


def test_the_pipeline_runs_without_the_job_machinery(personas):
    content = xlsx_content({"部门": [DEPT_HEADERS, dept_row("AB", "甲部", "P001")]})
    tables, problems = importing.read_sources(
        [importing.Source("workbook", "x.xlsx", content)], max_bytes=10**6, max_rows=100
    )
    plan, problems = importing.validate(tables, importing.load_snapshot())

    assert not problems
    assert [d.code for d in plan.departments] == ["AB"]


def test_the_example_in_the_documentation_imports_as_described(db):
    import re
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.PROJECT_DIR) / "docs" / "org-import.md").read_text(encoding="utf-8")
    departments, people = re.findall(r"```csv\n(.*?)```", text, re.DOTALL)

    job = run_import(
        UserFactory(username="root", is_superuser=True),
        departments_file=SimpleUploadedFile("部门.csv", departments.encode()),
        people_file=SimpleUploadedFile("人员.csv", people.encode("gbk")),
    )

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.departments_created, job.people_created) == (3, 4)
    lina = Person.objects.get(employee_no="A003")
    assert list(lina.memberships.order_by("-is_primary").values_list("department__code", flat=True)) == [
        "CS",
        "CS1",
    ]
