"""Action items (决议事项): what – who – by when – support, tracked until done (SPEC §4 [001]).

Tracked with the deadline engine: ``action_item.due`` reminds the owner 3 working days
before the deadline and escalates to the head, then the supervisor, once overdue;
``action_item.weekly_update`` asks for progress every week while an item longer than a
week runs. Every change is an append-only :class:`ActionItemUpdate`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records import Actor, bump, inputs, locked, plain
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.keys import RuleKey
from crossdesk.notify.models import Notification
from crossdesk.notify.services import notify
from crossdesk.org.models import Person
from crossdesk.org.selectors import roles_for
from crossdesk.workcal.lib import Unit
from crossdesk.workcal.selectors import get_calendar

from .. import permissions
from ..choices import ACTION_MACHINE, MEETING_MACHINE, ActionEventKind, ActionStatus, MeetingStatus
from ..models import ActionItem, ActionItemUpdate, Meeting
from ._common import (
    a_moment,
    acting,
    active_person,
    an_id,
    context,
    department_of,
    local_text,
    person_of,
    primary_department_id,
    rows_of,
    text,
)

WEEK = timedelta(days=7)
ITEM_FIELDS = ("action", "owner", "due_at", "support_needed", "support_department")


# --- notices ------------------------------------------------------------------


def _tell(item: ActionItem, recipients, *, event: str, title: str, body: str = "", actor, level=None) -> None:
    notify(
        recipients=recipients,
        exclude=[actor],
        event=f"action_item.{event}",
        title=title,
        body=body,
        url=item.get_absolute_url(),
        subject=item,
        level=level or Notification.Level.INFO,
    )


def _tell_owner(item: ActionItem, *, author, support: bool = False) -> None:
    """Tell the (new) owner the item is theirs, by when, and (``support``) the support needed."""
    body = _("Due %(due)s.") % {"due": local_text(item.due_at)}
    if support and item.support_needed:
        body += " " + _("Support needed: %(support)s") % {"support": item.support_needed}
    _tell(
        item,
        [item.owner_id],
        event="assigned",
        title=_("New action item for you: %(action)s") % {"action": item.action[:80]},
        body=body,
        actor=author,
        level=Notification.Level.ACTION,
    )


def _followers(item: ActionItem) -> list[int | None]:
    """Who follows the item up (跟进人) and hears of its progress: the follow-up person and the
    initiator of the meeting or request it came from [001: 反馈至发起方]."""
    people = [item.follow_up_person_id]
    if item.meeting is not None:
        people.append(item.meeting.initiator_id)
    if item.request is not None:
        people.append(item.request.initiator_id)
    return people


# --- input --------------------------------------------------------------------------------


# How each field of an action item is read (value, field name → what is stored).
ITEM_INPUTS: dict[str, Any] = {
    "action": lambda value, field: text(value, field, 500),
    "owner": lambda value, field: active_person(value, field, required=False),
    "due_at": a_moment,
    "support_needed": lambda value, field: text(value, field, 2000),
    "support_department": lambda value, field: None if value in (None, "") else department_of(value, field),
}


def clean_item_fields(row: dict, where: str) -> dict:
    """The fields of one action item as typed; owner and deadline may still be missing."""
    return {name: read(row.get(name), f"{where}.{name}") for name, read in ITEM_INPUTS.items() if name in row}


def _is_blank(fields: dict) -> bool:
    return not any(fields.get(name) for name in ITEM_FIELDS)


def _owner_department(owner: Person | None):
    return primary_department_id(owner) if owner is not None else None


# --- clocks -------------------------------------------------------------------------------


def _clock_label(item: ActionItem) -> str:
    return _("Action item: %(action)s") % {"action": item.action[:60]}


def _start_clocks(item: ActionItem, *, actor, now: datetime) -> None:
    deadlines.clock_start(
        subject=item,
        key=RuleKey.ACTION_ITEM_DUE,
        due_at=item.due_at,
        owner=item.owner,
        department=item.department,
        label=_clock_label(item),
        started_at=now,
        actor=actor,
    )
    _sync_weekly(item, actor=actor, now=now)


def _sync_weekly(item: ActionItem, *, actor, now: datetime) -> None:
    """Items running over a week get a weekly progress request until done [001]."""
    live = deadlines.clocks_live_for(subject=item, key=RuleKey.ACTION_ITEM_WEEKLY_UPDATE)
    if item.due_at is not None and item.due_at - now > WEEK and not live:
        deadlines.clock_start(
            subject=item,
            key=RuleKey.ACTION_ITEM_WEEKLY_UPDATE,
            owner=item.owner,
            department=item.department,
            label=_("Weekly progress: %(action)s") % {"action": item.action[:60]},
            started_at=now,
            actor=actor,
        )


def activate(item: ActionItem, *, author: Person | None, actor, now: datetime | None = None) -> None:
    """Start tracking an item: its clocks run and its owner is told (the support department too)."""
    now = now or timezone.now()
    if item.owner_id is None or item.due_at is None:
        raise ApplicationError(_("A tracked action item needs an owner and a deadline."), field="owner")
    if item.due_at <= now:
        raise ApplicationError(_("The deadline must be in the future."), field="due_at")
    item.activated_at = now
    if item.department_id is None:
        item.department_id = _owner_department(item.owner)
    item.save(update_fields=["activated_at", "department", "updated_at"])
    _start_clocks(item, actor=actor, now=now)
    ActionItemUpdate.add(
        item, ActionEventKind.ACTIVATED, author=author, data={"due_at": local_text(item.due_at)}
    )
    _tell_owner(item, author=author, support=True)
    support = item.support_department
    if support is not None:
        _tell(
            item,
            [support.default_liaison_id or support.head_id],
            event="support",
            title=_("%(dept)s is asked to support: %(action)s")
            % {"dept": support.name, "action": item.action[:80]},
            body=item.support_needed,
            actor=author,
        )


def _stop_clocks(item: ActionItem, *, met: bool, actor) -> None:
    deadlines.clocks_stop_for(subject=item, met=met, actor=actor)


# --- items written with the minutes -------------------------------------------------------


def _new_item(meeting: Meeting, fields: dict, *, position: int, author: Person) -> ActionItem:
    owner = fields.get("owner")
    item = ActionItem.objects.create(
        meeting=meeting,
        position=position,
        action=fields.get("action", ""),
        owner=owner,
        department_id=_owner_department(owner),
        due_at=fields.get("due_at"),
        support_needed=fields.get("support_needed", ""),
        support_department=fields.get("support_department"),
        follow_up_person_id=meeting.initiator_id,
        created_by=author,
    )
    ActionItemUpdate.add(item, ActionEventKind.CREATED, author=author, content=item.action)
    return item


def _edit_item(item: ActionItem, fields: dict, *, position: int, author: Person, actor) -> None:
    changes = {}
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            changes[name] = (old, value)
    if changes and item.status == ActionStatus.DONE:
        raise ApplicationError(
            _("“%(action)s” is done and can no longer be changed.") % {"action": item.action[:60]},
            field="action_items",
        )
    item.position = position
    for name, (_old, value) in changes.items():
        setattr(item, name, value)
    if "owner" in changes:
        item.department_id = _owner_department(item.owner)
    item.save()
    if not changes or item.activated_at is None:
        return
    now = timezone.now()
    if item.owner_id is None or item.due_at is None:
        raise ApplicationError(
            _("A tracked action item needs an owner and a deadline."), field="action_items"
        )
    reason = _("Changed in the revised minutes.")
    if "owner" in changes:
        # A new owner: the old one's clocks stop, the new one's start from now.
        if item.due_at <= now:
            raise ApplicationError(_("The deadline must be in the future."), field="action_items")
        _stop_clocks(item, met=False, actor=actor)
        _start_clocks(item, actor=actor, now=now)
        _tell_owner(item, author=author)
    elif "due_at" in changes:
        _change_due(item, item.due_at, reason=reason, actor=actor, now=now)
    ActionItemUpdate.add(
        item,
        ActionEventKind.EDITED,
        author=author,
        content=reason,
        data={name: [plain(old), plain(new)] for name, (old, new) in changes.items()},
    )


def _change_due(item: ActionItem, due_at: datetime, *, reason: str, actor, now: datetime) -> None:
    if due_at <= now:
        raise ApplicationError(_("The deadline must be in the future."), field="due_at")
    for clock in deadlines.clocks_live_for(subject=item, key=RuleKey.ACTION_ITEM_DUE):
        deadlines.clock_change_due(clock=clock, due_at=due_at, actor=actor, reason=reason)
    _sync_weekly(item, actor=actor, now=now)


def _cancel(item: ActionItem, *, author: Person | None, actor: Actor, reason: str) -> None:
    ACTION_MACHINE.move(
        item, ActionStatus.CANCELLED, author=author, reason=reason, kind=ActionEventKind.CANCELLED
    )
    bump(item, "status")
    _stop_clocks(item, met=False, actor=actor)
    _tell(
        item,
        [item.owner_id],
        event="cancelled",
        title=_("Action item cancelled: %(action)s") % {"action": item.action[:80]},
        body=reason,
        actor=author,
    )


def sync_minutes_items(meeting: Meeting, rows, *, author: Person, actor: Actor) -> None:
    """Make the meeting's action items what the minutes list: edit the ones named by ``id``,
    add new ones, drop the missing ones (cancel them if already tracked)."""
    rows = rows_of(rows, "action_items")
    existing = {
        item.pk: item
        for item in ActionItem.objects.select_for_update()
        .filter(meeting=meeting)
        .exclude(status=ActionStatus.CANCELLED)
    }
    kept: set[int] = set()
    position = 0
    for n, row in enumerate(rows):
        where = f"action_items[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each action item says what, who and by when."), field=where)
        fields = clean_item_fields({name: row[name] for name in ITEM_FIELDS if name in row}, where)
        pk = an_id(row.get("id"), f"{where}.id", _("This action item is not in these minutes."))
        if pk is not None:
            item = existing.get(pk)
            if item is None or pk in kept:
                raise ApplicationError(_("This action item is not in these minutes."), field=f"{where}.id")
            kept.add(pk)
            position += 1
            _edit_item(item, fields, position=position, author=author, actor=actor)
        elif not _is_blank(fields):
            position += 1
            _new_item(meeting, fields, position=position, author=author)
    for pk, item in existing.items():
        if pk in kept:
            continue
        if item.activated_at is None:
            item.delete()
        elif item.status == ActionStatus.DONE:
            raise ApplicationError(
                _("“%(action)s” is done and cannot be removed from the minutes.")
                % {"action": item.action[:60]},
                field="action_items",
            )
        else:
            _cancel(item, author=author, actor=actor, reason=_("Removed from the revised minutes."))


@transaction.atomic
def action_item_create(
    *, actor: Actor, meeting_id: int, data: dict, minutes_version: int | None = None
) -> ActionItem:
    """Add an action item to the minutes being written (the recorder); tracked from circulation."""
    meeting, roles = context(actor, meeting_id, minutes_version=minutes_version)
    permissions.require(roles, meeting, "write_minutes")
    inputs.known(data, ITEM_FIELDS)
    fields = clean_item_fields(data, "action_item")
    if not fields.get("action"):
        raise ApplicationError(_("Say what is to be done."), field="action")
    position = ActionItem.objects.filter(meeting=meeting).count() + 1
    item = _new_item(meeting, fields, position=position, author=acting(roles))
    meeting.minutes_version += 1
    meeting.minutes_updated_at = timezone.now()
    fields_saved = ["minutes_version", "minutes_updated_at", "updated_at"]
    if meeting.status == MeetingStatus.HELD:
        MEETING_MACHINE.move(meeting, MeetingStatus.MINUTES_DRAFTING, author=roles.person)
        fields_saved.append("status")
    meeting.save(update_fields=fields_saved)
    return item


# --- items raised on a collaboration request ----------------------------------------------


def request_item_fields(
    *, action: str, owner_id: Any, due_at: Any, support_needed: str = "", support_department: Any = None
) -> dict[str, Any]:
    """The fields of an action item raised on a collaboration request, all required but support."""
    given = (action, owner_id, due_at, support_needed, support_department)
    fields = clean_item_fields(dict(zip(ITEM_FIELDS, given, strict=True)), "action_item")
    if not fields["action"]:
        raise ApplicationError(_("Say what is to be done."), field="action")
    if fields["owner"] is None:
        raise ApplicationError(_("Name the one person responsible."), field="owner")
    if fields["due_at"] is None:
        raise ApplicationError(_("Give the deadline."), field="due_at")
    return fields


def request_item_summary(fields: dict[str, Any]) -> str:
    """The line the request's log records for a new action item."""
    return _("Action item: %(action)s — owner %(owner)s, due %(due)s.") % {
        "action": fields["action"],
        "owner": fields["owner"].name,
        "due": local_text(fields["due_at"]),
    }


