"""Meetings' figures per department and period (issue 12 §1), from the meetings' own
moments, their minutes clocks and the minutes' responses.

Which rows a figure covers: meetings that start in the period and that the departments
called (notices, minutes), objections the departments raised to those meetings' minutes,
and action items the departments own that fall due in the period. "Overdue action items"
is today's state, whatever the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from crossdesk.deadlines.keys import RuleKey
from crossdesk.deadlines.models import Clock
from crossdesk.meetings.choices import OPEN_ACTION_STATUSES, ActionStatus, MeetingStatus, ResponseKind
from crossdesk.meetings.models import ActionItem, Meeting, MinutesResponse

from ..periods import Period
from .departments import DepartmentNode
from .stats import clock_outcome, percent


@dataclass
class MeetingRows:
    meetings: list[
        tuple[int, int, bool | None, bool | None]
    ]  # id, department, notice on time, minutes on time
    objections: list[int]  # the objecting department of each objection
    items: list[tuple[int, bool | None]]  # department, done on time (None while not yet due)
    overdue_items: list[int]  # department of each overdue action item


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def load_meeting_rows(department_ids: set[int], period: Period) -> MeetingRows:
    """Every row the meeting figures of these departments need, in five queries."""
    start, end = _day_start(period.start), _day_start(period.end + timedelta(days=1))
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(
            initiating_department_id__in=department_ids, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status__in=[MeetingStatus.DRAFT, MeetingStatus.CANCELLED])
        .values_list("id", "initiating_department_id", "notice_sent_at", "notice_late_reason")
    )
    minutes: dict[int, bool | None] = {}
    if meetings:
        for subject_id, state, due_at, met_at in (
            Clock.objects.filter(
                subject_type=ContentType.objects.get_for_model(Meeting),
                subject_id__in=[m[0] for m in meetings],
                policy__key=RuleKey.MEETING_MINUTES,
            )
            .order_by("id")
            .values_list("subject_id", "state", "due_at", "met_at")
        ):
            minutes[subject_id] = clock_outcome((state, due_at, met_at), now)
    objections = list(
        MinutesResponse.objects.filter(
            kind=ResponseKind.OBJECT,
            participation__department_id__in=department_ids,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        ).values_list("participation__department_id", flat=True)
    )
    items: list[tuple[int, bool | None]] = []
    for dept, item_due, completed_at, status in (
        ActionItem.objects.filter(
            department_id__in=department_ids,
            activated_at__isnull=False,
            due_at__gte=start,
            due_at__lt=end,
        )
        .exclude(status=ActionStatus.CANCELLED)
        .values_list("department_id", "due_at", "completed_at", "status")
    ):
        if item_due is None:
            continue
        if status == ActionStatus.DONE and completed_at is not None:
            items.append((dept, completed_at <= item_due))
        else:
            items.append((dept, False if item_due < now else None))
    overdue = list(
        ActionItem.objects.filter(
            department_id__in=department_ids,
            activated_at__isnull=False,
            status__in=OPEN_ACTION_STATUSES,
            due_at__lt=now,
        ).values_list("department_id", flat=True)
    )
    return MeetingRows(
        meetings=[
            (pk, dept, (not late_reason) if sent_at is not None else None, minutes.get(pk))
            for pk, dept, sent_at, late_reason in meetings
        ],
        objections=[d for d in objections if d is not None],
        items=[(d, on_time) for d, on_time in items if d is not None],
        overdue_items=[d for d in overdue if d is not None],
    )


def meeting_figures(rows: MeetingRows, group: frozenset[int]) -> dict[str, Any]:
    meetings = [m for m in rows.meetings if m[1] in group]
    notices = [m[2] for m in meetings if m[2] is not None]
    minutes = [m[3] for m in meetings if m[3] is not None]
    items = [on_time for dept, on_time in rows.items if dept in group and on_time is not None]
    return {
        "meetings": len(meetings),
        "notices_sent": len(notices),
        "notices_on_time": sum(notices),
        "notices_on_time_pct": percent(sum(notices), len(notices)),
        "minutes_measured": len(minutes),
        "minutes_on_time": sum(minutes),
        "minutes_on_time_pct": percent(sum(minutes), len(minutes)),
        "objections": sum(1 for d in rows.objections if d in group),
        "action_items_measured": len(items),
        "action_items_on_time": sum(items),
        "action_items_on_time_pct": percent(sum(items), len(items)),
        "overdue_action_items": sum(1 for d in rows.overdue_items if d in group),
    }


def meetings_by_department(nodes: Iterable[DepartmentNode], period: Period) -> dict[int, dict[str, Any]]:
    """Each department's meeting figures, rolled up over its sub-departments."""
    chosen = list(nodes)
    everyone = set().union(*(n.subtree for n in chosen)) if chosen else set()
    rows = load_meeting_rows(everyone, period) if everyone else MeetingRows([], [], [], [])
    return {n.id: meeting_figures(rows, n.subtree) for n in chosen}
