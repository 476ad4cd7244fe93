"""The filters of the meeting and action item lists: query parameters → selector filters.

The pages, the API and the exports call these with their query parameters, so they show
the same rows. A value that makes no sense is refused naming the parameter (HTTP 400).
The parsing helpers are every list's own (``core.filters``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import (
    MAX_TEXT,
    param_bool,
    param_choice,
    param_date,
    param_int,
    param_text,
    window_from_params,
)
from crossdesk.org.selectors import Roles, department_id

from .choices import ActionStatus, MeetingKind, MeetingStatus
from .selectors import ITEM_SORTS, SORTS, ActionItemFilter, MeetingFilter

__all__ = ["action_item_filter_from_params", "meeting_filter_from_params", "window_from_params"]


def _statuses(params: Mapping, allowed: list[str]) -> list[str]:
    value = param_text(params, "status")
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    for status in wanted:
        if status not in allowed:
            raise ApplicationError(
                _("%(param)s must be one of: %(allowed)s.")
                % {"param": "status", "allowed": ", ".join(allowed)},
                field="status",
            )
    return list(dict.fromkeys(wanted))


def _range(params: Mapping, first: str, last: str):
    date_from, date_to = param_date(params, first), param_date(params, last)
    if date_from and date_to and date_from > date_to:
        raise ApplicationError(
            _("%(last)s must not be before %(first)s.") % {"first": first, "last": last}, field=last
        )
    return date_from, date_to


def _id(params: Mapping, name: str) -> int | None:
    return param_int(params, name, 0, 0, None) or None


def meeting_filter_from_params(params: Mapping) -> MeetingFilter:
    """``kind``, ``status`` (one or several, comma-separated), ``department`` (code or id;
    initiating or taking part), ``date_from`` / ``date_to`` (meeting date, inclusive),
    ``q`` (number, subject, background, goal, place) and ``sort``."""
    date_from, date_to = _range(params, "date_from", "date_to")
    text = param_text(params, "q")
    if len(text) > MAX_TEXT:
        raise ApplicationError(_("q is at most %(n)d characters.") % {"n": MAX_TEXT}, field="q")
    department_value = param_text(params, "department")
    return MeetingFilter(
        kind=param_choice(params, "kind", MeetingKind.values),
        statuses=_statuses(params, MeetingStatus.values),
        department=department_id(department_value, field="department") if department_value else None,
        date_from=date_from,
        date_to=date_to,
        text=text,
        sort=param_choice(params, "sort", SORTS) or "-starts_at",
    )


def action_item_filter_from_params(params: Mapping, *, roles: Roles) -> ActionItemFilter:
    """``owner`` (a person id, or ``me``), ``status``, ``overdue``, ``meeting``, ``request``,
    ``due_from`` / ``due_to`` (deadline date, inclusive) and ``sort``."""
    owner_value = param_text(params, "owner")
    owner = (roles.person.pk if roles.person else -1) if owner_value == "me" else _id(params, "owner")
    due_from, due_to = _range(params, "due_from", "due_to")
    return ActionItemFilter(
        owner=owner,
        statuses=_statuses(params, ActionStatus.values),
        overdue=param_bool(params, "overdue"),
        meeting=_id(params, "meeting"),
        request=_id(params, "request"),
        due_from=due_from,
        due_to=due_to,
        sort=param_choice(params, "sort", ITEM_SORTS) or "due_at",
    )
