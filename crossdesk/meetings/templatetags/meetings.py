"""Badges and labels of the meeting pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

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


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


@register.simple_tag
def meeting_badge(status: str):
    return format_html(
        '<span class="badge {}" data-testid="meeting-status">{}</span>',
        STATUS_COLOURS.get(status, "text-bg-light"),
        _label(MeetingStatus, status),
    )


@register.simple_tag
def kind_badge(kind: str):
    return format_html(
        '<span class="badge text-bg-light border" data-testid="meeting-kind">{}</span>',
        _label(MeetingKind, kind),
    )


@register.simple_tag
def item_badge(status: str):
    return format_html(
        '<span class="badge {}" data-testid="item-status">{}</span>',
        ITEM_COLOURS.get(status, "text-bg-light"),
        _label(ActionStatus, status),
    )


@register.filter
def next_step_label(value: str) -> str:
    return _label(NextStep, value)


@register.filter
def meeting_status_label(value: str) -> str:
    return _label(MeetingStatus, value)


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
