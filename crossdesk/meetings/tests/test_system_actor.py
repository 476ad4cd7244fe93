"""Scheduled work (the communication plan) calls meetings as the system, naming the person
it calls them for: no login needed, the history says "系统（沟通计划）", and no login may
call a meeting on someone else's behalf (the rule table's ``call_for``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.records import SYSTEM
from crossdesk.meetings import permissions, services
from crossdesk.meetings.choices import EventKind, MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.org.selectors import roles_for
from crossdesk.org.tests.factories import PersonFactory, add_member

from .factories import at_ten, meeting_data, notified

pytestmark = pytest.mark.django_db

PLAN = SYSTEM.for_reason("沟通计划")


def without_login(personas):
    """An MKT member who never had a login (王芳)."""
    person = PersonFactory(employee_no="P102", name="王芳", user=None)
    add_member(person, personas.mkt)
    return person


def for_person(personas, person) -> dict:
    return meeting_data(
        personas,
        recorder=person.pk,
        participants=[
            {"department": personas.mkt.pk, "people": [person.pk], "representative": person.pk},
            {
                "department": personas.cs.pk,
                "people": [personas.cs_liaison.pk],
                "representative": personas.cs_liaison.pk,
            },
        ],
    )


def test_the_system_calls_moves_and_cancels_a_meeting_for_a_person_without_a_login(personas):
    owner = without_login(personas)
    with translation.override("zh-hans"):
        meeting = services.meeting_create_draft(actor=PLAN, data=for_person(personas, owner), initiator=owner)
        assert meeting.initiator == owner and meeting.recorder == owner
        assert meeting.initiating_department == personas.mkt
        services.meeting_send_notice(actor=PLAN, meeting_id=meeting.pk, late_reason="根据沟通计划自动生成")
        starts = at_ten(15)
        services.meeting_reschedule(
            actor=PLAN,
            meeting_id=meeting.pk,
            reason="计划改期",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        services.meeting_cancel(actor=PLAN, meeting_id=meeting.pk, reason="计划行已删除")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 2
    events = list(meeting.events.all())
    assert {e.kind for e in events} >= {EventKind.NOTICE, EventKind.UPDATE, EventKind.CANCELLATION}
    assert all(e.author is None and e.who == "系统（沟通计划）" for e in events)


def test_a_person_acting_still_signs_the_history_with_their_name(personas):
    meeting = notified(personas)
    assert {e.author for e in meeting.events.all()} == {personas.mkt_staff}
    assert not meeting.events.exclude(actor_label="").exists()


def test_no_login_calls_a_meeting_on_someone_elses_behalf(personas):
    owner = without_login(personas)
    with pytest.raises(PermissionDeniedError):
        services.meeting_create_draft(
            actor=personas.mkt_head.user, data=for_person(personas, owner), initiator=owner
        )
    assert not Meeting.objects.filter(initiator=owner).exists()


def test_the_system_may_take_only_the_scheduled_steps(personas):
    meeting = notified(personas)
    system = permissions.MEETING_RULES.allowed(
        permissions.Context(roles_for(PLAN), meeting, system=True), permissions.MEETING_ACTIONS
    )
    assert system == {"reschedule", "cancel"}  # a notified meeting: not its minutes, not held
    assert "call_for" not in permissions.meeting_actions(roles_for(personas.mkt_staff.user), meeting)
