"""The communication plan: structured frequencies, meetings on the working-day calendar
(holidays skipped, 调休 Saturdays included), idempotent generation, edits and removals that
follow into future meetings only (SPEC §5 [002][003])."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import timezone, translation

from crossdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError, TransitionError
from crossdesk.meetings.choices import EventKind, MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.org.models import Membership
from crossdesk.org.tests.factories import PersonFactory, add_member
from crossdesk.projects import flows
from crossdesk.projects.models.comms import OccurrenceState
from crossdesk.projects.services import comms
from crossdesk.workcal.selectors import get_calendar

from .factories import at, part, running

pytestmark = pytest.mark.django_db

# Calendar facts these tests stand on (2026): 中秋 25–27 Sep, 国庆节 1–7 Oct (Mon 5 Oct off),
# Sat 10 Oct a 调休 working day, Sun 11 Oct off.


def weekly_monday(personas, project, **overrides) -> dict:
    data = {
        "scenario": "progress_sync",
        "channel": "weekly_meeting",
        "frequency": "weekly",
        "weekdays": [0],
        "at_time": "10:00",
        "participants": [part(project, personas.cs).pk, part(project, personas.log).pk],
        "output": "weekly_list",
        "owner": personas.mkt_staff.pk,
        "place": "3楼第一会议室",
    }
    data.update(overrides)
    return data


def test_a_daily_row_on_working_days_skips_holidays_and_meets_on_the_make_up_saturday():
    calendar = get_calendar()
    days = comms.plan_days(
        frequency="daily",
        weekdays=[],
        working_days_only=True,
        first=date(2026, 9, 28),
        last=date(2026, 10, 12),
        is_working_day=calendar.is_working_day,
        day_name=comms._day_namer(calendar),
    )
    held = [d.day for d in days if not d.skipped]
    skipped = {d.day: d.skipped for d in days if d.skipped}
    assert held == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
        date(2026, 10, 12),
    ]
    assert sorted(skipped) == [date(2026, 10, d) for d in (1, 2, 5, 6, 7)]  # weekdays of the holiday
    assert "国庆节" in skipped[date(2026, 10, 5)]
    assert date(2026, 10, 11) not in skipped  # an ordinary Sunday is not worth a line


def test_a_weekly_monday_row_skips_the_holiday_monday_and_says_why():
    calendar = get_calendar()
    days = comms.plan_days(
        frequency="weekly",
        weekdays=[0],
        working_days_only=True,
        first=date(2026, 9, 28),
        last=date(2026, 10, 19),
        is_working_day=calendar.is_working_day,
        day_name=comms._day_namer(calendar),
    )
    assert [(d.day, bool(d.skipped)) for d in days] == [
        (date(2026, 9, 28), False),
        (date(2026, 10, 5), True),
        (date(2026, 10, 12), False),
        (date(2026, 10, 19), False),
    ]
    assert "国庆节" in days[1].skipped


def test_a_daily_row_on_every_day_meets_on_holidays_and_weekends_too():
    days = comms.plan_days(
        frequency="daily",
        weekdays=[],
        working_days_only=False,
        first=date(2026, 10, 1),
        last=date(2026, 10, 7),
        is_working_day=get_calendar().is_working_day,
    )
    assert len(days) == 7 and not any(d.skipped for d in days)


def test_the_frequency_reads_as_people_say_it():
    entry = comms.CommunicationPlanEntry(
        frequency="weekly", weekdays=[0, 2], at_time=at(2026, 1, 1, 10, 0).time()
    )
    assert comms.frequency_text(entry) == "每周一、三 10:00"
    entry = comms.CommunicationPlanEntry(frequency="as_needed")
    assert comms.frequency_text(entry) == "按需"


def test_a_weekly_row_calls_its_meetings_for_four_weeks_with_notices_skipping_the_holiday(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
        occurrences = {o.on_date: o for o in entry.occurrences.select_related("meeting")}
    assert sorted(occurrences) == [
        date(2026, 9, 28),
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
    ]
    skipped = occurrences[date(2026, 10, 5)]
    assert skipped.status == OccurrenceState.SKIPPED and skipped.meeting is None and "国庆节" in skipped.note
    soon = occurrences[date(2026, 9, 28)].meeting
    assert soon.status == MeetingStatus.NOTIFIED
    assert timezone.localtime(soon.starts_at) == at(2026, 9, 28, 10, 0)
    # Thu 24 → Mon 28 Sep is 1 working day (中秋 in between): short notice, with the reason recorded.
    assert soon.notice_late_reason == "根据沟通计划自动生成"  # "generated from the communication plan"
    later = occurrences[date(2026, 10, 12)].meeting
    assert later.notice_late_reason == "" and later.initiator == personas.mkt_staff
    assert set(later.departments.values_list("department__code", flat=True)) == {"MKT", "CS", "LOG"}
    assert set(later.invitees.values_list("person_id", flat=True)) >= {
        personas.cs_liaison.pk,
        personas.log_head.pk,
    }


def test_generating_twice_creates_nothing_new_and_the_daily_job_extends_the_horizon(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
        meetings = Meeting.objects.count()
        assert flows.comm_generate(actor=personas.mkt_head.user, project_id=project.pk) == 0
        assert flows.comm_generate_all() == 0
        assert Meeting.objects.count() == meetings
    with time_machine.travel(at(2026, 10, 1, 9, 0), tick=False):
        assert flows.comm_generate_all() == 1  # Mon 26 Oct comes inside the 4 weeks
    assert entry.occurrences.filter(on_date=date(2026, 10, 26), status=OccurrenceState.SCHEDULED).exists()


def test_a_daily_row_meets_on_the_make_up_saturday(personas):
    with time_machine.travel(at(2026, 10, 6, 9, 0), tick=False):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user,
            project_id=project.pk,
            data=weekly_monday(
                personas, project, frequency="daily", weekdays=[], at_time="17:00", last_date="2026-10-12"
            ),
        )
    scheduled = list(
        entry.occurrences.filter(status=OccurrenceState.SCHEDULED).values_list("on_date", flat=True)
    )
    assert scheduled == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12)]
    assert entry.occurrences.filter(status=OccurrenceState.SKIPPED).count() == 2  # Tue 6 and Wed 7 Oct


def test_changing_the_time_moves_future_meetings_and_leaves_held_ones(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
        first = entry.occurrences.get(on_date=date(2026, 9, 28)).meeting
    with time_machine.travel(at(2026, 9, 28, 11, 30), tick=False):
        from crossdesk.meetings import services as ms

        ms.meeting_mark_held(actor=personas.mkt_staff.user, meeting_id=first.pk)
        flows.comm_entry_update(
            actor=personas.mkt_head.user, entry_id=entry.pk, data={"at_time": "14:30"}, version=entry.version
        )
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD and timezone.localtime(first.starts_at) == at(
        2026, 9, 28, 10, 0
    )
    moved = entry.occurrences.get(on_date=date(2026, 10, 12)).meeting
    assert timezone.localtime(moved.starts_at) == at(2026, 10, 12, 14, 30)
    assert moved.sequence == 1 and moved.events.filter(kind=EventKind.UPDATE).exists()


def test_changing_the_weekday_cancels_meetings_no_longer_wanted_and_calls_the_new_ones(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
        old = entry.occurrences.get(on_date=date(2026, 10, 12)).meeting
        flows.comm_entry_update(actor=personas.mkt_head.user, entry_id=entry.pk, data={"weekdays": [4]})
    old.refresh_from_db()
    assert old.status == MeetingStatus.CANCELLED
    assert old.events.filter(kind=EventKind.CANCELLATION).exists()  # invitees get the .ics CANCEL
    fridays = entry.occurrences.filter(status=OccurrenceState.SCHEDULED, on_date__gt=date(2026, 9, 28))
    assert {d.weekday() for d in fridays.values_list("on_date", flat=True)} == {4}
    assert entry.occurrences.get(on_date=date(2026, 10, 2)).status == OccurrenceState.SKIPPED  # 国庆节 Friday


def test_removing_a_row_cancels_its_future_meetings_only(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        flows.comm_entry_remove(actor=personas.mkt_head.user, entry_id=entry.pk, reason="改为钉钉群同步")
    past = entry.occurrences.get(on_date=date(2026, 9, 28))
    assert past.status == OccurrenceState.SCHEDULED and past.meeting.status == MeetingStatus.NOTIFIED
    future = entry.occurrences.get(on_date=date(2026, 10, 12))
    assert future.status == OccurrenceState.CANCELLED and future.meeting.status == MeetingStatus.CANCELLED
    assert future.meeting.cancel_reason == "改为钉钉群同步"
    assert project.events.filter(kind="communication", data__removed=True).exists()
    with pytest.raises(TransitionError):
        flows.comm_entry_remove(actor=personas.mkt_head.user, entry_id=entry.pk)


def test_an_as_needed_row_calls_no_meetings(personas):
    project = running(personas)
    entry = flows.comm_entry_create(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data={
            "scenario": "risk_warning",
            "channel": "chat_group",
            "frequency": "as_needed",
            "output": "risk_plan",
            "owner": personas.cs_liaison.pk,
        },
    )
    assert entry.occurrences.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"at_time": "25:99"}, "at_time"),
        ({"at_time": ""}, "at_time"),
        ({"place": ""}, "place"),
        ({"frequency": "hourly"}, "frequency"),
        ({"frequency": "monthly"}, "first_date"),  # monthly counts from its first date
        ({"weekdays": [7]}, "weekdays"),
        ({"participants": [999999]}, "participants"),
        ({"first_date": "2026-10-10", "last_date": "2026-10-01"}, "last_date"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_rows_are_refused_naming_the_field(personas, overrides, field):
    project = running(personas)
    with pytest.raises(ApplicationError) as err:
        flows.comm_entry_create(
            actor=personas.mkt_head.user,
            project_id=project.pk,
            data=weekly_monday(personas, project, **overrides),
        )
    assert err.value.field == field and err.value.status_code == 400
    assert project.communication_plan.count() == 0


def test_only_the_project_managers_write_the_plan(personas):
    project = running(personas)
    for who in (personas.cs_liaison, personas.outsider):
        with pytest.raises(PermissionDeniedError):
            flows.comm_entry_create(
                actor=who.user, project_id=project.pk, data=weekly_monday(personas, project)
            )


def test_a_stale_edit_is_refused(personas):
    project = running(personas)
    entry = flows.comm_entry_create(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data=weekly_monday(personas, project, frequency="as_needed"),
    )
    flows.comm_entry_update(actor=personas.mkt_head.user, entry_id=entry.pk, data={"place": "2楼"}, version=1)
    with pytest.raises(ConflictError) as err:
        flows.comm_entry_update(
            actor=personas.mkt_head.user, entry_id=entry.pk, data={"place": "3楼"}, version=1
        )
    assert err.value.field == "version"


def test_the_frequency_is_shown_in_chinese():
    from django.utils import translation

    ten, five = at(2026, 1, 1, 10, 0).time(), at(2026, 1, 1, 17, 0).time()
    with translation.override("zh-hans"):
        weekly = comms.CommunicationPlanEntry(frequency="weekly", weekdays=[0], at_time=ten)
        assert comms.frequency_text(weekly) == "每周一 10:00"
        weekly.weekdays = [0, 2]
        assert comms.frequency_text(weekly) == "每周一、三 10:00"
        assert (
            comms.frequency_text(
                comms.CommunicationPlanEntry(frequency="daily", working_days_only=False, at_time=five)
            )
            == "每日 17:00"
        )
        assert (
            comms.frequency_text(comms.CommunicationPlanEntry(frequency="daily", at_time=five))
            == "每个工作日 17:00"
        )
        assert comms.frequency_text(comms.CommunicationPlanEntry(frequency="as_needed")) == "按需"


def test_a_scheduled_run_that_cannot_call_a_meeting_is_logged_as_the_system(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
    Membership.objects.filter(person=personas.mkt_staff).delete()  # the owner left every department
    with time_machine.travel(at(2026, 10, 1, 9, 0), tick=False), translation.override("zh-hans"):
        assert flows.comm_generate_all() == 0
        failed = project.events.filter(data__failed__isnull=False).get()
        assert failed.author is None and failed.who == "系统（沟通计划）"


def planned(frequency: str, first: date, last: date, **row) -> tuple[list[date], dict[date, str]]:
    calendar = get_calendar()
    days = comms.plan_days(
        frequency=frequency,
        weekdays=row.get("weekdays", []),
        working_days_only=True,
        first=first,
        last=last,
        is_working_day=calendar.is_working_day,
        day_name=comms._day_namer(calendar),
        anchor=row.get("anchor"),
    )
    return [d.day for d in days if not d.skipped], {d.day: d.skipped for d in days if d.skipped}


def test_a_two_weekly_row_meets_every_second_week_of_its_first_date_and_skips_the_holiday():
    held, skipped = planned(
        "biweekly", date(2026, 9, 21), date(2026, 10, 25), weekdays=[0], anchor=date(2026, 9, 23)
    )
    assert held == [date(2026, 9, 21), date(2026, 10, 19)]
    assert list(skipped) == [date(2026, 10, 5)] and "国庆节" in skipped[date(2026, 10, 5)]


def test_a_monthly_row_meets_on_the_day_of_its_first_date_and_skips_the_holiday():
    held, skipped = planned("monthly", date(2026, 10, 1), date(2026, 11, 30), anchor=date(2026, 9, 5))
    assert held == [date(2026, 11, 5)]
    assert list(skipped) == [date(2026, 10, 5)]


def test_a_once_row_meets_on_its_date_only():
    held, skipped = planned("once", date(2026, 10, 1), date(2026, 10, 31), anchor=date(2026, 10, 10))
    assert held == [date(2026, 10, 10)] and skipped == {}  # the 调休 Saturday is a working day


def test_a_two_weekly_row_calls_its_meetings(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        data = weekly_monday(personas, project, frequency="biweekly", first_date="2026-09-28")
        entry = flows.comm_entry_create(actor=personas.mkt_head.user, project_id=project.pk, data=data)
    scheduled = entry.occurrences.filter(status=OccurrenceState.SCHEDULED).values_list("on_date", flat=True)
    assert sorted(scheduled) == [date(2026, 9, 28), date(2026, 10, 12)]
    with translation.override("zh-hans"):
        assert "10:00" in comms.frequency_text(entry)


def test_the_plan_calls_its_meetings_as_the_system_for_the_owner(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False), translation.override("zh-hans"):
        project = running(personas)
        entry = flows.comm_entry_create(
            actor=personas.mkt_head.user, project_id=project.pk, data=weekly_monday(personas, project)
        )
        meeting = entry.occurrences.get(on_date=date(2026, 10, 12)).meeting
        flows.comm_entry_update(actor=personas.mkt_head.user, entry_id=entry.pk, data={"at_time": "15:00"})
        flows.comm_entry_remove(actor=personas.mkt_head.user, entry_id=entry.pk)
    assert meeting.initiator == personas.mkt_staff  # the row's owner, though the head added the row
    events = list(meeting.events.all())
    assert {e.kind for e in events} >= {EventKind.NOTICE, EventKind.UPDATE, EventKind.CANCELLATION}
    assert all(e.author is None and e.who == "系统（沟通计划）" for e in events)


def test_an_owner_without_a_login_gets_the_meetings_of_their_row(personas):
    owner = PersonFactory(employee_no="P102", name="王芳", user=None)
    add_member(owner, personas.mkt)
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project = running(personas)
        data = weekly_monday(personas, project, owner=owner.pk)
        entry = flows.comm_entry_create(actor=personas.mkt_head.user, project_id=project.pk, data=data)
    meetings = Meeting.objects.filter(project_occurrences__entry=entry)
    assert meetings.count() == 3 and {m.initiator for m in meetings} == {owner}
    assert all(m.status == MeetingStatus.NOTIFIED for m in meetings)
