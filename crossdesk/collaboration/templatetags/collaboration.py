"""Badges and labels of the request pages."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import format_html

from crossdesk.collaboration.choices import PartRole, PartStatus, RequestStatus, Urgency
from crossdesk.core.templatetags.crossdesk import badge, choice_label
from crossdesk.deadlines.choices import EscalationTarget, EventKind

register = template.Library()

STATUS_COLOURS = {
    RequestStatus.DRAFT: "text-bg-light border",
    RequestStatus.SUBMITTED: "text-bg-primary",
    RequestStatus.IN_PROGRESS: "text-bg-info",
    RequestStatus.DECLINED: "text-bg-dark",
    RequestStatus.RESOLVED: "text-bg-success",
    RequestStatus.CONFIRMED: "text-bg-success",
    RequestStatus.SIGNED: "text-bg-success",
    RequestStatus.ARCHIVED: "text-bg-secondary",
    RequestStatus.CANCELLED: "text-bg-light border text-decoration-line-through",
}
PART_COLOURS = {
    PartStatus.PENDING: "text-bg-primary",
    PartStatus.AWAITING_INFO: "text-bg-warning",
    PartStatus.ACCEPTED: "text-bg-info",
    PartStatus.DECLINED: "text-bg-dark",
    PartStatus.RESOLVED: "text-bg-success",
    PartStatus.INFORMED: "text-bg-light border",
}
URGENCY_COLOURS = {
    Urgency.NORMAL: "text-bg-light border",
    Urgency.URGENT: "text-bg-warning",
    Urgency.CRITICAL: "text-bg-danger",
}
EVENT_ICONS = {
    EventKind.WARNED: ("hourglass-split", "warning"),
    EventKind.BREACHED: ("alarm", "danger"),
    EventKind.ESCALATED: ("arrow-up-circle", "danger"),
    EventKind.FOLLOW_UP: ("bell", "secondary"),
    EventKind.PAUSED: ("pause-circle", "secondary"),
    EventKind.RESUMED: ("play-circle", "secondary"),
    EventKind.MET: ("check-circle", "success"),
    EventKind.CANCELLED: ("dash-circle", "secondary"),
    EventKind.RECOMPUTED: ("calendar2-range", "info"),
}


@register.simple_tag
def status_badge(status: str, part: bool = False):
    """A request's (or, with ``part=True``, a department part's) status as a badge."""
    choices, colours = (PartStatus, PART_COLOURS) if part else (RequestStatus, STATUS_COLOURS)
    return badge(choices, status, "status-badge", colours)


@register.simple_tag
def urgency_badge(urgency: str):
    return badge(Urgency, urgency, "urgency-badge", URGENCY_COLOURS)


@register.filter
def status_label(value: str, part_id=None) -> str:
    """The label of a status value; a part's status when the entry belongs to a part."""
    return choice_label(PartStatus if part_id else RequestStatus, value)


@register.filter
def role_label(value: str) -> str:
    return choice_label(PartRole, value)


@register.filter
def event_icon(kind: str) -> str:
    return EVENT_ICONS.get(kind.removeprefix("clock_"), ("clock", "secondary"))[0]


@register.filter
def event_colour(kind: str) -> str:
    return EVENT_ICONS.get(kind.removeprefix("clock_"), ("clock", "secondary"))[1]


@register.filter
def isodatetime(value):
    """An ISO timestamp kept in a JSON history row, as an aware datetime for ``longdatetime``."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, descending_first: bool = False):
    """A column header that sorts the table by ``key`` (and back), through htmx."""
    current = context.get("sort", "")
    params = context["query_params"].copy()
    params.pop("page", None)
    if current == key and f"-{key}" in context["sort_keys"]:
        wanted = f"-{key}"
    elif current == f"-{key}":
        wanted = key
    else:
        wanted = f"-{key}" if descending_first and f"-{key}" in context["sort_keys"] else key
    params["sort"] = wanted
    arrow = ""
    if current == key:
        arrow = "bi-caret-up-fill"
    elif current == f"-{key}":
        arrow = "bi-caret-down-fill"
    href = f"?{params.urlencode()}"
    return format_html(
        '<a class="link-body-emphasis text-decoration-none text-nowrap" href="{}" hx-get="{}" '
        'hx-target="#request-table" hx-swap="outerHTML" hx-push-url="true">{}{}</a>',
        href,
        href,
        label,
        format_html(' <i class="bi {}"></i>', arrow) if arrow else "",
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    params = context["query_params"].copy()
    params["page"] = number
    return f"?{params.urlencode()}"


@register.filter
def escalation_label(value: str) -> str:
    return choice_label(EscalationTarget, value)
