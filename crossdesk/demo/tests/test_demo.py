import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.models import Request, TimelineEntry
from crossdesk.core.models import User
from crossdesk.demo.company import DEMO_PASSWORD
from crossdesk.demo.tests.english import english_sentences
from crossdesk.knowledge.models import Entry
from crossdesk.meetings.choices import OPEN_ACTION_STATUSES, ActionStatus, MeetingKind, MeetingStatus
from crossdesk.meetings.models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingEvent,
    MinutesResponse,
    MinutesVersion,
)
from crossdesk.notify.models import Notification
from crossdesk.notify.selectors import unread_records
from crossdesk.org.models import Department, Membership, Person
from crossdesk.org.selectors import roles_for
from crossdesk.projects import models as pm
from crossdesk.projects.choices import CoordinationStatus, ProjectStatus, TaskHealth
from crossdesk.search.models import SearchDocument

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
        list(pm.Project.objects.order_by("id").values()),
        list(pm.Task.objects.order_by("id").values()),
        list(pm.Coordination.objects.order_by("id").values()),
        pm.ProjectEvent.objects.count(),
        pm.TaskUpdate.objects.count(),
        pm.WeeklyReport.objects.count(),
        pm.CommunicationOccurrence.objects.count(),
        list(pm.ChangeRequest.objects.order_by("id").values("status")),
        list(pm.Deliverable.objects.order_by("id").values("status", "round")),
        pm.Lesson.objects.count(),
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

    # The demo meetings; the projects' own meetings (kickoffs, coordination, the
    # communication plan's occurrences) carry the project number and are checked below.
    meetings = Meeting.objects.exclude(related_matter__startswith="XM-")
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

    check_demo_projects(demo_output)
    check_demo_knowledge(demo_output)
    # A calm bell (issue 14 §2): the replayed months were read as they came, the last two days not.
    assert "earlier messages marked read" in demo_output
    for username in ("zhangwei", "lina", "liuyang", "yangguang", "admin"):
        person = Person.objects.get(user__username=username)
        assert unread_records(person=person) <= 60, username
    assert not Notification.objects.filter(read_at=None, created_at__lt=now - timedelta(days=3)).exists()
    assert Notification.objects.filter(created_at__gte=now - timedelta(days=2), read_at=None).exists()
    # What people read (notifications, history, deadlines, records) is Chinese (issue 14 §1).
    assert list(english_sentences()) == []

    before = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    assert "nothing changed" in out.getvalue()


def check_demo_knowledge(demo_output: str) -> None:
    """Entries published from resolved requests, lessons and meeting consensus, in use."""
    assert "demo knowledge base entries published" in demo_output
    sources = set(Entry.objects.values_list("source_type", flat=True))
    assert sources == {"collaboration.request", "projects.lesson", "meetings.meeting"}, sources
    assert Entry.objects.filter(source_type="collaboration.request").count() >= 5
    titles = list(Entry.objects.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)
    assert Entry.objects.filter(helpful__gt=0).exists() and Entry.objects.filter(views__gt=0).exists()
    entry = Entry.objects.filter(source_type="collaboration.request").first()
    assert SearchDocument.objects.filter(object_type="knowledge.entry", object_id=entry.pk).exists()


def check_demo_projects(demo_output: str) -> None:
    """Five projects, one in every phase, replayed through the services (SPEC §5)."""
    assert "demo projects created" in demo_output and "✗" not in demo_output
    projects = {p.status: p for p in pm.Project.objects.all()}
    assert pm.Project.objects.count() == 5
    assert set(projects) == {
        ProjectStatus.DRAFT,
        ProjectStatus.KICKED_OFF,
        ProjectStatus.RUNNING,
        ProjectStatus.ARCHIVED,
    }
    running = pm.Project.objects.filter(status=ProjectStatus.RUNNING)
    assert running.count() == 2

    from crossdesk.projects.services.charter import project_smart_problems

    assert project_smart_problems(projects[ProjectStatus.DRAFT])  # the draft says what is missing
    kicked = projects[ProjectStatus.KICKED_OFF]
    assert kicked.kickoff_meeting.status == MeetingStatus.NOTIFIED
    assert kicked.kickoff_meeting.starts_at > timezone.now()

    tasks = pm.Task.objects.filter(project__in=running)
    healths = set(tasks.values_list("health", flat=True))
    assert {TaskHealth.ON_TRACK, TaskHealth.BEHIND, TaskHealth.BLOCKED, TaskHealth.OVERDUE,
            TaskHealth.DONE_EARLY} <= healths, healths  # fmt: skip
    blocked = tasks.get(health=TaskHealth.BLOCKED)
    open_coordination = blocked.coordinations.get(status=CoordinationStatus.OPEN)
    assert open_coordination.due_at > open_coordination.opened_at and open_coordination.meeting_id
    assert pm.Coordination.objects.filter(status=CoordinationStatus.RECORDED).exists()
    assert sum(1 for t in tasks if not t.raci_cells.filter(role="A").exists()) == 1  # flagged
    assert pm.SubGoalProgress.objects.filter(sub_goal__project__in=running).count() >= 10
    assert pm.WeeklyReport.objects.filter(project__in=running).count() >= 8
    entries = pm.CommunicationPlanEntry.objects.filter(project__in=running)
    assert {"daily", "weekly"} <= set(entries.values_list("frequency", flat=True))
    occurrences = pm.CommunicationOccurrence.objects.filter(project__in=running)
    assert occurrences.filter(meeting__status=MeetingStatus.SIGNED).exists()  # held, minutes final
    assert occurrences.filter(meeting__starts_at__gt=timezone.now()).exists()  # called ahead
    changes = pm.ChangeRequest.objects.filter(project__in=running)
    assert set(changes.values_list("status", flat=True)) == {"approved", "submitted"}
    assert pm.PlanVersion.objects.filter(project__in=running).count() >= 3
    deliverables = pm.Deliverable.objects.filter(project__in=running)
    assert {"accepted", "returned"} <= set(deliverables.values_list("status", flat=True))
    assert deliverables.get(status="returned").rework_due_at > timezone.now() - timedelta(days=7)

    archived = projects[ProjectStatus.ARCHIVED]
    assert archived.retain_until and archived.archive_list.items
    assert archived.retrospective.status == "final"
    assert pm.Lesson.objects.filter(project=archived, published_at__isnull=False).count() >= 2
