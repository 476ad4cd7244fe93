import io

import pytest
from django.core.management import call_command

from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.models import Request, TimelineEntry
from crossdesk.core.models import User
from crossdesk.demo.company import DEMO_PASSWORD
from crossdesk.org.models import Department, Membership, Person
from crossdesk.org.selectors import roles_for

pytestmark = pytest.mark.django_db

REQUIRED_CODES = {"MKT", "RD", "IT", "PRD", "FIN", "HR", "ADM", "CS", "LOG", "LEG", "SAL", "DOP"}


def snapshot():
    return (
        list(Department.objects.order_by("code").values()),
        list(Person.objects.order_by("employee_no").values()),
        list(Membership.objects.order_by("id").values()),
        list(User.objects.order_by("username").values("username", "password", "is_staff")),
        sorted(Department.supervisors.through.objects.values_list("department_id", "person_id")),
        list(Request.objects.order_by("id").values()),
        TimelineEntry.objects.count(),
    )


def test_the_demo_company_is_realistic_complete_and_idempotent(client):
    """One test, because loading the demo (300 requests replayed through the services)
    takes the better part of half a minute."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    demo_output = out.getvalue()

    codes = set(Department.objects.values_list("code", flat=True))
    assert codes >= REQUIRED_CODES and len(codes) >= 12
    assert Person.objects.count() >= 150
    assert not Department.objects.filter(head=None).exists()
    assert not Department.objects.filter(default_liaison=None).exists()
    assert not Department.objects.exclude(code="GMO").filter(supervisors=None).exists()
    assert Department.objects.get(code="RDFE").parent.code == "RD"
    names = list(Person.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert all("\u4e00" <= name[0] <= "\u9fff" for name in names)

    for username, role_check in [
        ("zhangwei", lambda r: r.is_staff_member and not r.is_head),
        ("lina", lambda r: r.is_liaison),
        ("liuyang", lambda r: r.is_head),
        ("yangguang", lambda r: r.is_supervisor),
        ("admin", lambda r: r.is_admin),
    ]:
        assert username in demo_output
        assert client.login(username=username, password=DEMO_PASSWORD)
        assert role_check(roles_for(User.objects.get(username=username)))
        client.logout()
    assert DEMO_PASSWORD in demo_output

    statuses = set(Request.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in RequestStatus}, statuses
    assert Request.objects.count() >= 250
    assert Request.objects.filter(is_overdue=True).exists()
    assert TimelineEntry.objects.filter(kind="log").count() > Request.objects.count()

    before = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    assert "nothing changed" in out.getvalue()
