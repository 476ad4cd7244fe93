"""A chat-group row of the communication plan is a reminder to its owner at its time, never a
numbered meeting (issue 14 §3): skipped on holidays like meetings, sent once, only the
latest after downtime, and it turns into meetings when the row's channel becomes a meeting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from crossdesk.meetings.choices import MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.notify.models import Notification
from crossdesk.projects import flows
from crossdesk.projects.models.comms import OccurrenceState
from crossdesk.projects.services import comms

from .factories import at, running

pytestmark = pytest.mark.django_db

# 2026: 国庆节 1–7 Oct (Thu 1, Fri 2, Mon 5–Wed 7 are weekdays off), Sat 10 Oct a 调休 working day.


def daily_chat(personas, **overrides) -> dict:
    data = {
        "scenario": "progress_sync",
        "scenario_detail": "联调站会",
        "channel": "chat_group",
        "frequency": "daily",
        "at_time": "17:00",
        "output": "chat_record",
        "owner": personas.cs_liaison.pk,
    }
    data.update(overrides)
    return data


def reminders(personas) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=personas.cs_liaison, event="project.communication_reminder")
    )


@pytest.fixture
def chat_row(personas):
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        project = running(personas)
        meetings_before = Meeting.objects.count()
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=daily_chat(personas)
        )
    assert Meeting.objects.count() == meetings_before  # a chat row calls no meeting
    return entry


def test_a_daily_chat_row_writes_reminders_on_working_days_and_skips_the_holiday(chat_row):
    states = {o.on_date: o.status for o in chat_row.occurrences.all()}
    assert states[date(2026, 9, 28)] == OccurrenceState.REMINDER
    assert states[date(2026, 10, 5)] == OccurrenceState.SKIPPED  # 国庆节
    assert states[date(2026, 10, 10)] == OccurrenceState.REMINDER  # 调休 working Saturday
    assert not chat_row.occurrences.exclude(meeting=None).exists()


def test_the_owner_is_reminded_half_an_hour_before_once(personas, chat_row):
    with time_machine.travel(at(2026, 9, 28, 16, 0), tick=False):
        assert comms.comm_reminders_send() == 0  # an hour before: not yet
    with time_machine.travel(at(2026, 9, 28, 16, 35), tick=False):
        assert comms.comm_reminders_send() == 1
        assert comms.comm_reminders_send() == 0  # the next run sends nothing again
    [reminder] = reminders(personas)
    assert "17:00 联调站会（即时通讯群）" in reminder.title
    assert "每天" in reminder.body or "工作日" in reminder.body


def test_after_downtime_only_the_latest_missed_reminder_goes_out(personas, chat_row):
    # Nothing ran from Mon 28 Sep to Thu 8 Oct 16:40: three working days' reminders were missed.
    with time_machine.travel(at(2026, 10, 8, 16, 40), tick=False):
        assert comms.comm_reminders_send() == 1
    [reminder] = reminders(personas)
    assert "17:00 联调站会" in reminder.title
    missed = chat_row.occurrences.filter(on_date__lt=date(2026, 10, 8), status=OccurrenceState.REMINDER)
    assert missed.count() == 3 and all(o.reminded_at and "未发送" in o.note for o in missed)


def test_a_chat_row_that_becomes_a_weekly_meeting_calls_meetings_and_back(personas, chat_row):
    with time_machine.travel(at(2026, 9, 28, 18, 0), tick=False):
        weekly = {
            "channel": "weekly_meeting",
            "frequency": "weekly",
            "weekdays": [2],
            "place": "3楼第一会议室",
        }
        flows.comm_entry_update(actor=personas.mkt_head.user, entry_id=chat_row.pk, data=weekly)
        called = chat_row.occurrences.exclude(meeting=None)
        future_reminders = chat_row.occurrences.filter(
            status=OccurrenceState.REMINDER, starts_at__gt=at(2026, 9, 28, 18, 0)
        )
        assert called.exists() and not future_reminders.exists()  # today's, already past, stays
        meeting_ids = list(called.values_list("meeting_id", flat=True))
        flows.comm_entry_update(
            actor=personas.mkt_head.user, entry_id=chat_row.pk, data={"channel": "chat_group"}
        )
    assert set(Meeting.objects.filter(pk__in=meeting_ids).values_list("status", flat=True)) == {
        MeetingStatus.CANCELLED
    }
    assert chat_row.occurrences.filter(
        status=OccurrenceState.REMINDER, starts_at__gt=at(2026, 9, 29, 0, 0)
    ).exists()


def test_a_reminder_moves_with_the_rows_time(personas, chat_row):
    with time_machine.travel(at(2026, 9, 28, 18, 0), tick=False):
        flows.comm_entry_update(actor=personas.mkt_head.user, entry_id=chat_row.pk, data={"at_time": "09:30"})
    tomorrow = chat_row.occurrences.get(on_date=date(2026, 9, 29))
    assert tomorrow.status == OccurrenceState.REMINDER
    assert tomorrow.starts_at == at(2026, 9, 29, 9, 30)
    assert tomorrow.starts_at - timedelta(minutes=30) == at(2026, 9, 29, 9, 0)
