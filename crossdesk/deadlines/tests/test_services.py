"""The deadline engine on the 2026 calendar, with a frozen clock.

National Day 2026: Thu 1 – Wed 7 October off; Sat 10 October is a make-up working day.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crossdesk.core.errors import PermissionDeniedError, TransitionError
from crossdesk.deadlines import services
from crossdesk.deadlines.choices import ClockState, EventKind
from crossdesk.deadlines.models import Clock, ClockEvent, TimePolicy
from crossdesk.notify.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def respond_clock(personas):
    """A normal request's response clock, started the day before National Day."""
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        return services.clock_start(
            subject=personas.cs,
            key="request.respond",
            variant="normal",
            owner=personas.cs_liaison,
            department=personas.cs,
            label="响应协作请求",
        )


def sweep_at(moment: datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return services.sweep()


def titles_for(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("id").values_list("title", flat=True))


def test_three_working_days_skip_national_day_and_land_on_the_make_up_saturday(respond_clock):
    assert respond_clock.due_at == at(2026, 10, 10, 10, 0)
    # 75 % of 22.5 working hours = 16 h 52 min 30 s, counted on working time only.
    assert respond_clock.warn_at == at(2026, 10, 9, 11, 52, 30)
    assert respond_clock.estimated is False


def test_the_sweep_warns_then_breaches_then_escalates_each_once(respond_clock, personas):
    assert sweep_at(at(2026, 10, 9, 11, 52)) == {}
    assert sweep_at(at(2026, 10, 9, 11, 53)) == {"warn": 1}
    assert sweep_at(at(2026, 10, 9, 11, 54)) == {}
    assert len(titles_for(personas.cs_liaison)) == 1

    # Due Sat 10 Oct 10:00: breach, and the first escalation step (to the head) is immediate.
    assert sweep_at(at(2026, 10, 10, 10, 1)) == {"breach": 1, "escalate": 1}
    clock = Clock.objects.get(pk=respond_clock.pk)
    assert clock.state == ClockState.BREACHED
    escalation = Notification.objects.get(recipient=personas.cs_head)
    assert escalation.level == Notification.Level.OVERDUE and "响应协作请求" in escalation.title

    # One working day later goes to the supervisor: Sunday 11 Oct is off, so Mon 12 Oct 10:00.
    assert sweep_at(at(2026, 10, 11, 23, 0)) == {}
    assert sweep_at(at(2026, 10, 12, 10, 0)) == {"escalate": 1}
    assert len(titles_for(personas.supervisor)) == 1
    assert sweep_at(at(2026, 10, 20, 10, 0)) == {}  # the ladder has two steps; nothing more
    clock = Clock.objects.get(pk=respond_clock.pk)
    assert (clock.escalation_level, clock.next_action_at, clock.warned_at) == (
        2,
        None,
        at(2026, 10, 9, 11, 52, 30),
    )
    kinds = list(ClockEvent.objects.filter(clock=respond_clock).values_list("kind", flat=True))
    assert kinds == [
        EventKind.STARTED,
        EventKind.WARNED,
        EventKind.BREACHED,
        EventKind.ESCALATED,
        EventKind.ESCALATED,
    ]


def test_a_stale_copy_of_a_clock_cannot_send_its_reminder_twice(respond_clock, personas):
    from crossdesk.workcal.selectors import get_calendar

    first = Clock.objects.select_related("policy").get(pk=respond_clock.pk)
    second = Clock.objects.select_related("policy").get(pk=respond_clock.pk)
    with time_machine.travel(at(2026, 10, 9, 12, 0), tick=False):
        calendar = get_calendar()
        subjects = {(first.subject_type_id, first.subject_id): personas.cs}
        assert services._carry_out(calendar, [first], subjects, at(2026, 10, 9, 12, 0)) == {"warn": 1}
        # A second scheduler that read the row before the first one wrote it.
        assert services._carry_out(calendar, [second], subjects, at(2026, 10, 9, 12, 0)) == {}
    assert len(titles_for(personas.cs_liaison)) == 1


def test_meeting_the_rule_stops_the_clock(respond_clock):
    with time_machine.travel(at(2026, 10, 8, 9, 30), tick=False):
        services.clock_stop(clock=respond_clock)
    assert sweep_at(at(2026, 10, 20, 10, 0)) == {}
    clock = Clock.objects.get(pk=respond_clock.pk)
    assert clock.state == ClockState.MET and clock.next_action_at is None


def test_pausing_moves_the_due_moment_by_the_paused_working_time(respond_clock):
    # Paused Wed 30 Sep 15:00 → resumed Thu 8 Oct 11:00: 3 h on 30 Sep + 2 h on 8 Oct = 5 working hours.
    with time_machine.travel(at(2026, 9, 30, 15, 0), tick=False):
        services.clock_pause(clock=respond_clock, reason="等待发起人补充信息")
    assert sweep_at(at(2026, 10, 12, 10, 0)) == {}  # paused clocks do nothing
    with time_machine.travel(at(2026, 10, 8, 11, 0), tick=False):
        clock = services.clock_resume(clock=respond_clock)
    # Due Sat 10 Oct 10:00 + 5 working hours = Sat 10 Oct 16:30.
    assert clock.due_at == at(2026, 10, 10, 16, 30)
    event = ClockEvent.objects.get(clock=clock, kind=EventKind.RESUMED)
    assert event.data["paused_seconds"] == 5 * 3600


def test_a_calendar_change_recomputes_running_deadlines_and_notes_why(respond_clock, personas):
    from crossdesk.workcal import services as workcal_services

    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        workcal_services.override_set(
            actor=personas.admin_user,
            day=at(2026, 10, 9, 0, 0).date(),
            is_working=False,
            name="公司年度团建",
            note="全员团建",
        )
    clock = Clock.objects.get(pk=respond_clock.pk)
    # Fri 9 Oct off: 8 Oct, 10 Oct (make-up Saturday), then Mon 12 Oct.
    assert clock.due_at == at(2026, 10, 12, 10, 0)
    event = ClockEvent.objects.get(clock=clock, kind=EventKind.RECOMPUTED)
    assert event.data["old_due"].startswith("2026-10-10T10:00")
    assert event.data["new_due"].startswith("2026-10-12T10:00")
    assert event.data["reason"]


def test_finished_deadlines_keep_their_history_when_the_calendar_changes(respond_clock, personas):
    from crossdesk.workcal import services as workcal_services

    with time_machine.travel(at(2026, 10, 8, 9, 30), tick=False):
        services.clock_stop(clock=respond_clock)
        workcal_services.override_set(
            actor=personas.admin_user,
            day=at(2026, 10, 9, 0, 0).date(),
            is_working=False,
            name="公司年度团建",
            note="全员团建",
        )
    assert Clock.objects.get(pk=respond_clock.pk).due_at == at(2026, 10, 10, 10, 0)
    assert not ClockEvent.objects.filter(kind=EventKind.RECOMPUTED).exists()


def test_an_administrator_changes_a_rule_and_running_clocks_follow(respond_clock, personas):
    policy = TimePolicy.objects.get(key="request.respond", variant="normal")
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        services.policy_update(actor=personas.admin_user, policy=policy, target_amount=Decimal("5"))
    # 5 working days from Wed 30 Sep 10:00: 8, 9, 10 (Sat, make-up), 12, 13 October.
    assert Clock.objects.get(pk=respond_clock.pk).due_at == at(2026, 10, 13, 10, 0)


def test_only_an_administrator_changes_a_rule(personas):
    policy = TimePolicy.objects.get(key="request.respond", variant="normal")
    with pytest.raises(PermissionDeniedError):
        services.policy_update(actor=personas.cs_head.user, policy=policy, target_amount=Decimal("5"))


def test_urgent_requests_count_clock_hours_through_the_holiday(personas):
    with time_machine.travel(at(2026, 9, 30, 17, 0), tick=False):
        clock = services.clock_start(
            subject=personas.cs, key="request.respond", variant="urgent", department=personas.cs
        )
    assert clock.due_at == at(2026, 10, 1, 17, 0)


def test_a_deadline_reaching_into_an_unknown_year_still_computes_and_is_flagged(personas):
    with time_machine.travel(at(2026, 12, 30, 10, 0), tick=False):
        clock = services.clock_start(
            subject=personas.cs, key="request.respond", variant="normal", department=personas.cs
        )
    # 31 Dec, then 2027 on weekends only: Fri 1 Jan, Mon 4 Jan.
    assert clock.due_at == at(2027, 1, 4, 10, 0)
    assert clock.estimated is True


def test_a_record_has_one_live_clock_per_rule(respond_clock, personas):
    with pytest.raises(TransitionError):
        services.clock_start(
            subject=personas.cs, key="request.respond", variant="normal", department=personas.cs
        )


def test_a_cadence_reminds_the_owner_at_every_interval(personas):
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        services.clock_start(
            subject=personas.cs,
            key="request.follow_up",
            variant="normal",
            owner=personas.mkt_staff,
            department=personas.mkt,
        )
    assert sweep_at(at(2026, 9, 29, 18, 0)) == {"follow_up": 1}
    assert sweep_at(at(2026, 9, 29, 18, 5)) == {}
    assert sweep_at(at(2026, 9, 30, 18, 0)) == {"follow_up": 1}
    # The next follow-up after Wed 30 Sep 18:00 is a working day later: Thu 8 Oct 18:00.
    assert sweep_at(at(2026, 10, 7, 23, 0)) == {}
    assert sweep_at(at(2026, 10, 8, 18, 0)) == {"follow_up": 1}
    assert len(titles_for(personas.mkt_staff)) == 3


def test_the_sweep_reads_only_due_clocks(personas, django_assert_max_num_queries):
    with time_machine.travel(at(2026, 9, 1, 10, 0), tick=False):
        for number in range(30):
            services.clock_start(
                subject=personas.cs,
                key="request.respond",
                variant="normal",
                scope=f"part:{number}",
                department=personas.cs,
            )
    with time_machine.travel(at(2026, 9, 1, 11, 0), tick=False), django_assert_max_num_queries(5):
        assert services.sweep() == {}


def _clocks_on(departments, personas):
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        return [
            services.clock_start(
                subject=department,
                key="request.respond",
                variant="normal",
                owner=personas.cs_liaison,
                department=personas.cs,
                scope=f"copy-{n}",
            )
            for n, department in enumerate(departments)
        ]


def _queries_of_sweep(moment) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        done = sweep_at(moment)
    return len(context.captured_queries), done


def test_a_sweep_costs_the_same_queries_for_two_due_clocks_or_eight(personas, monkeypatch):
    """The sweep writes a batch's events, clocks and messages together (1 % of 100,000
    clocks due must take < 2 s): its query count does not grow with the clocks due."""
    # Tests run tasks at once on commit; the outbox's delivery work is not the sweep's.
    monkeypatch.setattr("crossdesk.notify.services.inbox._enqueue_drain", lambda: None)
    _clocks_on([personas.mkt, personas.log], personas)
    two, done_two = _queries_of_sweep(at(2026, 10, 10, 10, 1))
    assert done_two == {"warn": 2, "breach": 2, "escalate": 2}
    Clock.objects.all().delete()
    _clocks_on([personas.mkt, personas.log, personas.fin, personas.cs] * 2, personas)
    eight, done_eight = _queries_of_sweep(at(2026, 10, 10, 10, 1))
    assert done_eight == {"warn": 8, "breach": 8, "escalate": 8}
    assert eight == two
    # Every clock kept what the sweep did, and each person was told each thing once.
    assert set(Clock.objects.values_list("state", "escalation_level")) == {(ClockState.BREACHED, 1)}
    assert Notification.objects.filter(recipient=personas.cs_head).count() == 2 + 8


def test_a_stopped_clock_cannot_pause_and_the_refusal_names_both_states(respond_clock):
    services.clock_stop(clock=respond_clock, met=False)
    with pytest.raises(TransitionError, match="已撤销.*已暂停"):
        services.clock_pause(clock=respond_clock)


def test_reassigning_moves_only_the_live_clocks_of_the_rule_and_scope(respond_clock, personas):
    other = services.clock_start(
        subject=personas.cs, key="request.respond", variant="normal", scope="part:2", department=personas.cs
    )
    assert (
        services.clocks_reassign(subject=personas.cs, key="request.respond", scope="", owner=personas.cs_head)
        == 1
    )
    respond_clock.refresh_from_db()
    other.refresh_from_db()
    assert (respond_clock.owner_id, other.owner_id) == (personas.cs_head.pk, None)


def test_a_system_actor_is_stored_as_nobody_and_the_sweep_announces_itself(respond_clock):
    from crossdesk.core.records import SYSTEM

    services.clock_pause(clock=respond_clock, actor=SYSTEM.for_reason("test"))
    assert ClockEvent.objects.filter(clock=respond_clock, kind=EventKind.PAUSED).get().actor_id is None
    seen = []

    def listen(sender, events, actor=None, **kwargs):
        seen.append(actor)

    services.deadline_events.connect(listen)
    try:
        services.clock_resume(clock=respond_clock)
        sweep_at(at(2026, 10, 20, 10, 0))
    finally:
        services.deadline_events.disconnect(listen)
    assert seen[0] is None
    assert str(seen[-1]) == str(services.SWEEP_ACTOR)


def test_after_five_unattended_working_days_across_the_holiday_each_person_is_told_once(
    respond_clock, personas
):
    """The sweep did not run from before National Day until five working days after the
    deadline: the clock warned, breached and climbed the whole ladder in between. Its history
    records every stage; each person hears only the latest one that concerns them."""
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=False):
        services.clock_start(
            subject=personas.cs,
            key="request.follow_up",
            variant="normal",
            owner=personas.mkt_staff,
            department=personas.mkt,
        )
    # Due Sat 10 Oct 10:00; five working days later (12, 13, 14, 15, 16 Oct) is Fri 16 Oct.
    done = sweep_at(at(2026, 10, 16, 10, 30))
    assert done == {"warn": 1, "breach": 1, "escalate": 2, "follow_up": 1}
    kinds = list(ClockEvent.objects.filter(clock=respond_clock).values_list("kind", flat=True))
    assert kinds == [
        EventKind.STARTED,
        EventKind.WARNED,
        EventKind.BREACHED,
        EventKind.ESCALATED,
        EventKind.ESCALATED,
    ]
    assert Notification.objects.get(recipient=personas.cs_liaison).event == "deadline.breach"
    assert Notification.objects.get(recipient=personas.cs_head).event == "deadline.escalate"
    assert Notification.objects.get(recipient=personas.supervisor).event == "deadline.escalate"
    # Nine daily follow-ups fell due (29, 30 Sep; 8, 9, 10, 12–15 Oct at 18:00): one reminder,
    # the eight before the latest noted as missed.
    follow_up = ClockEvent.objects.get(kind=EventKind.FOLLOW_UP)
    assert follow_up.data == {"number": 1, "missed": 8}
    assert follow_up.at == at(2026, 10, 15, 18, 0)
    assert len(titles_for(personas.mkt_staff)) == 1
    # Nothing more until the next cadence, this evening.
    assert sweep_at(at(2026, 10, 16, 17, 59)) == {}
    assert sweep_at(at(2026, 10, 16, 18, 0)) == {"follow_up": 1}
    assert len(titles_for(personas.mkt_staff)) == 2


def test_an_escalation_of_a_critical_clock_is_marked_critical(personas):
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        services.clock_start(
            subject=personas.cs, key="request.respond", variant="critical", department=personas.cs
        )
    sweep_at(at(2026, 10, 12, 16, 0))
    escalations = Notification.objects.filter(event="deadline.escalate")
    assert escalations.count() == 2 and all(n.critical for n in escalations)


def test_default_rules_are_named_in_the_company_language_even_when_migrate_turns_translations_off():
    from django.utils import translation

    TimePolicy.objects.all().delete()
    with translation.override(None):  # as inside ``migrate``'s post_migrate
        created = services.policies_ensure_defaults()
    assert created == TimePolicy.objects.count() > 5
    names = list(TimePolicy.objects.values_list("name", flat=True))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in names), names
    assert TimePolicy.objects.filter(key="request.respond", variant="urgent").get().name == "响应紧急请求"
