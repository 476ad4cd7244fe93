"""Badges and labels of the meeting pages."""

from __future__ import annotations

from django import template

from crossdesk.core.templatetags.crossdesk import badge, choice_label
from crossdesk.meetings.choices import ActionStatus, MeetingKind, MeetingStatus, NextStep

register = template.Library()

STATUS_COLOURS = {
    MeetingStatus.DRAFT: "text-bg-light border",
    MeetingStatus.NOTIFIED: "text-bg-primary",
    MeetingStatus.HELD: "text-bg-info",
    MeetingStatus.MINUTES_DRAFTING: "text-bg-info",
    MeetingStatus.CIRCULATED: "text-bg-warning",
    MeetingStatus.OBJECTED: "text-bg-danger",
    MeetingStatus.REVISING: "text-bg-warning",
    MeetingStatus.CONFIRMED: "text-bg-success",
    MeetingStatus.SIGNED: "text-bg-success",
    MeetingStatus.ARCHIVED: "text-bg-secondary",
    MeetingStatus.CANCELLED: "text-bg-light border text-decoration-line-through",
}
ITEM_COLOURS = {
    ActionStatus.NOT_STARTED: "text-bg-light border",
    ActionStatus.IN_PROGRESS: "text-bg-info",
    ActionStatus.DELAYED: "text-bg-warning",
    ActionStatus.DONE: "text-bg-success",
    ActionStatus.CANCELLED: "text-bg-light border text-decoration-line-through",
}


@register.simple_tag
def meeting_badge(status: str):
    return badge(MeetingStatus, status, "meeting-status", STATUS_COLOURS)


@register.simple_tag
def kind_badge(kind: str):
    return badge(MeetingKind, kind, "meeting-kind", default="text-bg-light border")


@register.simple_tag
def item_badge(status: str):
    return badge(ActionStatus, status, "item-status", ITEM_COLOURS)


@register.filter
def next_step_label(value: str) -> str:
    return choice_label(NextStep, value)


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` trying the key as given and as an int (ids from JSON or forms)."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    try:
        return mapping.get(int(key))
    except (TypeError, ValueError):
        return None


@register.filter
def same_id(a, b) -> bool:
    return a not in (None, "") and b not in (None, "") and str(a) == str(b)
