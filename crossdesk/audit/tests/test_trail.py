"""What each change leaves in the trail: per field old → new, who, via what, in the same
transaction; and that rows cannot be changed."""

import json
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import RequestFactory

from crossdesk.audit.context import audit_context
from crossdesk.audit.middleware import AuditContextMiddleware
from crossdesk.audit.models import AuditEvent, Via
from crossdesk.audit.services import audited_bulk_create, audited_update
from crossdesk.collaboration.tests import factories
from crossdesk.core.records.actors import SYSTEM
from crossdesk.org import services as org_services
from crossdesk.org.models import Department, Person
from crossdesk.org.tests.factories import DepartmentFactory
from crossdesk.org.tests.helpers import (
    DEPT_HEADERS,
    PEOPLE_HEADERS,
    csv_upload,
    dept_row,
    person_row,
    run_import,
)
from crossdesk.workcal.models import CalendarDay, Layer

pytestmark = pytest.mark.django_db


def events_of(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEvent.objects.filter(content_type=ct, object_id=obj.pk).order_by("id"))


def test_a_change_records_each_field_old_and_new(personas):
    org_services.department_update(
        actor=personas.admin_user, department=personas.fin, name="财务中心", sort_order=9
    )
    last = events_of(personas.fin)[-1]
    assert last.action == AuditEvent.Action.UPDATE
    assert last.changes == {"name": ["财务部", "财务中心"], "sort_order": [4, 9]}


def test_creation_and_deletion_are_recorded_with_the_values(personas):
    department = DepartmentFactory.create(code="TMP", name="临时")
    pk = department.pk
    department.delete()
    created, deleted = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Department), object_id=pk
    ).order_by("id")
    assert created.action == AuditEvent.Action.CREATE and created.changes["code"] == [None, "TMP"]
    assert deleted.action == AuditEvent.Action.DELETE and deleted.changes["name"] == ["临时", None]


def test_noise_fields_are_not_recorded(personas):
    request = factories.draft(personas)
    created = events_of(request)[0]
    assert "updated_at" not in created.changes and "version" not in created.changes
    assert created.changes["title"] == [None, "客户订单物流延迟投诉"]


def test_the_row_is_written_in_the_changes_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        DepartmentFactory.create(code="GONE", name="回滚")
        raise RuntimeError
    assert not AuditEvent.objects.filter(object_repr__contains="回滚").exists()


def test_a_secret_is_masked(personas):
    from crossdesk.notify.models import DepartmentRobot

    DepartmentRobot.objects.create(
        department=personas.cs,
        kind="dingtalk",
        name="群",
        webhook_url="https://example.invalid/hook",
        secret="s3cret",
    )
    changes = AuditEvent.objects.filter(object_repr__startswith="群").get().changes
    assert changes["secret"] == ["None", "******"] or changes["secret"][1] == "******"
    assert "s3cret" not in json.dumps(changes) and "example.invalid" not in json.dumps(changes)


def test_a_membership_of_a_supervisor_is_recorded_on_the_department(personas):
    personas.fin.supervisors.add(personas.supervisor)
    last = events_of(personas.fin)[-1]
    assert last.changes["supervisors"]["operation"] == "add"
    assert last.changes["supervisors"]["objects"] == [str(personas.supervisor)]


# --- who and via what -------------------------------------------------------------------


def test_outside_any_request_the_system_is_the_actor(personas):
    department = DepartmentFactory.create(code="SYS", name="系统建")
    event = events_of(department)[0]
    assert event.via == Via.SYSTEM and event.actor_id is None and event.actor_name == str(SYSTEM)


def test_a_system_actor_records_its_reason():
    with audit_context(via=Via.SYSTEM, actor=SYSTEM.for_reason("沟通计划")):
        department = DepartmentFactory.create(code="PLAN", name="计划")
    event = events_of(department)[0]
    assert (
        event.actor_id is None and "沟通计划" in event.actor_label and event.actor_name == event.actor_label
    )


def test_a_reason_given_is_recorded(personas):
    with audit_context(actor=personas.admin_user, reason="年度调整"):
        org_services.department_update(actor=personas.admin_user, department=personas.fin, name="财务二部")
    event = events_of(personas.fin)[-1]
    assert event.reason == "年度调整" and event.actor_id == personas.admin_user.pk


def test_the_reason_typed_on_a_page_is_the_rows_reason(client_for, personas):
    request = factories.submitted(personas)
    response = client_for(personas.mkt_staff).post(
        f"/requests/{request.pk}/cancel/", {"reason": "客户已自行解决，无需协作"}
    )
    assert response.status_code in (302, 303)
    request.refresh_from_db()
    assert request.status == "cancelled"
    event = events_of(request)[-1]
    assert event.reason == "客户已自行解决，无需协作" and event.via == Via.PAGE
    assert "status" in event.changes


