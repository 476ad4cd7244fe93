import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crossdesk.org.models import ImportJob
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory, add_member

from .helpers import PEOPLE_HEADERS, csv_upload, new_org_workbook, person_row

pytestmark = pytest.mark.django_db
API = "/api/v1/org"


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


def test_the_api_wants_a_login(client, db):
    assert client.get(f"{API}/departments").status_code == 401


def test_it_lists_departments_flat_with_their_people(client_for, personas):
    DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)

    data = client_for(personas.outsider).get(f"{API}/departments").json()

    cs = next(d for d in data if d["code"] == "CS")
    assert cs["head"] == {"id": personas.cs_head.pk, "employee_no": "P005", "name": "刘洋"}
    assert cs["liaison"]["employee_no"] == "P003"
    assert [s["employee_no"] for s in cs["supervisors"]] == ["P007"]
    assert cs["member_count"] == 3
    assert next(d for d in data if d["code"] == "CS1")["parent_code"] == "CS"


def test_the_department_list_does_not_grow_in_queries_with_rows(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for(personas.outsider)
    baseline = count_queries(client, f"{API}/departments")
    for i in range(25):
        d = DepartmentFactory(
            code=f"X{i:02d}", parent=personas.cs, head=personas.cs_head, default_liaison=personas.cs_staff
        )
        d.supervisors.add(personas.supervisor, personas.mkt_head)

    with django_assert_max_num_queries(baseline):
        assert len(client.get(f"{API}/departments").json()) == 29


def test_it_shows_one_department_with_children_and_members(client_for, personas):
    DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)

    data = client_for(personas.outsider).get(f"{API}/departments/cs").json()

    assert data["children"] == [{"code": "CS1", "name": "售后组"}]
    assert [m["employee_no"] for m in data["members"]] == ["P003", "P004", "P005"]


def test_an_unknown_department_is_404(client_for, personas):
    response = client_for(personas.outsider).get(f"{API}/departments/NOPE")

    assert response.status_code == 404
    assert response.json()["message"]


def test_it_pages_and_filters_people_with_a_total_count(client_for, personas):
    client = client_for(personas.outsider)

    page = client.get(f"{API}/people", {"limit": 3, "offset": 3}).json()
    filtered = client.get(f"{API}/people", {"q": "经理", "department": "CS"}).json()

    assert page["count"] == 8 and [p["employee_no"] for p in page["items"]] == ["P004", "P005", "P006"]
    assert [p["employee_no"] for p in filtered["items"]] == ["P005"]
    assert filtered["items"][0]["departments"] == [{"code": "CS", "name": "客户服务部", "is_primary": True}]


def test_the_people_list_does_not_grow_in_queries_with_rows(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for(personas.outsider)
    baseline = count_queries(client, f"{API}/people", {"limit": 200})
    for _ in range(30):
        person = PersonFactory()
        add_member(person, personas.log)
        add_member(person, personas.fin, primary=False)

    with django_assert_max_num_queries(baseline):
        assert client.get(f"{API}/people", {"limit": 200}).json()["count"] == 38


def test_the_page_size_is_bounded(client_for, personas):
    assert client_for(personas.outsider).get(f"{API}/people", {"limit": 1000}).status_code == 422


def test_it_shows_one_person(client_for, personas):
    data = client_for(personas.outsider).get(f"{API}/people/{personas.supervisor.pk}").json()

    assert (data["name"], data["title"], data["email"]) == ("杨总", "副总经理", "p007@example.com")


def test_it_tells_me_my_roles(client_for, personas):
    data = client_for(personas.supervisor).get(f"{API}/me/roles").json()

    assert data == {
        "person": {"id": personas.supervisor.pk, "employee_no": "P007", "name": "杨总"},
        "is_admin": False,
        "staff_of": ["MKT"],
        "liaison_of": [],
        "head_of": [],
        "supervises": ["CS", "LOG"],
    }


def test_an_administrator_imports_a_workbook_and_polls_the_job(
    client_for, personas, django_capture_on_commit_callbacks
):
    client = client_for(personas.admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/imports", {"workbook": new_org_workbook()})

    assert response.status_code == 201
    job = client.get(f"{API}/imports/{response.json()['id']}").json()
    assert (job["status"], job["phase"], job["percent"]) == ("succeeded", "done", 100)
    assert job["counts"] == {
        "departments_created": 2,
        "departments_updated": 0,
        "people_created": 2,
        "people_updated": 0,
        "unchanged": 0,
    }


def test_a_rejected_import_returns_its_errors(client_for, personas, django_capture_on_commit_callbacks):
    client = client_for(personas.admin_user)
    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("N1", "甲", "XYZ")])

    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(f"{API}/imports", {"people_file": people}).json()["id"]

    job = client.get(f"{API}/imports/{job_id}").json()
    assert job["status"] == "failed"
    assert job["errors"] == [
        {"table": "人员", "row": 2, "column": "部门代码", "message": "未知的部门代码 XYZ"}
    ]
    assert job["errors_csv_url"].endswith(f"/imports/{job_id}/errors.csv")


def test_a_bad_upload_is_a_400_naming_the_field(client_for, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(personas.admin_user).post(
        f"{API}/imports", {"workbook": SimpleUploadedFile("org.csv", b"a,b")}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "workbook"


def test_only_administrators_import_through_the_api(client_for, personas):
    response = client_for(personas.cs_head).post(f"{API}/imports", {"workbook": new_org_workbook()})

    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_only_administrators_see_import_jobs(client_for, personas):
    job = ImportJob.objects.create(file_name="x.csv", created_by=personas.admin_user)

    assert client_for(personas.cs_head).get(f"{API}/imports/{job.pk}").status_code == 403


def test_anyone_exports_the_filtered_directory(client_for, personas):
    response = client_for(personas.outsider).get(f"{API}/export/people.xlsx", {"department": "LOG"})

    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True)["人员"].iter_rows(values_only=True)
    )
    assert [r[0] for r in rows[1:]] == ["P006"]


def test_only_administrators_export_everything(client_for, personas):
    assert client_for(personas.cs_head).get(f"{API}/export/org.xlsx").status_code == 403
    response = client_for(personas.admin_user).get(f"{API}/export/departments.csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("部门代码,部门名称,上级部门代码")


def test_the_openapi_schema_declares_the_errors_each_operation_can_return(db):
    from crossdesk.api import api

    paths = api.get_openapi_schema()["paths"]

    assert {201, 400, 403} <= set(paths["/api/v1/org/imports"]["post"]["responses"])
    assert 404 in paths["/api/v1/org/departments/{code}"]["get"]["responses"]
