import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from crossdesk.org import services
from crossdesk.org.models import Department, ImportJob
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory, add_member

from .helpers import DEPT_HEADERS, PEOPLE_HEADERS, csv_upload, dept_row, person_row, run_import

pytestmark = pytest.mark.django_db


def queries_for(client, url, **params) -> int:
    """How many queries a page takes now (the baseline before adding rows); the
    context processors of other apps count too, so tests compare with this."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


def sheet_rows(response, title):
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in workbook[title].iter_rows(values_only=True)]


# --- chart ------------------------------------------------------------------------------
def test_the_chart_shows_the_tree_with_heads_liaisons_and_supervisors(client_for, personas):
    DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)

    body = client_for(personas.mkt_staff).get(reverse("org:chart")).content.decode()

    assert "组织架构" in body
    assert 'data-testid="chart-node-CS1"' in body
    for text in ("客户服务部", "刘洋", "李娜", "杨总", reverse("org:department", args=["CS"])):
        assert text in body


def test_the_chart_takes_the_same_queries_for_a_bigger_company(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for(personas.mkt_staff)
    baseline = queries_for(client, reverse("org:chart"))
    for i in range(30):
        d = DepartmentFactory(code=f"X{i:02d}", parent=personas.mkt, head=personas.mkt_head)
        d.supervisors.add(personas.supervisor)
        add_member(PersonFactory(), d)

    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("org:chart"))
    assert response.status_code == 200


def test_an_empty_chart_tells_the_administrator_to_import(client_for, db):
    from crossdesk.org.tests.factories import UserFactory

    admin = UserFactory(username="boss", is_staff=True)
    body = client_for(admin).get(reverse("org:chart")).content.decode()

    assert 'data-testid="empty-state"' in body
    assert reverse("org:import") in body


# --- department ---------------------------------------------------------------------
def test_the_department_page_shows_its_people_and_sub_departments(client_for, personas):
    DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)

    response = client_for(personas.outsider).get(reverse("org:department", args=["CS"]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("客户服务部", "刘洋", "李娜", "杨总", "赵磊", "售后组", "P004"):
        assert text in body


def test_the_department_page_takes_the_same_queries_for_more_members(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for(personas.outsider)
    baseline = queries_for(client, reverse("org:department", args=["CS"]))
    for i in range(25):
        add_member(PersonFactory(), personas.cs)
        DepartmentFactory(code=f"C{i:02d}", parent=personas.cs, head=personas.cs_head)

    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("org:department", args=["CS"]))
    assert response.status_code == 200


def test_an_unknown_department_code_is_not_found(client_for, personas):
    assert client_for(personas.outsider).get(reverse("org:department", args=["NOPE"])).status_code == 404


# --- person -----------------------------------------------------------------------------
def test_the_person_page_shows_contact_details_departments_and_derived_roles(client_for, personas):
    personas.supervisor.dingtalk_id = "yang-ding"
    personas.supervisor.phone = "8007"
    personas.supervisor.save()

    body = (
        client_for(personas.cs_staff)
        .get(reverse("org:person", args=[personas.supervisor.pk]))
        .content.decode()
    )

    for text in (
        "杨总",
        "副总经理",
        "8007",
        "yang-ding",
        "p007@example.com",
        "市场部",
        "分管领导",
        "客户服务部",
        "物流部",
    ):
        assert text in body


def test_the_person_page_of_a_head_says_so(client_for, personas):
    body = (
        client_for(personas.cs_staff).get(reverse("org:person", args=[personas.cs_head.pk])).content.decode()
    )

    assert "部门负责人" in body


# --- directory ----------------------------------------------------------------------------
def test_the_directory_searches_in_chinese(client_for, personas):
    response = client_for(personas.outsider).get(reverse("org:people"), {"q": "李娜"})

    body = response.content.decode()
    assert "P003" in body and "P004" not in body
    assert "共 1 人" in body


def test_the_directory_filters_by_department_and_paginates_fifty_a_page(client_for, personas):
    for i in range(55):
        add_member(PersonFactory(employee_no=f"Q{i:03d}"), personas.log)
    client = client_for(personas.outsider)

    first = client.get(reverse("org:people"), {"department": "LOG"}).content.decode()
    second = client.get(reverse("org:people"), {"department": "LOG", "page": 2}).content.decode()

    assert "共 56 人" in first
    assert "Q048" in first and "Q049" not in first
    assert "Q049" in second and "P001" not in second
    assert "department=LOG&amp;page=2" in first


def test_the_directory_answers_htmx_with_the_results_only(client_for, personas):
    response = client_for(personas.outsider).get(
        reverse("org:people"), {"q": "刘"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-results"
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="people-results"')
    assert "P005" in body


def test_the_directory_takes_the_same_queries_for_more_people(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for(personas.outsider)
    baseline = queries_for(client, reverse("org:people"))
    for _ in range(40):
        person = PersonFactory()
        add_member(person, personas.log)
        add_member(person, personas.cs, primary=False)

    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("org:people"))
    assert response.status_code == 200


def test_an_empty_search_says_what_to_do(client_for, personas):
    body = client_for(personas.outsider).get(reverse("org:people"), {"q": "不存在的人"}).content.decode()

    assert "没有符合条件的人员" in body


def test_the_directory_export_holds_exactly_the_filtered_rows(client_for, personas):
    response = client_for(personas.outsider).get(reverse("org:people_export"), {"department": "CS"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response, "人员")
    assert rows[0] == PEOPLE_HEADERS
    assert [r[0] for r in rows[1:]] == ["P003", "P004", "P005"]


# --- exports and templates -------------------------------------------------------------------
def test_administrators_export_the_whole_organisation(client_for, personas):
    response = client_for(personas.admin_user).get(reverse("org:export", args=["org.xlsx"]))

    assert sheet_rows(response, "部门")[0] == DEPT_HEADERS
    assert len(sheet_rows(response, "人员")) == 9


def test_csv_exports_start_with_a_bom_for_excel(client_for, personas):
    response = client_for(personas.admin_user).get(reverse("org:export", args=["people.csv"]))

    assert response.content.startswith("\ufeff工号,姓名,部门代码".encode())
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("name", ["org.xlsx", "departments.csv", "people.csv"])
def test_other_people_may_not_export_the_whole_organisation(client_for, personas, name):
    assert client_for(personas.cs_head).get(reverse("org:export", args=[name])).status_code == 403


@pytest.mark.parametrize("name", ["template.xlsx", "template-departments.csv", "template-people.csv"])
def test_the_import_page_offers_empty_templates(client_for, personas, name):
    response = client_for(personas.admin_user).get(reverse("org:import_template", args=[name]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


# --- import ------------------------------------------------------------------------------------
def test_only_administrators_see_the_import_page(client_for, personas):
    assert client_for(personas.cs_head).get(reverse("org:import")).status_code == 403
    assert client_for(personas.admin_user).get(reverse("org:import")).status_code == 200


def test_uploading_runs_the_import_and_leads_to_the_job_page(
    client_for, personas, django_capture_on_commit_callbacks
):
    client = client_for(personas.admin_user)
    files = {
        "departments_file": csv_upload("部门.csv", [DEPT_HEADERS, dept_row("HR", "人力资源部", "H001")]),
        "people_file": csv_upload("人员.csv", [PEOPLE_HEADERS, person_row("H001", "冯晓", "HR")]),
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:import"), files)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:import_job", args=[job.pk])
    body = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in body
    assert "hx-trigger" not in body
    assert Department.objects.get(code="HR").head.name == "冯晓"


def test_an_upload_without_files_stays_on_the_form_with_a_message(client_for, personas):
    response = client_for(personas.admin_user).post(reverse("org:import"), {})

    assert response.status_code == 400
    assert "请选择要导入的文件" in response.content.decode()


def test_a_file_of_the_wrong_type_is_refused_next_to_its_input(client_for, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(personas.admin_user).post(
        reverse("org:import"), {"people_file": SimpleUploadedFile("名单.docx", b"data")}
    )

    assert response.status_code == 400
    assert "只能导入 .xlsx 或 .csv 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_running_job_page_polls_and_shows_its_progress(client_for, personas):
    job = services.import_job_create(
        actor=personas.admin_user, people_file=csv_upload("p.csv", [PEOPLE_HEADERS])
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, phase=ImportJob.Phase.VALIDATING, rows_total=2000, rows_done=500
    )

    response = client_for(personas.admin_user).get(
        reverse("org:import_job", args=[job.pk]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "校验数据" in body and "25%" in body and "已处理 500 / 2000 行" in body


def test_an_interrupted_job_says_to_upload_again(client_for, personas):
    job = services.import_job_create(
        actor=personas.admin_user, people_file=csv_upload("p.csv", [PEOPLE_HEADERS])
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, updated_at=timezone.now() - ImportJob.STALE_AFTER
    )

    body = client_for(personas.admin_user).get(reverse("org:import_job", args=[job.pk])).content.decode()

    assert "此次导入已中断" in body and "hx-trigger" not in body


def test_a_rejected_job_lists_its_errors_and_offers_them_all_as_csv(client_for, personas, settings):
    rows = [PEOPLE_HEADERS] + [person_row(f"E{i:03d}", "甲", "NOPE") for i in range(310)]
    job = run_import(personas.admin_user, people_file=csv_upload("p.csv", rows))
    client = client_for(personas.admin_user)

    body = client.get(reverse("org:import_job", args=[job.pk])).content.decode()
    csv_response = client.get(reverse("org:import_job_errors", args=[job.pk]))

    assert "未导入任何数据" in body
    assert "共 310 处错误，仅显示前 300 处" in body
    assert body.count("未知的部门代码 NOPE") == 300
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "表,行,列,问题"
    assert lines[1] == "人员,2,部门代码,未知的部门代码 NOPE"
    assert len(lines) == 311


def test_other_people_may_not_see_import_jobs(client_for, personas):
    job = services.import_job_create(
        actor=personas.admin_user, people_file=csv_upload("p.csv", [PEOPLE_HEADERS])
    )

    assert client_for(personas.cs_head).get(reverse("org:import_job", args=[job.pk])).status_code == 403