@transaction.atomic
def action_item_create_for_request(*, actor: Actor, request_id: int, fields: dict[str, Any]) -> ActionItem:
    """A tracked action item on a collaboration request, from :func:`request_item_fields`.
    Whether the actor may raise one is the request's rule: ``meetings.flows`` asks first."""
    person = person_of(actor)
    item = ActionItem.objects.create(
        request_id=request_id,
        action=fields["action"],
        owner=fields["owner"],
        department_id=_owner_department(fields["owner"]),
        due_at=fields["due_at"],
        support_needed=fields["support_needed"],
        support_department=fields["support_department"],
        follow_up_person=person,
        created_by=person,
    )
    ActionItemUpdate.add(item, ActionEventKind.CREATED, author=person, content=item.action)
    activate(item, author=person, actor=actor)
    return item


# --- the owner reports --------------------------------------------------------------------


def _lock_item(item_id: int, version: int | None = None) -> ActionItem:
    return locked(
        ActionItem,
        item_id,
        version,
        related=["meeting", "request", "owner", "department"],
        not_found=_("No such action item."),
        stale_message=_(
            "Someone else changed this action item since you opened it. Reload to see their change."
        ),
    )


@transaction.atomic
def action_item_update_status(
    *,
    actor: Actor,
    item_id: int,
    status: str,
    note: str = "",
    reason: str = "",
    new_due_at=None,
    version: int | None = None,
) -> ActionItem:
    """The owner reports progress: in progress, or delayed with the reason (and, if agreed,
    a new deadline). Done is reported with :func:`action_item_complete`."""
    item = _lock_item(item_id, version)
    roles = roles_for(actor)
    permissions.require_item(roles, item, "update_status")
    if status not in (ActionStatus.IN_PROGRESS, ActionStatus.DELAYED):
        raise ApplicationError(
            _("Report in progress or delayed here; report completion when it is done."), field="status"
        )
    ACTION_MACHINE.check(item.status, status)
    note = text(note, "note", 5000)
    reason = text(reason, "reason", 5000)
    if status == ActionStatus.DELAYED and not reason:
        raise ApplicationError(_("Give the reason for the delay."), field="reason")
    new_due = a_moment(new_due_at, "new_due_at")
    if new_due is not None and status != ActionStatus.DELAYED:
        raise ApplicationError(_("A new deadline comes with a delay and its reason."), field="new_due_at")
    now = timezone.now()
    old_due = item.due_at
    if note:
        item.progress_note = note
    if status == ActionStatus.DELAYED:
        item.delay_reason = reason
        for clock in deadlines.clocks_live_for(subject=item, key=RuleKey.ACTION_ITEM_DUE):
            if clock.state == "breached":
                deadlines.clock_record_delay_reason(clock=clock, actor=actor, reason=reason)
    if new_due is not None:
        item.due_at = new_due
        _change_due(item, new_due, reason=reason, actor=actor, now=now)
        ActionItemUpdate.add(
            item,
            ActionEventKind.DUE_CHANGED,
            author=roles.person,
            content=reason,
            data={"old_due": local_text(old_due), "new_due": local_text(new_due)},
        )
    ACTION_MACHINE.move(
        item, status, author=roles.person, reason=note, data={"reason": reason} if reason else {}
    )
    bump(item, "status", "progress_note", "delay_reason", "due_at")
    delayed = status == ActionStatus.DELAYED
    _tell(
        item,
        _followers(item),
        event="delayed" if delayed else "progress",
        title=(_("Action item delayed: %(action)s") if delayed else _("Progress on: %(action)s"))
        % {"action": item.action[:80]},
        body=reason if delayed else note,
        actor=roles.person,
        level=Notification.Level.WARNING if delayed else Notification.Level.INFO,
    )
    return item


