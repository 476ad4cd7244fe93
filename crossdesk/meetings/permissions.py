"""Who may do what on a meeting, its minutes and its action items (SPEC §4), in one place.

Services call ``require(...)`` before writing; pages and the API call ``meeting_actions``
/ ``part_actions`` / ``item_actions`` to show only what a person may do now. Both read the
same rules: 403 for the wrong person, 409 for the wrong moment.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import PermissionDeniedError, TransitionError
from crossdesk.org.selectors import Roles

from .choices import CIRCULABLE, MINUTES_EDITABLE, RESPONDABLE, ActionStatus, MeetingStatus
from .models import ActionItem, Meeting, MeetingDepartment

MEETING_ACTIONS = (
    "edit",
    "send_notice",
    "reschedule",
    "cancel",
    "mark_held",
    "write_minutes",
    "circulate",
    "revise",
    "attach",
    "archive",
)
PART_ACTIONS = ("confirm", "object", "sign")
ITEM_ACTIONS = ("update_status", "complete")

ATTACHABLE = (MeetingStatus.DRAFT, *MINUTES_EDITABLE)


def is_initiator(roles: Roles, meeting: Meeting) -> bool:
    return roles.person is not None and meeting.initiator_id == roles.person.pk


def is_recorder(roles: Roles, meeting: Meeting) -> bool:
    return roles.person is not None and meeting.recorder_id == roles.person.pk


def represents(roles: Roles, participation: MeetingDepartment) -> bool:
    """The department's representative answers for it; its head may stand in."""
    if roles.person is None:
        return False
    return participation.representative_id == roles.person.pk or participation.department_id in roles.head_of


def meeting_actions(roles: Roles, meeting: Meeting, *, now: datetime | None = None) -> set[str]:
    """The meeting-level actions ``roles`` may take now."""
    status = meeting.status
    actions: set[str] = set()
    initiator, recorder = is_initiator(roles, meeting), is_recorder(roles, meeting)
    if status == MeetingStatus.DRAFT and initiator:
        actions |= {"edit", "send_notice", "cancel"}
    if status == MeetingStatus.NOTIFIED:
        if initiator:
            actions |= {"reschedule", "cancel"}
        started = meeting.starts_at is not None and (now or timezone.now()) >= meeting.starts_at
        if (initiator or recorder) and started:
            actions.add("mark_held")
    if recorder and status in MINUTES_EDITABLE:
        actions.add("write_minutes")
    if recorder and status in CIRCULABLE:
        actions.add("circulate")
    if recorder and status == MeetingStatus.OBJECTED:
        actions.add("revise")
    if (initiator or recorder) and status in ATTACHABLE:
        actions.add("attach")
    if status in (MeetingStatus.SIGNED, MeetingStatus.CANCELLED) and (initiator or roles.is_admin):
        actions.add("archive")
    return actions


def part_actions(
    roles: Roles, meeting: Meeting, participation: MeetingDepartment, answered: Collection[int] = ()
) -> set[str]:
    """What ``roles`` may do now for one participating department. ``answered`` holds the
    participations that already answered the current circulated version."""
    actions: set[str] = set()
    if (
        meeting.status in RESPONDABLE
        and participation.pk not in answered
        and represents(roles, participation)
    ):
        actions |= {"confirm", "object"}
    if (
        meeting.status == MeetingStatus.CONFIRMED
        and participation.department_id in roles.head_of
        and participation.head_signed_at is None
    ):
        actions.add("sign")
    return actions


def item_actions(roles: Roles, item: ActionItem) -> set[str]:
    """What ``roles`` may do now on an action item: its owner reports on it while it is tracked."""
    if roles.person is None or item.owner_id != roles.person.pk or item.activated_at is None:
        return set()
    if item.status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        return set()
    return {"update_status", "complete"}


ACTION_LABELS = {
    "edit": gettext_lazy("edit"),
    "send_notice": gettext_lazy("send the notice for"),
    "reschedule": gettext_lazy("reschedule"),
    "cancel": gettext_lazy("cancel"),
    "mark_held": gettext_lazy("mark as held"),
    "write_minutes": gettext_lazy("write the minutes of"),
    "circulate": gettext_lazy("circulate the minutes of"),
    "revise": gettext_lazy("revise the minutes of"),
    "attach": gettext_lazy("add materials to"),
    "archive": gettext_lazy("archive"),
    "confirm": gettext_lazy("confirm the minutes of"),
    "object": gettext_lazy("object to the minutes of"),
    "sign": gettext_lazy("sign"),
    "update_status": gettext_lazy("update"),
    "complete": gettext_lazy("report completion of"),
}

