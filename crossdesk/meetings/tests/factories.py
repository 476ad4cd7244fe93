"""Meetings in every state, built through the services so every rule runs.

The initiator is the MKT staff member (张伟); a separate MKT recorder (孙丽) writes the
minutes; MKT and CS take part, represented by 张伟 and the CS liaison (李娜).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from crossdesk.core.testing import Personas
from crossdesk.meetings import services
from crossdesk.meetings.models import ActionItem, Meeting
from crossdesk.org.models import Person
from crossdesk.org.tests.factories import PersonFactory, add_member

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def recorder(personas: Personas) -> Person:
    """The meeting recorder of MKT (会议记录员), made once per test database."""
    person = Person.objects.filter(employee_no="P101").first()
    if person is None:
        person = PersonFactory(employee_no="P101", name="孙丽", title="市场助理")
        add_member(person, personas.mkt)
    return person


def at_ten(days_from_now: int) -> datetime:
    day = timezone.localtime() + timedelta(days=days_from_now)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


def meeting_data(personas: Personas, **overrides) -> dict:
    starts = overrides.pop("starts_at", None) or at_ten(14)
    data = {
        "title": "C产品响应速度问题专项沟通会",
        "kind": "special",
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=90),
        "place": "3楼第一会议室",
        "background": "客户反馈C产品功能不满足需求，需协调研发与客服部优化方案",
        "goal": "明确功能优化优先级及交付时间",
        "recorder": recorder(personas).pk,
        "agenda": [
            {"topic": "问题原因分析", "presenter": "张伟", "duration": 30},
            {"topic": "解决方案可行性", "presenter": "李娜", "duration": 45},
        ],
        "participants": [
            {
                "department": personas.mkt.pk,
                "people": [personas.mkt_staff.pk, recorder(personas).pk],
                "representative": personas.mkt_staff.pk,
            },
            {
                "department": personas.cs.pk,
                "people": [personas.cs_liaison.pk, personas.cs_staff.pk],
                "representative": personas.cs_liaison.pk,
            },
        ],
    }
    data.update(overrides)
    return data


def draft(personas: Personas, **overrides) -> Meeting:
    return services.meeting_create_draft(
        actor=personas.mkt_staff.user, data=meeting_data(personas, **overrides)
    )


def notified(personas: Personas, **overrides) -> Meeting:
    meeting = draft(personas, **overrides)
    return services.meeting_send_notice(
        actor=personas.mkt_staff.user, meeting_id=meeting.pk, late_reason="客户要求尽快沟通"
    )


def held(personas: Personas, **overrides) -> Meeting:
    """A meeting that took place yesterday, noticed three weeks ago, marked held now."""
    starts = at_ten(-1)
    with time_machine.travel(timezone.now() - timedelta(days=21), tick=False):
        meeting = notified(personas, starts_at=starts, **overrides)
    return services.meeting_mark_held(actor=personas.mkt_staff.user, meeting_id=meeting.pk)


def minutes_data(personas: Personas, **overrides) -> dict:
    data = {
        "discussion": [
            {
                "topic": "问题原因分析",
                "points": "客户对C产品响应速度不满；研发提出升级服务器，客服建议优化交互逻辑",
            },
        ],
        "disagreements": [
            {
                "topic": "优先方案",
                "views": [
                    {"department": personas.mkt.pk, "position": "服务器升级需2周且预算高"},
                    {
                        "department": personas.cs.pk,
                        "person": personas.cs_liaison.pk,
                        "position": "交互优化可快速见效",
                    },
                ],
                "next_step": "evaluate",
            }
        ],
        "consensus": ["优先优化交互逻辑，同时评估服务器升级可行性"],
        "action_items": [
            {
                "action": "优化C产品交互逻辑方案",
                "owner": personas.cs_liaison.pk,
                "due_at": timezone.now() + timedelta(days=5),
                "support_needed": "市场部提供客户具体需求",
                "support_department": personas.mkt.pk,
            },
            {
                "action": "评估服务器升级可行性",
                "owner": personas.cs_staff.pk,
                "due_at": timezone.now() + timedelta(days=20),
                "support_needed": "物流部提供预算参考",
                "support_department": personas.log.pk,
            },
        ],
    }
    data.update(overrides)
    return data


def with_minutes(personas: Personas, **overrides) -> Meeting:
    meeting = held(personas, **overrides)
    return services.minutes_save(
        actor=recorder(personas).user, meeting_id=meeting.pk, data=minutes_data(personas)
    )


def circulated(personas: Personas, **overrides) -> Meeting:
    meeting = with_minutes(personas, **overrides)
    services.minutes_circulate(actor=recorder(personas).user, meeting_id=meeting.pk)
    return Meeting.objects.get(pk=meeting.pk)


def objected(personas: Personas, **overrides) -> Meeting:
    meeting = circulated(personas, **overrides)
    services.minutes_object(
        actor=personas.cs_liaison.user, meeting_id=meeting.pk, text="交互优化的完成时限应为3天内出方案"
    )
    return Meeting.objects.get(pk=meeting.pk)


def revising(personas: Personas, **overrides) -> Meeting:
    meeting = objected(personas, **overrides)
    return services.minutes_revise(actor=recorder(personas).user, meeting_id=meeting.pk)


def confirmed(personas: Personas, **overrides) -> Meeting:
    meeting = circulated(personas, **overrides)
    services.minutes_confirm(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
    services.minutes_confirm(actor=personas.cs_liaison.user, meeting_id=meeting.pk)
    return Meeting.objects.get(pk=meeting.pk)


def signed(personas: Personas, **overrides) -> Meeting:
    meeting = confirmed(personas, **overrides)
    services.minutes_sign(actor=personas.mkt_head.user, meeting_id=meeting.pk)
    services.minutes_sign(actor=personas.cs_head.user, meeting_id=meeting.pk)
    return Meeting.objects.get(pk=meeting.pk)


def finish_items(personas: Personas, meeting: Meeting) -> None:
    for item in ActionItem.objects.filter(meeting=meeting).select_related("owner"):
        services.action_item_complete(actor=item.owner.user, item_id=item.pk, result="已完成")


def archived(personas: Personas, **overrides) -> Meeting:
    meeting = signed(personas, **overrides)
    finish_items(personas, meeting)
    return services.meeting_archive(actor=personas.mkt_staff.user, meeting_id=meeting.pk)


def cancelled(personas: Personas, **overrides) -> Meeting:
    meeting = notified(personas, **overrides)
    return services.meeting_cancel(
        actor=personas.mkt_staff.user, meeting_id=meeting.pk, reason="客户已撤回投诉"
    )