@transaction.atomic
def action_item_complete(
    *, actor: Actor, item_id: int, result: str, completed_at=None, version: int | None = None
) -> ActionItem:
    """The owner reports completion with the result [001: within 1 working day of finishing].
    Marking done is the report; one made later than the rule allows is recorded as late."""
    item = _lock_item(item_id, version)
    roles = roles_for(actor)
    permissions.require_item(roles, item, "complete")
    result = text(result, "result", 5000)
    if not result:
        raise ApplicationError(_("Say what was done (the execution feedback)."), field="result")
    now = timezone.now()
    completed = a_moment(completed_at, "completed_at") or now
    if completed > now + timedelta(minutes=5):
        raise ApplicationError(_("The completion time cannot be in the future."), field="completed_at")
    rule = deadlines.policy_get(RuleKey.ACTION_ITEM_REPORT)
    unit = cast(Unit, rule.target_unit)
    late = get_calendar().add(completed, float(rule.target_amount or 1), unit) < now
    item.result = result
    item.completed_at, item.reported_at, item.reported_late = completed, now, late
    ACTION_MACHINE.move(
        item,
        ActionStatus.DONE,
        author=roles.person,
        reason=result,
        kind=ActionEventKind.COMPLETED,
        data={"completed_at": local_text(completed), "reported_late": late},
    )
    bump(item, "status", "result", "completed_at", "reported_at", "reported_late")
    _stop_clocks(item, met=True, actor=actor)
    _tell(
        item,
        _followers(item),
        event="done",
        title=_("Action item done: %(action)s") % {"action": item.action[:80]},
        body=result[:500],
        actor=roles.person,
    )
    return item


@transaction.atomic
def action_item_cancel(*, actor: Actor, item_id: int, reason: str) -> ActionItem:
    """The follow-up side (initiator, recorder, follow-up person) drops an item no longer needed."""
    item = _lock_item(item_id)
    roles = roles_for(actor)
    permissions.require_item(roles, item, "cancel")
    reason = text(reason, "reason", 2000)
    if not reason:
        raise ApplicationError(_("Say why the action item is cancelled."), field="reason")
    _cancel(item, author=roles.person, actor=actor, reason=reason)
    return item
