"""Who may do what on a meeting, its minutes and its action items (SPEC §4): two rule
tables, one per record type (core.records.RuleTable).

Services call ``require(...)`` before writing; pages and the API call ``meeting_actions``
/ ``part_actions`` / ``item_actions`` to show only what a person may do now. Both read the
same rules: 403 for the wrong person, 409 for the wrong moment. Who may *see* a meeting is
written once, in ``selectors.visible_meetings``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.records import Actor, Rule, RuleTable
from crossdesk.core.records.actors import is_system
from crossdesk.org.selectors import Roles

from .choices import (
    CIRCULABLE,
    MINUTES_EDITABLE,
    OPEN_ACTION_STATUSES,
    RESPONDABLE,
    MeetingStatus,
)
from .models import ActionItem, Meeting, MeetingDepartment

ATTACHABLE = (MeetingStatus.DRAFT, *MINUTES_EDITABLE)


@dataclass
class Context:
    """What a check reads: the person's roles, the record (a meeting or an action item), the
    participating department acted for, the departments that answered the current version,
    and whether the system acts (scheduled work, e.g. the communication plan)."""

    roles: Roles
    record: Any
    part: MeetingDepartment | None = None
    answered: Collection[int] = ()
    now: datetime | None = None
    system: bool = False

    @property
    def person_id(self) -> int | None:
        return self.roles.person.pk if self.roles.person is not None else None


def is_initiator(roles: Roles, meeting: Meeting) -> bool:
    return roles.person is not None and meeting.initiator_id == roles.person.pk


def is_recorder(roles: Roles, meeting: Meeting) -> bool:
    return roles.person is not None and meeting.recorder_id == roles.person.pk


def represents(roles: Roles, participation: MeetingDepartment) -> bool:
    """The department's representative answers for it; its head (or the head of a department
    above it) may stand in. Signing stays with the department's own head (SPEC §4)."""
    if roles.person is None:
        return False
    return (
        participation.representative_id == roles.person.pk or participation.department_id in roles.heads_over
    )


def _initiator(c: Context) -> bool:
    return is_initiator(c.roles, c.record)


def _recorder(c: Context) -> bool:
    return is_recorder(c.roles, c.record)


def _system(c: Context) -> bool:
    return c.system


def _initiator_or_system(c: Context) -> bool:
    """The initiator, or the system doing a scheduled step of a meeting it called on the
    initiator's behalf (the communication plan's meetings [002][003]). Only code acts as the
    system, never a login, so no person gains a right here."""
    return c.system or _initiator(c)


def _initiator_or_recorder(c: Context) -> bool:
    return _initiator(c) or _recorder(c)


def _representative(c: Context) -> bool:
    return c.part is not None and represents(c.roles, c.part)


def _head(c: Context) -> bool:
    return c.part is not None and c.part.department_id in c.roles.head_of


def _started(c: Context) -> bool:
    meeting = c.record
    if meeting.status != MeetingStatus.NOTIFIED:
        return True
    return meeting.starts_at is not None and (c.now or timezone.now()) >= meeting.starts_at


ONLY_INITIATOR = gettext_lazy("Only the initiator of the meeting can do this.")
ONLY_RECORDER = gettext_lazy("Only the recorder of the meeting can do this.")
INITIATOR_OR_RECORDER = gettext_lazy("Only the initiator or the recorder can do this.")


def _meeting_moment(c: Context, rule: Rule) -> str:
    if not rule.when(c):
        return str(rule.wrong_moment) % {"dept": c.part.department.name if c.part else ""}
    return _("This meeting is “%(status)s”: you cannot %(action)s it now.") % {
        "status": c.record.get_status_display(),
        "action": rule.label,
    }


D, N = MeetingStatus.DRAFT, MeetingStatus.NOTIFIED
_BY_STATUS = [
    # action, who, in which statuses, label (what "you cannot … it now" says), refusal of the wrong person
    ("edit", _initiator, [D], gettext_lazy("edit"), ONLY_INITIATOR),
    ("send_notice", _initiator_or_system, [D], gettext_lazy("send the notice for"), ONLY_INITIATOR),
    ("reschedule", _initiator_or_system, [N], gettext_lazy("reschedule"), ONLY_INITIATOR),
    ("cancel", _initiator_or_system, [D, N], gettext_lazy("cancel"), ONLY_INITIATOR),
    # A draft whose initiator is someone else than the one acting: scheduled work only.
    (
        "call_for",
        _system,
        [D],
        gettext_lazy("call"),
        gettext_lazy("You can call a meeting only as yourself."),
    ),
    ("write_minutes", _recorder, MINUTES_EDITABLE, gettext_lazy("write the minutes of"), ONLY_RECORDER),
    ("circulate", _recorder, CIRCULABLE, gettext_lazy("circulate the minutes of"), ONLY_RECORDER),
    ("revise", _recorder, [MeetingStatus.OBJECTED], gettext_lazy("revise the minutes of"), ONLY_RECORDER),
    ("attach", _initiator_or_recorder, ATTACHABLE, gettext_lazy("add materials to"), INITIATOR_OR_RECORDER),
]
MEETING_RULES = RuleTable(
    [
        *(Rule(a, who, st, label=label, wrong_person=person) for a, who, st, label, person in _BY_STATUS),
        Rule(
            "mark_held",
            _initiator_or_recorder,
            [N],
            when=_started,
            label=gettext_lazy("mark as held"),
            wrong_person=INITIATOR_OR_RECORDER,
            wrong_moment=gettext_lazy("The meeting has not started yet: mark it held once it has begun."),
        ),
        Rule(
            "archive",
            lambda c: _initiator(c) or c.roles.is_admin,
            [MeetingStatus.SIGNED, MeetingStatus.CANCELLED],
            label=gettext_lazy("archive"),
            wrong_person=gettext_lazy("Only the initiator or an administrator can archive a meeting."),
        ),
        # For one participating department (``Context.part``).
        *(
            Rule(
                action,
                _representative,
                RESPONDABLE,
                when=lambda c: c.part is not None and c.part.pk not in c.answered,
                label=label,
                wrong_person=gettext_lazy("Only the representative of this department can answer for it."),
                wrong_moment=gettext_lazy("%(dept)s has already answered this version of the minutes."),
            )
            for action, label in [
                ("confirm", gettext_lazy("confirm the minutes of")),
                ("object", gettext_lazy("object to the minutes of")),
            ]
        ),
        Rule(
            "sign",
            _head,
            [MeetingStatus.CONFIRMED],
            when=lambda c: c.part is not None and c.part.head_signed_at is None,
            label=gettext_lazy("sign"),
            wrong_person=gettext_lazy("Only the head of this department can sign for it."),
            wrong_moment=gettext_lazy("%(dept)s has already signed these minutes."),
        ),
    ],
    moment_message=_meeting_moment,
)
PART_ACTIONS = ("confirm", "object", "sign")
MEETING_ACTIONS = tuple(a for a in MEETING_RULES.rules if a not in (*PART_ACTIONS, "call_for"))