def test_the_reason_sent_to_the_api_is_the_rows_reason(client_for, personas):
    request = factories.submitted(personas)
    response = client_for(personas.mkt_staff).post(
        f"/api/v1/requests/{request.pk}/cancel",
        json.dumps({"reason": "需求合并到RQ-2026-0012"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    event = events_of(request)[-1]
    assert event.reason == "需求合并到RQ-2026-0012" and event.via == Via.API


def test_a_change_without_a_reason_leaves_it_blank(client_for, personas):
    response = client_for(personas.admin_user).put(
        "/api/v1/calendar/overrides/2027-03-11",
        {"is_working": False, "name": "团建", "note": "全员团建"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert events_of(CalendarDay.objects.get(date=date(2027, 3, 11)))[0].reason == ""


@pytest.mark.parametrize(
    ("path", "via"), [("/api/v1/org/x", Via.API), ("/admin/org/", Via.ADMIN), ("/org/people/", Via.PAGE)]
)
def test_the_middleware_names_the_way_in_and_the_signed_in_user(personas, path, via):
    request = RequestFactory().get(path)
    request.user = personas.cs_head.user

    def view(request):
        return DepartmentFactory.create(code="MW", name="中间件")

    department = AuditContextMiddleware(view)(request)
    event = events_of(department)[0]
    assert event.via == via and event.actor_id == personas.cs_head.user.pk
    assert event.actor_name == personas.cs_head.name


def test_a_page_change_is_by_the_person_via_the_page(client_for, personas):
    response = client_for(personas.admin_user).post(
        "/calendar/day/2027-03-10/", {"kind": "off", "name": "团建", "note": "全员团建"}
    )
    assert response.status_code in (200, 302)
    day = CalendarDay.objects.get(layer=Layer.COMPANY, date=date(2027, 3, 10))
    event = events_of(day)[0]
    assert (event.via, event.actor_id, event.action) == (
        Via.PAGE,
        personas.admin_user.pk,
        AuditEvent.Action.CREATE,
    )


def test_an_api_change_and_its_removal_are_by_the_person_via_the_api(client_for, personas):
    client = client_for(personas.admin_user)
    body = {"is_working": False, "name": "团建", "note": "全员团建"}
    assert (
        client.put("/api/v1/calendar/overrides/2027-03-10", body, content_type="application/json").status_code
        == 200
    )
    day_id = CalendarDay.objects.get(layer=Layer.COMPANY).pk
    assert client.delete("/api/v1/calendar/overrides/2027-03-10").status_code == 204
    ct = ContentType.objects.get_for_model(CalendarDay)
    rows = AuditEvent.objects.filter(content_type=ct, object_id=day_id).order_by("id")
    assert [(e.action, e.via, e.actor_id) for e in rows] == [
        (AuditEvent.Action.CREATE, Via.API, personas.admin_user.pk),
        (AuditEvent.Action.DELETE, Via.API, personas.admin_user.pk),
    ]


def test_an_admin_deletion_is_via_the_admin(client_for, personas):
    department = DepartmentFactory.create(code="ADM", name="待删")
    response = client_for(personas.admin_user).post(
        f"/admin/org/department/{department.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Department),
        object_id=department.pk,
        action=AuditEvent.Action.DELETE,
    ).get()
    assert deleted.via == Via.ADMIN and deleted.actor_id == personas.admin_user.pk


def test_a_background_task_acts_as_the_system_with_the_task_as_reason(personas):
    from crossdesk.workcal.tasks import refresh_statutory_days

    CalendarDay.objects.filter(layer=Layer.STATUTORY, date__year=2026).delete()
    refresh_statutory_days.enqueue()
    created = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(CalendarDay), action=AuditEvent.Action.CREATE
    ).latest("id")
    assert created.via == Via.SYSTEM and "workcal.refresh_statutory_days" in created.actor_label


def test_an_import_is_by_the_uploader_via_import_with_per_field_changes(personas):
    departments = csv_upload(
        "departments.csv", [DEPT_HEADERS, dept_row("RND", "研发部", "P100", supervisors="P007")]
    )
    people = csv_upload(
        "people.csv",
        [
            PEOPLE_HEADERS,
            person_row("P100", "孙研", "RND", title="研发经理"),
            person_row("P008", "周敏", "FIN", title="主管会计", email=personas.outsider.email),
        ],
    )
    job = run_import(personas.admin_user, departments_file=departments, people_file=people)
    assert job.status == "succeeded", job.errors
    rnd = Department.objects.get(code="RND")
    created = events_of(rnd)[0]
    assert (created.via, created.actor_id, created.action) == (
        Via.IMPORT,
        personas.admin_user.pk,
        AuditEvent.Action.CREATE,
    )
    assert created.changes["name"] == [None, "研发部"]
    assert created.changes["supervisors"] == [None, [personas.supervisor.pk]]
    newcomer = Person.objects.get(employee_no="P100")
    assert events_of(newcomer)[0].changes["departments"] == [None, [rnd.pk]]
    changed = events_of(personas.outsider)[-1]
    assert changed.via == Via.IMPORT and changed.changes == {"title": ["会计", "主管会计"]}
    assert changed.reason  # the file imported


# --- the bulk helpers -------------------------------------------------------------------


def test_bulk_create_and_update_through_the_helpers_leave_rows(personas):
    days = audited_bulk_create(
        CalendarDay.objects,
        [CalendarDay(date=date(2030, 1, d), layer=Layer.COMPANY, is_working=False, name="x") for d in (2, 3)],
    )
    assert audited_update(CalendarDay.objects.filter(pk__in=[d.pk for d in days]), name="y") == 2
    for day in days:
        created, updated = events_of(day)
        assert created.action == AuditEvent.Action.CREATE and created.changes["name"] == [None, "x"]
        assert updated.action == AuditEvent.Action.UPDATE and updated.changes == {"name": ["x", "y"]}


def test_an_update_that_changes_nothing_leaves_no_row(personas):
    before = AuditEvent.objects.count()
    audited_update(Department.objects.filter(pk=personas.fin.pk), name=personas.fin.name)
    assert AuditEvent.objects.count() == before


# --- immutability -----------------------------------------------------------------------


def test_rows_cannot_be_changed_or_deleted(personas):
    event = AuditEvent.objects.latest("id")
    event.reason = "篡改"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(ValueError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    with pytest.raises(ValueError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_admin_shows_rows_read_only(client_for, personas):
    client = client_for(personas.admin_user)
    event = AuditEvent.objects.latest("id")
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
