import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.models import Request, TimelineEntry
from crossdesk.core.models import User
from crossdesk.demo.company import DEMO_PASSWORD
from crossdesk.meetings.choices import OPEN_ACTION_STATUSES, ActionStatus, MeetingKind, MeetingStatus
from crossdesk.meetings.models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingEvent,
    MinutesResponse,
    MinutesVersion,
)
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
        list(Meeting.objects.order_by("id").values()),
        list(ActionItem.objects.order_by("id").values()),
        MeetingEvent.objects.count(),
        MinutesVersion.objects.count(),
        MinutesResponse.objects.count(),
        ActionItemUpdate.objects.count(),
    )


def test_the_demo_company_is_realistic_complete_and_idempotent(client):
    """One test, because loading the demo (300 requests and 50 meetings replayed through
    the services) takes the better part of a minute."""
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

    meetings = Meeting.objects.all()
    assert set(meetings.values_list("status", flat=True)) == set(MeetingStatus.values)
    assert set(meetings.values_list("kind", flat=True)) == set(MeetingKind.values)
    assert 40 <= meetings.count() <= 60
    now = timezone.now()
    assert meetings.filter(starts_at__gt=now).exists()
    assert meetings.filter(starts_at__lt=now - timedelta(days=60)).exists()
    assert meetings.exclude(notice_late_reason="").exists()
    assert meetings.exclude(request=None).exists()
    assert MinutesVersion.objects.filter(number=2).exists()  # objected, revised, circulated again
    signed = meetings.get(pk=meetings.filter(status=MeetingStatus.SIGNED).values("pk")[:1])
    assert signed.consensus and signed.disagreements and signed.discussion
    assert all(p.head_signed_at for p in signed.departments.all())
    assert 2 <= signed.action_items.count() <= 4
    items = ActionItem.objects.exclude(meeting=None)
    assert {
        ActionStatus.DONE,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DELAYED,
        ActionStatus.NOT_STARTED,
    } <= set(items.values_list("status", flat=True))
    assert items.filter(status__in=OPEN_ACTION_STATUSES, due_at__lt=now).exists()  # overdue
    assert not items.filter(status=ActionStatus.DELAYED, delay_reason="").exists()
    assert not items.filter(meeting__status=MeetingStatus.ARCHIVED, status__in=OPEN_ACTION_STATUSES).exists()
    assert "demo meetings created" in demo_output

    before = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    assert "nothing changed" in out.getvalue()