def _may_cancel_item(c: Context) -> bool:
    item = c.record
    managers = {item.follow_up_person_id, item.created_by_id}
    if item.meeting_id:
        managers |= {item.meeting.initiator_id, item.meeting.recorder_id}
    if item.request_id:
        managers.add(item.request.initiator_id)
    return c.person_id is not None and c.person_id in managers


def _item_moment(c: Context, rule: Rule) -> str:
    if not rule.when(c):
        return str(rule.wrong_moment)
    if rule.action == "cancel":
        message = _("This action item is “%(status)s” and can no longer be cancelled.")
    else:
        message = _("This action item is “%(status)s”: you cannot %(action)s it now.")
    return message % {"status": c.record.get_status_display(), "action": rule.label}


def _owner(c: Context) -> bool:
    return c.person_id is not None and c.record.owner_id == c.person_id


def _tracked(c: Context) -> bool:
    return c.record.activated_at is not None


def _cancellable(c: Context) -> bool:
    item = c.record
    return not (item.meeting_id and item.activated_at is None and item.meeting.status in MINUTES_EDITABLE)


ITEM_RULES = RuleTable(
    [
        *(
            Rule(
                action,
                _owner,
                OPEN_ACTION_STATUSES,
                when=_tracked,
                label=label,
                wrong_person=gettext_lazy("Only the owner of the action item can do this."),
                wrong_moment=gettext_lazy("This action item is tracked once the minutes are circulated."),
            )
            for action, label in [
                ("update_status", gettext_lazy("update")),
                ("complete", gettext_lazy("report completion of")),
            ]
        ),
        # Not a button of its own: the follow-up side cancels from the minutes or the API.
        Rule(
            "cancel",
            _may_cancel_item,
            OPEN_ACTION_STATUSES,
            when=_cancellable,
            wrong_person=gettext_lazy(
                "Only the initiator, the recorder or the follow-up person can cancel it."
            ),
            wrong_moment=gettext_lazy("Remove it from the minutes instead: it is not tracked yet."),
        ),
    ],
    moment_message=_item_moment,
)
ITEM_ACTIONS = ("update_status", "complete")


def meeting_actions(roles: Roles, meeting: Meeting, *, now: datetime | None = None) -> set[str]:
    """The meeting-level actions ``roles`` may take now."""
    return MEETING_RULES.allowed(Context(roles, meeting, now=now), MEETING_ACTIONS)


def part_actions(
    roles: Roles, meeting: Meeting, participation: MeetingDepartment, answered: Collection[int] = ()
) -> set[str]:
    """What ``roles`` may do now for one participating department. ``answered`` holds the
    participations that already answered the current circulated version."""
    return MEETING_RULES.allowed(Context(roles, meeting, participation, answered), PART_ACTIONS)


def item_actions(roles: Roles, item: ActionItem) -> set[str]:
    """What ``roles`` may do now on an action item: its owner reports on it while it is tracked."""
    return ITEM_RULES.allowed(Context(roles, item), ITEM_ACTIONS)


def has_role(roles: Roles, meeting: Meeting, participation: MeetingDepartment | None, action: str) -> bool:
    """Whether the person holds the role the action needs, whatever the current state."""
    return bool(MEETING_RULES.rule(action).who(Context(roles, meeting, participation)))


def require(
    roles: Roles,
    meeting: Meeting,
    action: str,
    participation: MeetingDepartment | None = None,
    *,
    answered: Collection[int] = (),
    actor: Actor = None,
) -> None:
    """Refuse the action unless allowed now: 403 for the wrong person, 409 for the wrong moment.
    ``actor`` tells whether the system acts (its ``roles`` hold no person)."""
    MEETING_RULES.require(Context(roles, meeting, participation, answered, system=is_system(actor)), action)


def require_item(roles: Roles, item: ActionItem, action: str) -> None:
    """403 / 409 unless the person may take ``action`` on the item now."""
    ITEM_RULES.require(Context(roles, item), action)
