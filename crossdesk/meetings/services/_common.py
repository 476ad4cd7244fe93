"""What the meeting services share: the locked meeting with the actor's roles, the
participants, notifications and the few inputs only meetings read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.records import Actor, check_version, locked
from crossdesk.core.records.inputs import a_moment, an_id, text
from crossdesk.notify.models import Notification
from crossdesk.notify.services import notify_about
from crossdesk.org.models import Department, Person
from crossdesk.org.selectors import Roles, active_person, department_id, primary_department_id, roles_for
from crossdesk.org.selectors import person_required as person_of

from ..models import Meeting, MeetingDepartment

__all__ = [
    "a_moment",
    "acting",
    "active_person",
    "an_id",
    "context",
    "department_of",
    "invitee_ids",
    "local_text",
    "participations",
    "person_of",
    "primary_department_id",
    "rows_of",
    "send",
    "text",
]

DATETIME_FORMAT = "%Y-%m-%d %H:%M"
MAX_ROWS = 100
MINUTES_STALE = gettext_lazy(
    "The minutes were saved elsewhere since you opened them. Copy what you typed, reload and add it again."
)


def context(
    actor: Actor, meeting_id: int, *, version: int | None = None, minutes_version: int | None = None
) -> tuple[Meeting, Roles]:
    """Lock the meeting, refuse a write based on an old copy, and read the actor's roles."""
    meeting = locked(
        Meeting,
        meeting_id,
        version,
        related=["initiating_department"],
        not_found=_("No such meeting."),
        stale_message=_(
            "Someone else changed this meeting since you opened it. Reload the page to see their change."
        ),
    )
    check_version(meeting, minutes_version, field="minutes_version", message=MINUTES_STALE)
    return meeting, roles_for(actor)


def acting(roles: Roles) -> Person:
    """The person behind ``roles`` once a rule let them act (rules need a person)."""
    if roles.person is None:
        raise PermissionDeniedError(_("Your login is not linked to a person in the organisation."))
    return roles.person


def participations(meeting: Meeting) -> list[MeetingDepartment]:
    return list(
        meeting.departments.select_related("department", "department__head", "representative").order_by(
            "-is_initiating", "id"
        )
    )


def invitee_ids(meeting: Meeting) -> list[int]:
    return list(meeting.invitees.values_list("person_id", flat=True))


def send(
    meeting: Meeting,
    recipients,
    *,
    event_name: str,
    title: str,
    body: str = "",
    actor: Person | None,
    level: str = Notification.Level.INFO,
) -> int:
    """Tell people about the meeting (its number in the title, whoever acted not told)."""
    return notify_about(
        meeting, recipients, event=f"meeting.{event_name}", title=title, body=body, actor=actor, level=level
    )


def local_text(moment: datetime | None) -> str:
    """A moment as history and notices show it: local time to the minute."""
    return timezone.localtime(moment).strftime(DATETIME_FORMAT) if moment else "—"


def rows_of(value: Any, field: str, limit: int = MAX_ROWS) -> list:
    """The rows of a list input (none for ``None``); a 400 for anything else or too many."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ApplicationError(_("Expected a list."), field=field)
    if len(value) > limit:
        raise ApplicationError(_("At most %(n)d rows.") % {"n": limit}, field=field)
    return list(value)


def department_of(value: Any, field: str) -> Department:
    """An active department from its id, its code or itself."""
    pk = value.pk if isinstance(value, Department) else department_id(value, field=field)
    found = Department.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ApplicationError(_("Unknown department: %(value)s.") % {"value": value}, field=field)
    return found
