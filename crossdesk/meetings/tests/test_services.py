"""Meetings, minutes and action items through their services (SPEC §4 [001][002]).

Time rules run on the 2026 calendar with a frozen clock: National Day Thu 1 – Wed 7 Oct off,
Sat 10 Oct a make-up working day; Mid-autumn Fri 25 – Sun 27 Sep off; Spring Festival
Sun 15 – Mon 23 Feb off, Sat 14 and Sat 28 Feb working.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.choices import ClockState
from crossdesk.deadlines.models import Clock, ClockEvent
from crossdesk.meetings import flows, services
from crossdesk.meetings.choices import ActionEventKind, ActionStatus, MeetingStatus
from crossdesk.meetings.models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingEvent,
    MinutesResponse,
    MinutesVersion,
)
from crossdesk.meetings.selectors import meeting_page, minutes_diff
from crossdesk.meetings.timing import latest_notice_date
from crossdesk.notify.models import Notification
from crossdesk.org.selectors import roles_for
from crossdesk.workcal.selectors import get_calendar

from . import factories
from .factories import at

pytestmark = pytest.mark.django_db


def live_keys(subject) -> list[tuple[str, str]]:
    return sorted((c.policy.key, c.scope) for c in deadlines.clocks_live_for(subject=subject))


def events_for(person) -> list[str]:
    """The notification events a person received, oldest first (titles are translated)."""
    return list(Notification.objects.filter(recipient=person).order_by("id").values_list("event", flat=True))


def clock_events(clock) -> list[str]:
    return list(ClockEvent.objects.filter(clock=clock).order_by("at", "id").values_list("kind", flat=True))


def reload(meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def run_meeting(
    personas, *, notice_at, starts_at, held_at=None, kind="special", items=None, circulate_at=None
):
    """Draft and notice at ``notice_at``; mark held at ``held_at``; minutes circulated at
    ``circulate_at`` with ``items`` as action items."""
    with time_machine.travel(notice_at, tick=False):
        meeting = factories.draft(personas, starts_at=starts_at, kind=kind)
        services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk, late_reason="紧急")
    if held_at is None:
        return reload(meeting)
    with time_machine.travel(held_at, tick=False):
        services.meeting_mark_held(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
    if circulate_at is None:
        return reload(meeting)
    recorder = factories.recorder(personas).user
    with time_machine.travel(circulate_at, tick=False):
        services.minutes_save(
            actor=recorder,
            meeting_id=meeting.pk,
            data=factories.minutes_data(personas, action_items=items or []),
        )
        services.minutes_circulate(actor=recorder, meeting_id=meeting.pk)
    return reload(meeting)


def sweep_at(moment) -> dict:
    with time_machine.travel(moment, tick=False):
        return deadlines.sweep()


# --- drafts -------------------------------------------------------------------------------


class TestDrafts:
    def test_a_draft_has_no_number_and_the_initiating_department_takes_part(self, personas):
        meeting = factories.draft(personas)
        assert meeting.number is None and meeting.status == MeetingStatus.DRAFT
        departments = list(meeting.departments.values_list("department__code", "is_initiating"))
        assert departments == [("MKT", True), ("CS", False)]
        assert meeting.departments.get(department=personas.cs).representative == personas.cs_liaison

    def test_a_draft_saves_whatever_was_typed(self, personas):
        meeting = services.meeting_create_draft(actor=personas.mkt_staff.user, data={"title": "周例会"})
        assert meeting.initiating_department == personas.mkt and meeting.recorder == personas.mkt_staff
        assert list(meeting.invitees.values_list("person_id", flat=True)) == [personas.mkt_staff.pk]

    def test_invitees_come_from_their_own_department(self, personas):
        with pytest.raises(ApplicationError) as error:
            factories.draft(
                personas,
                participants=[{"department": "CS", "people": [personas.outsider.pk], "representative": None}],
            )
        assert error.value.field == "participants[0].people"

    def test_an_edit_based_on_an_old_copy_is_refused(self, personas):
        meeting = factories.draft(personas)
        services.meeting_update_draft(
            actor=personas.mkt_staff.user, meeting_id=meeting.pk, data={"title": "一"}, version=1
        )
        with pytest.raises(ConflictError):
            services.meeting_update_draft(
                actor=personas.mkt_staff.user, meeting_id=meeting.pk, data={"title": "二"}, version=1
            )
        assert reload(meeting).title == "一"

    def test_only_the_initiator_edits_a_draft(self, personas):
        meeting = factories.draft(personas)
        with pytest.raises(PermissionDeniedError):
            services.meeting_update_draft(
                actor=personas.cs_liaison.user, meeting_id=meeting.pk, data={"title": "改"}
            )


# --- the notice ---------------------------------------------------------------------------


class TestNotice:
    def test_it_numbers_meetings_gap_free_per_department_and_year(self, personas):
        first = factories.notified(personas, starts_at=at(2026, 12, 21, 10))
        failed = factories.draft(personas, starts_at=at(2026, 12, 22, 10), goal="")
        with pytest.raises(ApplicationError):
            services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=failed.pk)
        second = factories.notified(personas, starts_at=at(2026, 12, 23, 10))
        next_year = factories.notified(personas, starts_at=at(2027, 1, 12, 10))
        cs_meeting = services.meeting_create_draft(
            actor=personas.cs_liaison.user,
            data=factories.meeting_data(
                personas,
                starts_at=at(2026, 12, 24, 10),
                recorder=personas.cs_staff.pk,
                participants=[
                    {
                        "department": "CS",
                        "people": [personas.cs_liaison.pk],
                        "representative": personas.cs_liaison.pk,
                    },
                    {
                        "department": "LOG",
                        "people": [personas.log_head.pk],
                        "representative": personas.log_head.pk,
                    },
                ],
            ),
        )
        cs_meeting = services.meeting_send_notice(actor=personas.cs_liaison.user, meeting_id=cs_meeting.pk)
        assert [first.number, second.number, next_year.number, cs_meeting.number] == [
            "2026-MKT-001",
            "2026-MKT-002",
            "2027-MKT-001",
            "2026-CS-001",
        ]
        assert reload(failed).number is None

    def test_every_invitee_is_told_time_place_agenda_and_materials(self, personas):
        meeting = factories.draft(personas)
        services.material_add(
            actor=personas.mkt_staff.user,
            meeting_id=meeting.pk,
            upload=SimpleUploadedFile("项目进度表.xlsx", b"PK fake", content_type="application/octet-stream"),
        )
        services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        notice = Notification.objects.get(recipient=personas.cs_staff)
        assert notice.level == Notification.Level.ACTION and "C产品响应速度问题专项沟通会" in notice.title
        for expected in ("3楼第一会议室", "问题原因分析", "解决方案可行性", "项目进度表.xlsx", "10:00"):
            assert expected in notice.body
        recipients = set(Notification.objects.values_list("recipient_id", flat=True))
        assert recipients == {personas.cs_staff.pk, personas.cs_liaison.pk, factories.recorder(personas).pk}

    @pytest.mark.parametrize(
        ("field", "overrides"),
        [
            ("title", {"title": ""}),
            ("goal", {"goal": "  "}),
            ("agenda", {"agenda": []}),
            ("place", {"place": ""}),
            ("participants", {"participants": []}),
        ],
    )
    def test_it_refuses_an_incomplete_notice_naming_the_field(self, personas, field, overrides):
        meeting = factories.draft(personas, **overrides)
        with pytest.raises(ApplicationError) as error:
            services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert error.value.field == field
        assert reload(meeting).status == MeetingStatus.DRAFT

    def test_an_online_meeting_needs_the_platform_and_its_id_or_link(self, personas):
        meeting = factories.draft(personas, place="", online_platform="腾讯会议")
        with pytest.raises(ApplicationError):
            services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        services.meeting_update_draft(
            actor=personas.mkt_staff.user, meeting_id=meeting.pk, data={"online_meeting_id": "123 456 789"}
        )
        meeting = services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert meeting.location_text == "腾讯会议 123 456 789"

    def test_tuesday_29_september_is_three_working_days_before_friday_9_october(self, personas):
        # 29 Sep, 30 Sep and 8 Oct are working days; 1–7 Oct is National Day.
        starts = at(2026, 10, 9, 10, 0)
        assert latest_notice_date(get_calendar(), starts, 3).isoformat() == "2026-09-29"
        with time_machine.travel(at(2026, 9, 29, 17, 30), tick=False):
            meeting = factories.draft(personas, starts_at=starts)
            meeting = services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert meeting.notice_lead_days == 3 and meeting.notice_late_reason == ""

    def test_a_notice_on_wednesday_30_september_is_late_and_needs_a_reason(self, personas):
        with time_machine.travel(at(2026, 9, 30, 9, 0), tick=False):
            meeting = factories.draft(personas, starts_at=at(2026, 10, 9, 10, 0))
            with pytest.raises(ApplicationError) as error:
                services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
            assert error.value.field == "late_reason" and "2" in error.value.message
            assert reload(meeting).number is None
            meeting = services.meeting_send_notice(
                actor=personas.mkt_staff.user,
                meeting_id=meeting.pk,
                late_reason="客户投诉升级，须节后立即协调",
            )
        assert meeting.notice_lead_days == 2
        assert meeting.notice_late_reason == "客户投诉升级，须节后立即协调"
        notice = MeetingEvent.objects.get(meeting=meeting, kind="notice")
        assert notice.data["late"] is True and notice.content == meeting.notice_late_reason

    def test_the_make_up_saturday_counts_as_a_working_day_of_notice(self, personas):
        # Thu 8, Fri 9 and Sat 10 Oct (调休) before a meeting on Mon 12 Oct.
        with time_machine.travel(at(2026, 10, 8, 11, 0), tick=False):
            meeting = factories.draft(personas, starts_at=at(2026, 10, 12, 10, 0))
            meeting = services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert meeting.notice_lead_days == 3 and meeting.notice_late_reason == ""

    def test_the_spring_festival_does_not_count_but_its_make_up_saturday_does(self, personas):
        starts = at(2026, 2, 25, 10, 0)  # Wed after the Spring Festival
        with time_machine.travel(at(2026, 2, 13, 16, 0), tick=False):  # Fri: 13, Sat 14, Tue 24
            on_time = services.meeting_send_notice(
                actor=personas.mkt_staff.user, meeting_id=factories.draft(personas, starts_at=starts).pk
            )
        with time_machine.travel(at(2026, 2, 14, 10, 0), tick=False):  # Sat 14, Tue 24
            late = factories.draft(personas, starts_at=starts)
            with pytest.raises(ApplicationError):
                services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=late.pk)
        assert on_time.notice_lead_days == 3

    def test_only_the_initiator_sends_it_and_only_once(self, personas):
        meeting = factories.draft(personas)
        with pytest.raises(PermissionDeniedError):
            services.meeting_send_notice(actor=factories.recorder(personas).user, meeting_id=meeting.pk)
        services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        with pytest.raises(TransitionError):
            services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)


class TestRescheduleAndCancel:
    def test_moving_the_meeting_tells_everyone_and_raises_the_invitation_sequence(self, personas):
        meeting = factories.notified(personas)
        Notification.objects.all().delete()
        new_start = meeting.starts_at + timedelta(days=1)
        with pytest.raises(ApplicationError) as error:
            services.meeting_reschedule(
                actor=personas.mkt_staff.user, meeting_id=meeting.pk, reason="", starts_at=new_start
            )
        assert error.value.field == "reason"
        moved = services.meeting_reschedule(
            actor=personas.mkt_staff.user,
            meeting_id=meeting.pk,
            reason="研发部负责人出差",
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=1),
            place="5楼大会议室",
        )
        assert moved.sequence == 1 and moved.number == meeting.number and moved.place == "5楼大会议室"
        update = Notification.objects.get(recipient=personas.cs_liaison)
        assert "研发部负责人出差" in update.body and "5楼大会议室" in update.body
        event = MeetingEvent.objects.get(meeting=meeting, kind="update")
        assert event.data["before"]["location"] == "3楼第一会议室"

    def test_only_the_initiator_reschedules_and_not_after_it_was_held(self, personas):
        meeting = factories.notified(personas)
        with pytest.raises(PermissionDeniedError):
            services.meeting_reschedule(
                actor=personas.cs_liaison.user, meeting_id=meeting.pk, reason="改期", place="x"
            )
        held = factories.held(personas)
        with pytest.raises(TransitionError):
            services.meeting_reschedule(
                actor=personas.mkt_staff.user, meeting_id=held.pk, reason="改期", place="x"
            )

    def test_cancelling_needs_a_reason_and_sends_a_cancellation(self, personas):
        meeting = factories.notified(personas)
        with pytest.raises(ApplicationError):
            services.meeting_cancel(actor=personas.mkt_staff.user, meeting_id=meeting.pk, reason=" ")
        cancelled = services.meeting_cancel(
            actor=personas.mkt_staff.user, meeting_id=meeting.pk, reason="需求已撤回"
        )
        assert cancelled.status == MeetingStatus.CANCELLED and cancelled.sequence == 1
        assert any("需求已撤回" in n.body for n in Notification.objects.filter(recipient=personas.cs_liaison))

    def test_a_held_meeting_can_no_longer_be_cancelled(self, personas):
        meeting = factories.held(personas)
        with pytest.raises(TransitionError):
            services.meeting_cancel(actor=personas.mkt_staff.user, meeting_id=meeting.pk, reason="不开了")


# --- held and the minutes clock -----------------------------------------------------------


class TestHeld:
    def test_it_cannot_be_marked_held_before_it_starts(self, personas):
        meeting = factories.notified(personas)
        with pytest.raises(TransitionError):
            services.meeting_mark_held(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        with pytest.raises(PermissionDeniedError):
            services.meeting_mark_held(actor=personas.cs_liaison.user, meeting_id=meeting.pk)

    def test_the_minutes_are_due_two_working_days_after_the_meeting_across_national_day(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 24, 10, 0),  # Thu 24, Mon 28, Tue 29 Sep: three working days
            starts_at=at(2026, 9, 30, 14, 0),
            held_at=at(2026, 9, 30, 16, 0),
        )
        assert meeting.notice_late_reason == ""
        clock = deadlines.clocks_live_for(subject=meeting, key="meeting.minutes")[0]
        assert clock.due_at == at(2026, 10, 9, 16, 0)  # Thu 8 Oct, then Fri 9 Oct
        assert clock.owner == factories.recorder(personas)
        assert events_for(factories.recorder(personas))[-1] == "meeting.held"

    def test_kickoff_minutes_are_due_in_24_clock_hours_even_on_a_holiday(self, personas):
        meeting = run_meeting(
            personas,
            kind="kickoff",
            notice_at=at(2026, 9, 24, 10, 0),
            starts_at=at(2026, 9, 30, 14, 0),
            held_at=at(2026, 9, 30, 16, 0),
        )
        clock = deadlines.clocks_live_for(subject=meeting, key="meeting.minutes")[0]
        assert clock.due_at == at(2026, 10, 1, 16, 0)

    def test_late_minutes_are_escalated_to_the_initiating_head_by_the_sweep(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 24, 10, 0),
            starts_at=at(2026, 9, 30, 14, 0),
            held_at=at(2026, 9, 30, 16, 0),
        )
        clock = Clock.objects.get(subject_id=meeting.pk, policy__key="meeting.minutes")
        sweep_at(at(2026, 10, 9, 15, 59))
        assert "breached" not in clock_events(clock)
        sweep_at(at(2026, 10, 9, 16, 1))
        assert clock_events(clock)[-2:] == ["breached", "escalated"]
        assert events_for(personas.mkt_head) == ["deadline.escalate"]

    def test_circulating_meets_the_minutes_clock(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 24, 10, 0),
            starts_at=at(2026, 9, 30, 14, 0),
            held_at=at(2026, 9, 30, 16, 0),
            circulate_at=at(2026, 10, 8, 11, 0),
            items=[],
        )
        minutes = Clock.objects.get(subject_id=meeting.pk, policy__key="meeting.minutes")
        assert minutes.state == ClockState.MET
        objection = deadlines.clocks_live_for(subject=meeting, key="meeting.objection")
        assert len(objection) == 2
        # One working day to object: Thu 8 Oct 11:00 → Fri 9 Oct 11:00.
        assert {c.due_at for c in objection} == {at(2026, 10, 9, 11, 0)}

    def test_objections_circulated_on_friday_are_due_on_the_make_up_saturday(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 24, 10, 0),
            starts_at=at(2026, 9, 30, 14, 0),
            held_at=at(2026, 9, 30, 16, 0),
            circulate_at=at(2026, 10, 9, 10, 0),
            items=[],
        )
        objection = deadlines.clocks_live_for(subject=meeting, key="meeting.objection")
        assert {c.due_at for c in objection} == {at(2026, 10, 10, 10, 0)}


# --- minutes ------------------------------------------------------------------------------


class TestMinutes:
    def test_the_recorder_writes_live_during_the_meeting_and_saving_moves_it_to_drafting(self, personas):
        meeting = factories.notified(personas)
        recorder = factories.recorder(personas).user
        meeting = services.minutes_save(
            actor=recorder, meeting_id=meeting.pk, data={"consensus": ["先优化交互"]}, minutes_version=1
        )
        assert meeting.status == MeetingStatus.NOTIFIED and meeting.minutes_version == 2
        held = factories.held(personas)
        held = services.minutes_save(actor=recorder, meeting_id=held.pk, data={"consensus": ["一"]})
        assert held.status == MeetingStatus.MINUTES_DRAFTING

    def test_a_stale_save_is_a_conflict_and_keeps_the_newer_text(self, personas):
        meeting = factories.held(personas)
        recorder = factories.recorder(personas).user
        services.minutes_save(
            actor=recorder, meeting_id=meeting.pk, data={"consensus": ["甲"]}, minutes_version=1
        )
        with pytest.raises(ConflictError) as error:
            services.minutes_save(
                actor=recorder, meeting_id=meeting.pk, data={"consensus": ["乙"]}, minutes_version=1
            )
        assert error.value.field == "minutes_version"
        assert reload(meeting).consensus == ["甲"]

    def test_only_the_recorder_writes_the_minutes(self, personas):
        meeting = factories.held(personas)
        with pytest.raises(PermissionDeniedError):
            services.minutes_save(
                actor=personas.mkt_staff.user, meeting_id=meeting.pk, data={"consensus": ["x"]}
            )

    def test_a_disagreement_needs_views_and_a_next_step_before_circulation(self, personas):
        meeting = factories.held(personas)
        recorder = factories.recorder(personas).user
        services.minutes_save(
            actor=recorder,
            meeting_id=meeting.pk,
            data={
                "disagreements": [
                    {"topic": "优先方案", "views": [{"department": personas.cs.pk, "position": "先优化"}]}
                ]
            },
        )
        with pytest.raises(ApplicationError) as error:
            services.minutes_circulate(actor=recorder, meeting_id=meeting.pk)
        assert error.value.field == "disagreements[0].next_step"
        with pytest.raises(ApplicationError) as error:
            services.minutes_save(
                actor=recorder,
                meeting_id=meeting.pk,
                data={"disagreements": [{"topic": "x", "next_step": "later"}]},
            )
        assert error.value.field == "disagreements[0].next_step"

    def test_action_items_need_an_owner_and_a_future_deadline_before_circulation(self, personas):
        meeting = factories.held(personas)
        recorder = factories.recorder(personas).user
        services.minutes_save(
            actor=recorder,
            meeting_id=meeting.pk,
            data={"consensus": ["一"], "action_items": [{"action": "出方案", "owner": None}]},
        )
        with pytest.raises(ApplicationError) as error:
            services.minutes_circulate(actor=recorder, meeting_id=meeting.pk)
        assert error.value.field == "action_items[0].owner"

    def test_circulating_keeps_an_immutable_version_and_asks_each_representative(self, personas):
        meeting = factories.circulated(personas)
        assert meeting.status == MeetingStatus.CIRCULATED and meeting.circulation == 1
        version = MinutesVersion.objects.get(meeting=meeting)
        assert version.content["consensus"] == ["优先优化交互逻辑，同时评估服务器升级可行性"]
        assert version.content["disagreements"][0]["views"][1]["person_name"] == "李娜"
        version.note = "改"
        with pytest.raises(ValueError):
            version.save()
        with pytest.raises(ValueError):
            version.delete()
        asked = Notification.objects.filter(event="meeting.circulated", level="action")
        assert set(asked.values_list("recipient_id", flat=True)) == {
            personas.cs_liaison.pk,
            personas.mkt_staff.pk,
        }
        assert (
            "meeting.objection",
            f"dept:{meeting.departments.get(department=personas.cs).pk}",
        ) in live_keys(meeting)

    def test_an_objection_needs_a_text(self, personas):
        meeting = factories.circulated(personas)
        with pytest.raises(ApplicationError) as error:
            services.minutes_object(actor=personas.cs_liaison.user, meeting_id=meeting.pk, text=" ")
        assert error.value.field == "text"

    def test_only_a_representative_answers_and_only_once_per_version(self, personas):
        meeting = factories.circulated(personas)
        with pytest.raises(PermissionDeniedError):
            services.minutes_confirm(actor=personas.outsider.user, meeting_id=meeting.pk)
        with pytest.raises(PermissionDeniedError):
            services.minutes_confirm(actor=personas.cs_staff.user, meeting_id=meeting.pk)
        services.minutes_confirm(actor=personas.cs_liaison.user, meeting_id=meeting.pk)
        with pytest.raises(TransitionError):
            services.minutes_confirm(actor=personas.cs_liaison.user, meeting_id=meeting.pk)

    def test_when_everyone_confirms_the_heads_are_asked_to_sign(self, personas):
        meeting = factories.confirmed(personas)
        assert meeting.status == MeetingStatus.CONFIRMED
        assert not deadlines.clocks_live_for(subject=meeting, key="meeting.objection")
        for head in (personas.mkt_head, personas.cs_head):
            assert "meeting.sign" in events_for(head)

    def test_objections_lead_to_a_revision_and_a_second_version_with_its_differences(self, personas):
        meeting = factories.objected(personas)
        assert meeting.status == MeetingStatus.OBJECTED
        assert "meeting.objection" in events_for(factories.recorder(personas))
        recorder = factories.recorder(personas).user
        with pytest.raises(TransitionError):
            services.minutes_save(actor=recorder, meeting_id=meeting.pk, data={"consensus": ["x"]})
        # The other department may still answer the circulated version until the revision starts.
        services.minutes_confirm(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        services.minutes_revise(actor=recorder, meeting_id=meeting.pk)
        assert ("meeting.minutes", "revision:1") in live_keys(reload(meeting))
        assert not deadlines.clocks_live_for(subject=meeting, key="meeting.objection")
        services.minutes_save(
            actor=recorder,
            meeting_id=meeting.pk,
            data={"consensus": ["优先优化交互逻辑（3天内出方案），同时评估服务器升级可行性"]},
        )
        services.minutes_circulate(actor=recorder, meeting_id=meeting.pk, note="按客服部意见修改时限")
        meeting = reload(meeting)
        assert meeting.status == MeetingStatus.CIRCULATED and meeting.circulation == 2
        assert MinutesVersion.objects.filter(meeting=meeting).count() == 2
        assert MinutesResponse.objects.filter(meeting=meeting).count() == 2  # v1's answers are kept
        diffs = {
            d.section: d
            for d in minutes_diff(
                roles=roles_for(personas.cs_liaison.user), pk=meeting.pk, from_version=1, to_version=2
            )
        }
        assert diffs["consensus"].changed and not diffs["discussion"].changed
        assert "-1. 优先优化交互逻辑，同时评估服务器升级可行性" in diffs["consensus"].unified
        assert "+1. 优先优化交互逻辑（3天内出方案）" in diffs["consensus"].unified
        assert "<table" in diffs["consensus"].html and diffs["discussion"].html == ""
        # Every department confirms the new version again.
        services.minutes_confirm(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert reload(meeting).status == MeetingStatus.CIRCULATED
        services.minutes_confirm(actor=personas.cs_liaison.user, meeting_id=meeting.pk)
        assert reload(meeting).status == MeetingStatus.CONFIRMED

    def test_the_heads_sign_and_the_minutes_are_final(self, personas):
        meeting = factories.confirmed(personas)
        with pytest.raises(PermissionDeniedError):
            services.minutes_sign(actor=personas.log_head.user, meeting_id=meeting.pk)
        services.minutes_sign(actor=personas.mkt_head.user, meeting_id=meeting.pk)
        with pytest.raises(TransitionError):
            services.minutes_sign(actor=personas.mkt_head.user, meeting_id=meeting.pk)
        services.minutes_sign(actor=personas.cs_head.user, meeting_id=meeting.pk)
        meeting = reload(meeting)
        assert meeting.status == MeetingStatus.SIGNED and meeting.signed_at
        assert all(p.head_signature for p in meeting.departments.all())

    def test_a_head_cannot_sign_before_every_department_confirmed(self, personas):
        meeting = factories.circulated(personas)
        with pytest.raises(TransitionError):
            services.minutes_sign(actor=personas.cs_head.user, meeting_id=meeting.pk)

    def test_a_change_after_signing_is_noticed(self, personas):
        meeting = factories.signed(personas)
        page = meeting_page(roles=roles_for(personas.cs_head.user), pk=meeting.pk)
        assert page.broken_signatures == []
        MinutesVersion._base_manager.filter(meeting=meeting).update(content={"consensus": ["篡改"]})
        page = meeting_page(roles=roles_for(personas.cs_head.user), pk=meeting.pk)
        assert sorted(page.broken_signatures) == ["客户服务部", "市场部"]


class TestArchive:
    def test_open_action_items_keep_the_record_out_of_the_archive(self, personas):
        meeting = factories.signed(personas)
        with pytest.raises(TransitionError) as error:
            services.meeting_archive(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert "2" in error.value.message

    def test_an_archived_meeting_is_read_only_and_kept_two_years(self, personas):
        meeting = factories.archived(personas)
        assert meeting.status == MeetingStatus.ARCHIVED
        assert meeting.retain_until.year == timezone.localdate().year + 2
        recorder = factories.recorder(personas).user
        with pytest.raises(TransitionError):
            services.minutes_save(actor=recorder, meeting_id=meeting.pk, data={"consensus": ["x"]})
        with pytest.raises(TransitionError):
            services.material_add(
                actor=recorder,
                meeting_id=meeting.pk,
                upload=SimpleUploadedFile("a.txt", b"x", content_type="text/plain"),
            )
        with pytest.raises(ValueError):
            reload(meeting).delete()

    def test_only_the_initiator_or_an_administrator_archives(self, personas):
        meeting = factories.cancelled(personas)
        with pytest.raises(PermissionDeniedError):
            services.meeting_archive(actor=personas.cs_head.user, meeting_id=meeting.pk)
        services.meeting_archive(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        assert reload(meeting).status == MeetingStatus.ARCHIVED


class TestMaterials:
    def test_it_stores_an_allowed_file_outside_the_web_root(self, personas, settings):
        meeting = factories.draft(personas)
        material = services.material_add(
            actor=personas.mkt_staff.user,
            meeting_id=meeting.pk,
            upload=SimpleUploadedFile("成本明细.pdf", b"%PDF fake", content_type="application/pdf"),
        )
        assert (
            material.file.path.startswith(str(settings.MEDIA_ROOT)) and "成本明细" not in material.file.name
        )

    def test_it_refuses_a_forbidden_type(self, personas):
        meeting = factories.draft(personas)
        with pytest.raises(ApplicationError) as error:
            services.material_add(
                actor=personas.mkt_staff.user,
                meeting_id=meeting.pk,
                upload=SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"),
            )
        assert error.value.field == "file"

    def test_only_the_initiator_or_recorder_adds_materials(self, personas):
        meeting = factories.notified(personas)
        with pytest.raises(PermissionDeniedError):
            services.material_add(
                actor=personas.cs_liaison.user,
                meeting_id=meeting.pk,
                upload=SimpleUploadedFile("a.txt", b"x", content_type="text/plain"),
            )


# --- action items -------------------------------------------------------------------------


def item_named(meeting, action) -> ActionItem:
    return ActionItem.objects.get(meeting=meeting, action=action)


class TestActionItems:
    def test_items_are_tracked_from_the_first_circulation(self, personas):
        meeting = factories.with_minutes(personas)
        short, long = (
            item_named(meeting, "优化C产品交互逻辑方案"),
            item_named(meeting, "评估服务器升级可行性"),
        )
        assert short.activated_at is None and live_keys(short) == []
        services.minutes_circulate(actor=factories.recorder(personas).user, meeting_id=meeting.pk)
        short.refresh_from_db()
        long.refresh_from_db()
        assert short.activated_at and short.department == personas.cs
        assert live_keys(short) == [("action_item.due", "")]
        assert live_keys(long) == [("action_item.due", ""), ("action_item.weekly_update", "")]
        assert "action_item.assigned" in events_for(personas.cs_liaison)
        assert "action_item.support" in events_for(personas.log_head)

    def test_the_reminder_comes_3_working_days_before_the_deadline_across_national_day(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 14, 10, 0),
            starts_at=at(2026, 9, 18, 10, 0),
            held_at=at(2026, 9, 18, 12, 0),
            circulate_at=at(2026, 9, 21, 10, 0),
            items=[
                {
                    "action": "提交交互优化方案",
                    "owner": personas.cs_liaison.pk,
                    "due_at": at(2026, 10, 9, 18, 0),
                }
            ],
        )
        item = ActionItem.objects.get(meeting=meeting)
        clock = deadlines.clocks_live_for(subject=item, key="action_item.due")[0]
        # 3 working days before Fri 9 Oct 18:00: Thu 8 Oct, Wed 30 Sep, Tue 29 Sep, i.e. from the
        # end of Tue 29 Sep, which is the start of the next working day, Wed 30 Sep 09:00.
        assert clock.warn_at == at(2026, 9, 30, 9, 0)
        sweep_at(at(2026, 9, 30, 8, 59))
        assert "warned" not in clock_events(clock)
        sweep_at(at(2026, 9, 30, 9, 0))
        assert clock_events(clock) == ["started", "warned"]
        assert "deadline.warn" in events_for(personas.cs_liaison)

    def test_items_running_over_a_week_ask_for_weekly_progress_until_done(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 14, 10, 0),
            starts_at=at(2026, 9, 18, 10, 0),
            held_at=at(2026, 9, 18, 12, 0),
            circulate_at=at(2026, 9, 21, 10, 0),
            items=[
                {
                    "action": "提交交互优化方案",
                    "owner": personas.cs_liaison.pk,
                    "due_at": at(2026, 10, 9, 18, 0),
                }
            ],
        )
        item = ActionItem.objects.get(meeting=meeting)
        weekly = deadlines.clocks_live_for(subject=item, key="action_item.weekly_update")[0]
        # 5 working days from Mon 21 Sep 10:00: 22, 23, 24, (25–27 Mid-autumn), 28, 29 Sep.
        assert weekly.due_at == at(2026, 9, 29, 10, 0)
        sweep_at(at(2026, 9, 29, 10, 0))
        assert clock_events(weekly) == ["started", "follow_up"]
        weekly.refresh_from_db()
        assert weekly.due_at == at(2026, 10, 12, 10, 0)  # 30 Sep, 8, 9, 10 (调休), 12 Oct
        with time_machine.travel(at(2026, 10, 9, 11, 0), tick=False):
            services.action_item_complete(
                actor=personas.cs_liaison.user, item_id=item.pk, result="方案已提交测试"
            )
        assert live_keys(item) == []
        sweep_at(at(2026, 10, 12, 10, 0))
        assert clock_events(weekly) == ["started", "follow_up", "met"]

    def test_an_overdue_item_goes_to_the_head_then_the_supervisor(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 14, 10, 0),
            starts_at=at(2026, 9, 18, 10, 0),
            held_at=at(2026, 9, 18, 12, 0),
            circulate_at=at(2026, 9, 21, 10, 0),
            items=[
                {
                    "action": "提交交互优化方案",
                    "owner": personas.cs_liaison.pk,
                    "due_at": at(2026, 10, 9, 18, 0),
                }
            ],
        )
        item = ActionItem.objects.get(meeting=meeting)
        clock = deadlines.clocks_live_for(subject=item, key="action_item.due")[0]
        sweep_at(at(2026, 10, 9, 18, 1))
        assert clock_events(clock) == ["started", "warned", "breached", "escalated"]
        assert "deadline.escalate" in events_for(personas.cs_head)
        with time_machine.travel(at(2026, 10, 9, 18, 1), tick=False):
            assert item.is_overdue
        # One working day after the breach: Sat 10 Oct 18:00, the make-up working day.
        sweep_at(at(2026, 10, 10, 17, 59))
        assert "deadline.escalate" not in events_for(personas.supervisor)
        sweep_at(at(2026, 10, 10, 18, 0))
        assert clock_events(clock)[-1] == "escalated"
        assert "deadline.escalate" in events_for(personas.supervisor)

    def test_delayed_needs_a_reason_and_may_move_the_deadline(self, personas):
        meeting = factories.circulated(personas)
        item = item_named(meeting, "优化C产品交互逻辑方案")
        owner = personas.cs_liaison.user
        with pytest.raises(ApplicationError) as error:
            services.action_item_update_status(actor=owner, item_id=item.pk, status="delayed")
        assert error.value.field == "reason"
        new_due = timezone.now() + timedelta(days=12)
        item = services.action_item_update_status(
            actor=owner, item_id=item.pk, status="delayed", reason="测试环境未就绪", new_due_at=new_due
        )
        assert item.status == ActionStatus.DELAYED and item.due_at == new_due
        clock = deadlines.clocks_live_for(subject=item, key="action_item.due")[0]
        assert clock.due_at == new_due
        assert live_keys(item) == [("action_item.due", ""), ("action_item.weekly_update", "")]
        kinds = list(ActionItemUpdate.objects.filter(item=item).values_list("kind", flat=True))
        assert kinds[-2:] == [ActionEventKind.DUE_CHANGED, ActionEventKind.STATUS]
        assert "action_item.delayed" in events_for(personas.mkt_staff)

    def test_only_the_owner_reports_and_history_is_append_only(self, personas):
        meeting = factories.circulated(personas)
        item = item_named(meeting, "优化C产品交互逻辑方案")
        with pytest.raises(PermissionDeniedError):
            services.action_item_update_status(
                actor=personas.cs_head.user, item_id=item.pk, status="in_progress"
            )
        services.action_item_update_status(
            actor=personas.cs_liaison.user, item_id=item.pk, status="in_progress", note="已完成初稿"
        )
        update = ActionItemUpdate.objects.filter(item=item).last()
        assert (update.from_status, update.to_status, update.content) == (
            "not_started",
            "in_progress",
            "已完成初稿",
        )
        update.content = "改"
        with pytest.raises(ValueError):
            update.save()

    def test_an_item_is_not_reported_on_before_it_is_tracked(self, personas):
        meeting = factories.with_minutes(personas)
        item = item_named(meeting, "优化C产品交互逻辑方案")
        with pytest.raises(TransitionError):
            services.action_item_update_status(
                actor=personas.cs_liaison.user, item_id=item.pk, status="in_progress"
            )

    def test_completion_is_reported_and_a_late_report_is_recorded(self, personas):
        meeting = factories.circulated(personas)
        item = item_named(meeting, "优化C产品交互逻辑方案")
        with pytest.raises(ApplicationError) as error:
            services.action_item_complete(actor=personas.cs_liaison.user, item_id=item.pk, result="")
        assert error.value.field == "result"
        done = services.action_item_complete(
            actor=personas.cs_liaison.user,
            item_id=item.pk,
            result="交互逻辑方案已提交测试",
            completed_at=timezone.now() - timedelta(days=6),
        )
        assert done.status == ActionStatus.DONE and done.reported_late is True
        assert live_keys(done) == []
        assert "action_item.done" in events_for(personas.mkt_staff)
        with pytest.raises(TransitionError):
            services.action_item_update_status(
                actor=personas.cs_liaison.user, item_id=item.pk, status="in_progress"
            )

    def test_a_report_the_day_after_finishing_is_on_time_across_a_holiday(self, personas):
        meeting = run_meeting(
            personas,
            notice_at=at(2026, 9, 14, 10, 0),
            starts_at=at(2026, 9, 18, 10, 0),
            held_at=at(2026, 9, 18, 12, 0),
            circulate_at=at(2026, 9, 21, 10, 0),
            items=[
                {
                    "action": "提交交互优化方案",
                    "owner": personas.cs_liaison.pk,
                    "due_at": at(2026, 10, 9, 18, 0),
                }
            ],
        )
        item = ActionItem.objects.get(meeting=meeting)
        # Finished Wed 30 Sep 17:00, reported Thu 8 Oct 10:00: under one working day in between.
        with time_machine.travel(at(2026, 10, 8, 10, 0), tick=False):
            done = services.action_item_complete(
                actor=personas.cs_liaison.user,
                item_id=item.pk,
                result="已提交",
                completed_at=at(2026, 9, 30, 17, 0),
            )
        assert done.reported_late is False

    def test_items_removed_in_a_revision_are_cancelled(self, personas):
        meeting = factories.revising(personas)
        recorder = factories.recorder(personas).user
        keep = item_named(meeting, "评估服务器升级可行性")
        dropped = item_named(meeting, "优化C产品交互逻辑方案")
        new_due = timezone.now() + timedelta(days=30)
        services.minutes_save(
            actor=recorder,
            meeting_id=meeting.pk,
            data={
                "action_items": [
                    {"id": keep.pk, "action": keep.action, "owner": keep.owner_id, "due_at": new_due}
                ]
            },
        )
        dropped.refresh_from_db()
        keep.refresh_from_db()
        assert dropped.status == ActionStatus.CANCELLED and live_keys(dropped) == []
        assert keep.due_at == new_due
        assert deadlines.clocks_live_for(subject=keep, key="action_item.due")[0].due_at == new_due

    def test_an_item_not_yet_tracked_is_simply_dropped_from_the_minutes(self, personas):
        meeting = factories.with_minutes(personas)
        recorder = factories.recorder(personas).user
        services.minutes_save(actor=recorder, meeting_id=meeting.pk, data={"action_items": []})
        assert not ActionItem.objects.filter(meeting=meeting).exists()
        assert not Notification.objects.filter(event="action_item.assigned").exists()

    def test_the_recorder_adds_an_item_to_the_minutes(self, personas):
        meeting = factories.held(personas)
        item = services.action_item_create(
            actor=factories.recorder(personas).user,
            meeting_id=meeting.pk,
            data={
                "action": "整理客户需求清单",
                "owner": personas.mkt_staff.pk,
                "due_at": timezone.now() + timedelta(days=3),
            },
        )
        assert item.position == 1 and item.activated_at is None
        assert reload(meeting).status == MeetingStatus.MINUTES_DRAFTING

    def test_the_initiator_cancels_an_item_no_longer_needed(self, personas):
        meeting = factories.circulated(personas)
        item = item_named(meeting, "评估服务器升级可行性")
        with pytest.raises(PermissionDeniedError):
            services.action_item_cancel(actor=personas.cs_staff.user, item_id=item.pk, reason="不需要")
        item = services.action_item_cancel(
            actor=personas.mkt_staff.user, item_id=item.pk, reason="方案已确定"
        )
        assert item.status == ActionStatus.CANCELLED and live_keys(item) == []


class TestActionItemsFromRequests:
    def test_someone_involved_creates_one_and_the_request_log_records_it(self, personas):
        from crossdesk.collaboration.models import TimelineEntry
        from crossdesk.collaboration.tests import factories as request_factories

        request = request_factories.accepted(personas)
        item = flows.action_item_from_request(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            action="补发货物并告知客户",
            owner_id=personas.cs_staff.pk,
            due_at=timezone.now() + timedelta(days=2),
        )
        assert item.request == request and item.activated_at and item.meeting is None
        assert live_keys(item) == [("action_item.due", "")]
        assert TimelineEntry.objects.filter(request=request, content__contains="补发货物并告知客户").exists()
        assert "action_item.assigned" in events_for(personas.cs_staff)

    def test_an_outsider_cannot(self, personas):
        from crossdesk.collaboration.tests import factories as request_factories

        request = request_factories.accepted(personas)
        with pytest.raises(NotFoundError):  # a request they may not see: not found (issue 16 §1)
            flows.action_item_from_request(
                actor=personas.outsider.user,
                request_id=request.pk,
                action="路过",
                owner_id=personas.outsider.pk,
                due_at=timezone.now() + timedelta(days=2),
            )


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("1. 沟通背景与目标", "沟通背景与目标"),
        ("2、各部门职责分工", "各部门职责分工"),
        ("（3）下一步安排", "下一步安排"),
        ("(4) 风险评估", "风险评估"),
        ("五、会议总结", "会议总结"),
        ("10．问题跟踪", "问题跟踪"),
        ("3.5亿预算的分配", "3.5亿预算的分配"),  # a number, not a numbering
        ("2026年计划回顾", "2026年计划回顾"),
        ("Q3 备货", "Q3 备货"),
    ],
)
def test_an_agenda_typed_with_its_numbers_is_not_numbered_twice(typed, topic):
    from crossdesk.meetings.services.meetings import clean_agenda

    assert clean_agenda([typed]) == [{"topic": topic, "presenter": "", "duration": None}]


def test_a_notice_names_every_missing_field_at_once(personas):
    from crossdesk.core.errors import ApplicationError
    from crossdesk.meetings import services as meeting_services
    from crossdesk.meetings.tests import factories as meeting_factories

    meeting = meeting_factories.draft(personas, title="", goal="", agenda=[])
    with pytest.raises(ApplicationError) as refused:
        meeting_services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
    assert refused.value.field == "title"
    assert list(refused.value.problems) == ["title", "goal", "agenda"]