ONLY_INITIATOR = gettext_lazy("Only the initiator of the meeting can do this.")
ONLY_RECORDER = gettext_lazy("Only the recorder of the meeting can do this.")
WHO_MAY = {
    "edit": ONLY_INITIATOR,
    "send_notice": ONLY_INITIATOR,
    "reschedule": ONLY_INITIATOR,
    "cancel": ONLY_INITIATOR,
    "mark_held": gettext_lazy("Only the initiator or the recorder can do this."),
    "attach": gettext_lazy("Only the initiator or the recorder can do this."),
    "write_minutes": ONLY_RECORDER,
    "circulate": ONLY_RECORDER,
    "revise": ONLY_RECORDER,
    "archive": gettext_lazy("Only the initiator or an administrator can archive a meeting."),
    "confirm": gettext_lazy("Only the representative of this department can answer for it."),
    "object": gettext_lazy("Only the representative of this department can answer for it."),
    "sign": gettext_lazy("Only the head of this department can sign for it."),
    "update_status": gettext_lazy("Only the owner of the action item can do this."),
    "complete": gettext_lazy("Only the owner of the action item can do this."),
}


def has_role(
    roles: Roles, meeting: Meeting | None, participation: MeetingDepartment | None, action: str, item=None
) -> bool:
    """Whether the person holds the role the action needs, whatever the current state."""
    if action in ITEM_ACTIONS:
        return roles.person is not None and item is not None and item.owner_id == roles.person.pk
    assert meeting is not None
    if action in {"edit", "send_notice", "reschedule", "cancel"}:
        return is_initiator(roles, meeting)
    if action in {"mark_held", "attach"}:
        return is_initiator(roles, meeting) or is_recorder(roles, meeting)
    if action in {"write_minutes", "circulate", "revise"}:
        return is_recorder(roles, meeting)
    if action == "archive":
        return is_initiator(roles, meeting) or roles.is_admin
    if participation is None:
        return False
    if action == "sign":
        return participation.department_id in roles.head_of
    return represents(roles, participation)


def require(
    roles: Roles,
    meeting: Meeting,
    action: str,
    participation: MeetingDepartment | None = None,
    *,
    answered: Collection[int] = (),
) -> None:
    """Refuse the action unless allowed now: 403 for the wrong person, 409 for the wrong moment."""
    if participation is not None:
        allowed = part_actions(roles, meeting, participation, answered)
    else:
        allowed = meeting_actions(roles, meeting)
    if action in allowed:
        return
    label = ACTION_LABELS.get(action, action)
    if not has_role(roles, meeting, participation, action):
        raise PermissionDeniedError(str(WHO_MAY.get(action, ONLY_INITIATOR)))
    if action == "mark_held" and meeting.status == MeetingStatus.NOTIFIED:
        raise TransitionError(_("The meeting has not started yet: mark it held once it has begun."))
    if participation is not None and action in {"confirm", "object"} and participation.pk in answered:
        raise TransitionError(
            _("%(dept)s has already answered this version of the minutes.")
            % {"dept": participation.department.name}
        )
    if participation is not None and action == "sign" and participation.head_signed_at:
        raise TransitionError(
            _("%(dept)s has already signed these minutes.") % {"dept": participation.department.name}
        )
    raise TransitionError(
        _("This meeting is “%(status)s”: you cannot %(action)s it now.")
        % {"status": meeting.get_status_display(), "action": label}
    )


def require_item(roles: Roles, item: ActionItem, action: str) -> None:
    """The owner reports on a tracked, unfinished action item; 403 / 409 otherwise."""
    if action in item_actions(roles, item):
        return
    if not has_role(roles, None, None, action, item=item):
        raise PermissionDeniedError(str(WHO_MAY[action]))
    if item.activated_at is None:
        raise TransitionError(_("This action item is tracked once the minutes are circulated."))
    raise TransitionError(
        _("This action item is “%(status)s”: you cannot %(action)s it now.")
        % {"status": item.get_status_display(), "action": ACTION_LABELS[action]}
    )
