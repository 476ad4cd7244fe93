"""Starting, pausing, stopping and sweeping deadline clocks.

Every time rule of SPEC is a :class:`TimePolicy`; code that needs a deadline calls
``clock_start(subject=…, key=RuleKey.REQUEST_RESPOND, variant=urgency, …)`` and stops it when
the rule is met. The sweep (every minute, see ``crossdesk/schedule.py``) warns, marks
breaches, escalates and sends follow-ups. Each of those is an event with a unique
``dedupe_key`` written with its notifications in one transaction, so a repeated sweep,
a restart or two schedulers never send the same reminder twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from crossdesk.audit.services import audited_bulk_create
from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.core.records import SYSTEM, Actor, Machine, locked, plain
from crossdesk.core.records.actors import is_system
from crossdesk.notify.models import Notification
from crossdesk.notify.services import notifications_batched, notify
from crossdesk.org.models import Department, Person
from crossdesk.workcal.lib import Unit as CalendarUnit
from crossdesk.workcal.lib import WorkCalendar
from crossdesk.workcal.selectors import get_calendar

from .choices import LIVE_STATES, TRANSITIONS, Action, ClockState, EventKind, PolicyKind, Unit
from .defaults import DEFAULT_POLICIES
from .models import Clock, ClockEvent, TimePolicy

logger = logging.getLogger(__name__)

# Sent once per change or sweep batch with every clock event of it (events=[(clock, kind), …])
# and who acted (``actor``: the sweep is a system actor), inside its transaction: subject
# apps react, many subjects at once.
deadline_events = Signal()

# Who the sweep acts as when what it sets off writes history in another app.
SWEEP_ACTOR = SYSTEM.for_reason(_lazy("Deadline reminders"))

# The clock's state machine; a clock's history is its events (written by the services).
CLOCK_MACHINE = Machine(
    TRANSITIONS,
    ClockState,
    refusal=_lazy("A deadline that is %(old)s cannot become %(new)s."),
    status_field="state",
)


def _announce(events: list[tuple[Clock, str]], actor: Actor = None) -> None:
    if events:
        deadline_events.send(sender=Clock, events=events, actor=actor)


SWEEP_BATCH = 500


# --- policies ---------------------------------------------------------------------------


def policies_ensure_defaults() -> int:
    """Create SPEC's default rules that are missing; never touch one an admin changed."""
    existing = set(TimePolicy.objects.values_list("key", "variant"))
    missing = []
    # The names are stored (an administrator may rename a rule), so they are written in the
    # company's language: ``migrate`` runs post_migrate with translations deactivated.
    with translation.override(settings.LANGUAGE_CODE):
        for spec in DEFAULT_POLICIES:
            if (spec["key"], spec["variant"]) in existing:
                continue
            fields = {k: v for k, v in spec.items() if k != "name"}
            missing.append(TimePolicy(name=str(spec["name"]), **fields))
    audited_bulk_create(TimePolicy.objects, missing)  # after migrate, one process: no conflict to ignore
    return len(missing)


def policy_get(key: str, variant: str = "") -> TimePolicy:
    """The rule for ``key`` and ``variant``, falling back to the rule without a variant."""
    policies = {(p.key, p.variant): p for p in TimePolicy.objects.filter(key=key, variant__in={variant, ""})}
    return _pick(policies, key, variant)


def _pick(policies: dict[tuple[str, str], TimePolicy], key: str, variant: str) -> TimePolicy:
    """The rule of ``variant``, else the rule without a variant, else a clear refusal."""
    policy = policies.get((key, variant)) or policies.get((key, ""))
    if policy is None:
        raise ApplicationError(_("No time rule is configured for %(key)s.") % {"key": key})
    return policy


POLICY_EDITABLE_FIELDS = {
    "name",
    "target_amount",
    "target_unit",
    "warn_fraction",
    "remind_before_amount",
    "remind_before_unit",
    "escalation",
    "is_active",
}


def policy_update(*, actor: Actor, policy: TimePolicy, **changes) -> TimePolicy:
    """An administrator changes a rule; running clocks under it are recomputed and note it."""
    if not (actor.is_staff or actor.is_superuser):
        raise PermissionDeniedError(_("Only an administrator can change time rules."))
    unknown = set(changes) - POLICY_EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    policy_validate_changes(policy, changes)
    with transaction.atomic():
        row = locked(TimePolicy, policy.pk)
        for name, value in changes.items():
            setattr(row, name, value)
        row.version += 1
        row.full_clean()
        row.save()
        clocks_recompute(
            reason=_("The rule “%(name)s” was changed by %(who)s.")
            % {"name": row.name, "who": getattr(actor, "display_name", actor)},
            policy=row,
            actor=actor,
        )
    return row


def policy_validate_changes(policy: TimePolicy, changes: dict) -> None:
    amount = changes.get("target_amount", policy.target_amount)
    if amount is not None and Decimal(str(amount)) <= 0:
        raise ApplicationError(_("The allowed time must be more than zero."), field="target_amount")
    unit = changes.get("target_unit", policy.target_unit)
    if unit not in Unit.values:
        raise ApplicationError(_("Unknown unit %(unit)s.") % {"unit": unit}, field="target_unit")
    for step in changes.get("escalation", policy.escalation) or []:
        if not isinstance(step, dict) or step.get("to") not in {"owner", "head", "supervisor"}:
            raise ApplicationError(
                _("Each escalation step needs “to”: owner, head or supervisor."), field="escalation"
            )
        if step.get("unit", Unit.WORKING_HOURS) not in Unit.values or float(step.get("after", 0)) < 0:
            raise ApplicationError(_("An escalation step has a bad delay or unit."), field="escalation")


# --- computing moments ------------------------------------------------------------------


def _unit(name: str) -> CalendarUnit:
    """A policy's unit (a ``Unit`` choice) as the calendar names it."""
    return cast(CalendarUnit, name)


def _unit_seconds_between(calendar: WorkCalendar, unit: str, a: datetime, b: datetime) -> float:
    if unit == Unit.CLOCK_HOURS:
        return (b - a).total_seconds()
    return calendar.working_seconds_between(a, b)


def _shift(calendar: WorkCalendar, unit: str, at: datetime, seconds: float) -> datetime:
    if not seconds:
        return at
    if unit == Unit.CLOCK_HOURS:
        return at + timedelta(seconds=seconds)
    return calendar.add_working_seconds(at, seconds)


def _compute_due(calendar: WorkCalendar, clock: Clock, policy: TimePolicy) -> datetime:
    """Due moment: the agreed date, or start + allowed time, moved on by paused time."""
    if clock.agreed_due_at is not None:
        base = clock.agreed_due_at
    else:
        if policy.target_amount is None:
            raise ApplicationError(_("This rule needs a due date."), field="due_at")
        base = calendar.add(clock.started_at, float(policy.target_amount), _unit(policy.target_unit))
    return _shift(calendar, policy.target_unit, base, clock.paused_seconds)


def _compute_warn_at(calendar: WorkCalendar, clock: Clock, policy: TimePolicy) -> datetime | None:
    if policy.kind == PolicyKind.CADENCE:
        return None
    if policy.remind_before_amount:
        warn_at = calendar.add(
            clock.due_at, -float(policy.remind_before_amount), _unit(policy.remind_before_unit)
        )
    elif policy.warn_fraction:
        total = _unit_seconds_between(calendar, policy.target_unit, clock.started_at, clock.due_at)
        warn_at = _shift(calendar, policy.target_unit, clock.started_at, total * float(policy.warn_fraction))
    else:
        return None
    return warn_at if clock.started_at < warn_at < clock.due_at else None


def _escalation_at(calendar: WorkCalendar, clock: Clock, policy: TimePolicy, level: int) -> datetime | None:
    ladder = policy.escalation or []
    if level >= len(ladder):
        return None
    step = ladder[level]
    base = clock.breached_at or clock.due_at
    return calendar.add(base, float(step.get("after", 0)), step.get("unit", Unit.WORKING_HOURS))


def _schedule_next(calendar: WorkCalendar, clock: Clock, policy: TimePolicy) -> None:
    """Set ``next_action``/``next_action_at`` from the clock's state; the sweep reads only these."""
    clock.next_action, clock.next_action_at = "", None
    if clock.state in (ClockState.PAUSED, ClockState.MET, ClockState.CANCELLED):
        return
    if policy.kind == PolicyKind.CADENCE:
        clock.next_action, clock.next_action_at = Action.FOLLOW_UP, clock.due_at
    elif clock.state == ClockState.RUNNING:
        if clock.warn_at and clock.warned_at is None:
            clock.next_action, clock.next_action_at = Action.WARN, clock.warn_at
        else:
            clock.next_action, clock.next_action_at = Action.BREACH, clock.due_at
    elif clock.state == ClockState.BREACHED:
        at = _escalation_at(calendar, clock, policy, clock.escalation_level)
        if at is not None:
            clock.next_action, clock.next_action_at = Action.ESCALATE, at


def _plan(calendar: WorkCalendar, clock: Clock, policy: TimePolicy) -> None:
    clock.due_at = _compute_due(calendar, clock, policy)
    clock.warn_at = _compute_warn_at(calendar, clock, policy)
    clock.estimated = calendar.is_estimated(clock.started_at, clock.due_at)
    _schedule_next(calendar, clock, policy)


# --- events -----------------------------------------------------------------------------


def _event(
    clock: Clock,
    kind: str,
    at: datetime,
    *,
    actor: Actor = None,
    data: dict | None = None,
    dedupe_key: str | None = None,
) -> ClockEvent:
    """A history row of ``clock``, not yet saved (a system actor is stored as nobody)."""
    if actor is not None and (is_system(actor) or not getattr(actor, "is_authenticated", False)):
        actor = None
    return ClockEvent(
        clock=clock,
        subject_type_id=clock.subject_type_id,
        subject_id=clock.subject_id,
        kind=kind,
        at=at,
        actor=actor,
        data=data or {},
        dedupe_key=dedupe_key,
    )


def _record(
    clock: Clock,
    kind: str,
    at: datetime,
    *,
    actor: Actor = None,
    data: dict | None = None,
    dedupe_key: str | None = None,
) -> ClockEvent | None:
    """Write one history row; with a dedupe key, None if that event was already written."""
    event = _event(clock, kind, at, actor=actor, data=data, dedupe_key=dedupe_key)
    if dedupe_key is None:
        event.save()
    else:
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            return None
    # Sent inside the transaction, so what receivers write commits or rolls back with the event.
    _announce([(clock, kind)])
    return event


# --- the clock's life -------------------------------------------------------------------


class Rules:
    """The time rules and the calendar for one change that starts several clocks.

    Looking them up once (one query for every variant of the named rules, one for the
    calendar) instead of once per clock is what keeps submitting a request fast.
    """

    def __init__(self, *keys: str) -> None:
        self.calendar = get_calendar()
        self._policies: dict[tuple[str, str], TimePolicy] = {}
        self._loaded: set[str] = set()
        if keys:
            for policy in TimePolicy.objects.filter(key__in=keys):
                self._policies[(policy.key, policy.variant)] = policy
            self._loaded.update(keys)

    def policy(self, key: str, variant: str = "") -> TimePolicy:
        if key not in self._loaded:
            self._policies[(key, variant)] = policy_get(key, variant)
        return _pick(self._policies, key, variant)


def clock_plan(
    *,
    subject: models.Model,
    key: str,
    variant: str = "",
    started_at: datetime | None = None,
    due_at: datetime | None = None,
    not_later_than: datetime | None = None,
    owner: Person | None = None,
    department: Department | None = None,
    scope: str = "",
    label: str = "",
    rules: Rules | None = None,
) -> Clock:
    """The clock of rule ``key`` on ``subject`` with its moments computed, not yet saved.

    ``due_at`` is a date a person agreed (a committed date, an action item's deadline);
    otherwise the rule's allowed time runs from ``started_at``. ``not_later_than`` caps
    the computed due moment (a liaison is named no later than the response is due).
    Save it with :func:`clocks_insert`.
    """
    rules = rules or Rules()
    policy = rules.policy(key, variant)
    calendar = rules.calendar
    started_at = started_at or timezone.now()
    if due_at is not None and due_at <= started_at:
        raise ApplicationError(_("The due date must be in the future."), field="due_at")
    clock = Clock(
        policy=policy,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        scope=scope,
        label=label or policy.name,
        owner=owner,
        department=department,
        started_at=started_at,
        agreed_due_at=due_at,
    )
    if due_at is None and not_later_than is not None and policy.target_amount is not None:
        computed = calendar.add(started_at, float(policy.target_amount), _unit(policy.target_unit))
        if not_later_than < computed:
            clock.agreed_due_at = not_later_than
    _plan(calendar, clock, policy)
    return clock


def clocks_insert(clocks: list[Clock], *, actor: Actor = None) -> list[Clock]:
    """Save planned clocks and their "started" events: two INSERTs however many there are.

    Meant for a subject that has no live clock of these rules yet (a request being
    submitted): a duplicate fails the whole change rather than being skipped, because
    without a savepoint per row PostgreSQL cannot carry on after the conflict.
    """
    if not clocks:
        return clocks
    try:
        Clock.objects.bulk_create(clocks)
    except IntegrityError as exc:
        raise TransitionError(_("This record already has a running deadline for this rule.")) from exc
    events = [
        _event(c, EventKind.STARTED, c.started_at, actor=actor, data={"due": plain(c.due_at)}) for c in clocks
    ]
    ClockEvent.objects.bulk_create(events)
    _announce([(clock, EventKind.STARTED) for clock in clocks])
    return clocks


def clock_start(*, actor: Actor = None, **plan) -> Clock:
    """Start the clock of rule ``key`` on ``subject``; ``plan`` is what :func:`clock_plan`
    takes (subject, key, variant, started_at, due_at, not_later_than, owner, department,
    scope, label, rules).

    Raises :class:`TransitionError` when the subject already has this rule running; the
    inserts sit in a savepoint, so a caller may catch that and carry on.
    """
    clock = clock_plan(**plan)
    with transaction.atomic():
        clocks_insert([clock], actor=actor)
    return clock


def _locked(clock: Clock) -> Clock:
    return locked(Clock, clock.pk, related=["policy"], not_found=_("No such deadline."))


@transaction.atomic
def clock_pause(*, clock: Clock, at: datetime | None = None, actor: Actor = None, reason: str = "") -> Clock:
    """Stop the clock while the record waits on someone outside it (e.g. the initiator)."""
    clock = _locked(clock)
    at = at or timezone.now()
    CLOCK_MACHINE.move(clock, ClockState.PAUSED)
    clock.paused_at = at
    _schedule_next(get_calendar(), clock, clock.policy)
    clock.save()
    _record(clock, EventKind.PAUSED, at, actor=actor, data={"reason": reason})
    return clock


@transaction.atomic
def clock_resume(*, clock: Clock, at: datetime | None = None, actor: Actor = None) -> Clock:
    """Restart a paused clock; its due moment moves on by the paused (working) time."""
    clock = _locked(clock)
    at = at or timezone.now()
    if clock.state != ClockState.PAUSED:
        raise TransitionError(_("Only a paused deadline can be resumed."))
    calendar = get_calendar()
    paused_at = clock.paused_at or at
    paused = max(0.0, _unit_seconds_between(calendar, clock.policy.target_unit, paused_at, at))
    old_due = clock.due_at
    clock.paused_seconds += int(paused)
    clock.paused_at = None
    clock.state = ClockState.RUNNING
    _plan(calendar, clock, clock.policy)
    if clock.due_at <= at and clock.policy.kind == PolicyKind.DEADLINE:
        clock.next_action, clock.next_action_at = Action.BREACH, clock.due_at
    clock.save()
    _record(
        clock,
        EventKind.RESUMED,
        at,
        actor=actor,
        data={"old_due": plain(old_due), "new_due": plain(clock.due_at), "paused_seconds": int(paused)},
    )
    return clock


@transaction.atomic
def clock_stop(*, clock: Clock, met: bool = True, at: datetime | None = None, actor: Actor = None) -> Clock:
    """The rule is met (or no longer applies): the clock stops and keeps its history."""
    clock = _locked(clock)
    if not clock.is_live:
        return clock
    at = at or timezone.now()
    CLOCK_MACHINE.move(clock, ClockState.MET if met else ClockState.CANCELLED)
    if met:
        clock.met_at = at
    clock.next_action, clock.next_action_at = "", None
    clock.save()
    late = met and at > clock.due_at
    _record(
        clock,
        EventKind.MET if met else EventKind.CANCELLED,
        at,
        actor=actor,
        data={"due": plain(clock.due_at), "late": late},
    )
    return clock


def clocks_stop_for(
    *,
    subject: models.Model,
    key: str | None = None,
    scope: str | None = None,
    met: bool = True,
    actor: Actor = None,
) -> int:
    """Stop the live clocks of ``subject`` (of one rule and/or scope). Returns how many."""
    clocks = clocks_live_for(subject=subject, key=key, scope=scope)
    for clock in clocks:
        clock_stop(clock=clock, met=met, actor=actor)
    return len(clocks)


def clocks_live_for(
    *, subject: models.Model, key: str | None = None, scope: str | None = None
) -> list[Clock]:
    clocks = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        state__in=[s.value for s in LIVE_STATES],
    ).select_related("policy")
    if key is not None:
        clocks = clocks.filter(policy__key=key)
    if scope is not None:
        clocks = clocks.filter(scope=scope)
    return list(clocks)


def clocks_reassign(*, subject: models.Model, key: str, scope: str | None = None, owner: Person) -> int:
    """The live clocks of rule ``key`` on ``subject`` (of one scope) now belong to ``owner``
    (e.g. the liaison a department named): one UPDATE. Returns how many."""
    clocks = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        policy__key=key,
        state__in=[s.value for s in LIVE_STATES],
    )
    if scope is not None:
        clocks = clocks.filter(scope=scope)
    return clocks.update(owner=owner)


@transaction.atomic
def clock_change_due(*, clock: Clock, due_at: datetime, actor: Actor = None, reason: str) -> Clock:
    """A person moves an agreed date (e.g. a new committed date); the old one stays in history."""
    if not reason.strip():
        raise ApplicationError(_("Say why the date changes."), field="reason")
    clock = _locked(clock)
    if not clock.is_live:
        raise TransitionError(_("This deadline is finished; its date can no longer change."))
    old_due = clock.due_at
    clock.agreed_due_at = due_at
    clock.paused_seconds = 0
    _reopen_if_future(clock, due_at)
    _plan(get_calendar(), clock, clock.policy)
    clock.save()
    _record(
        clock,
        EventKind.RECOMPUTED,
        timezone.now(),
        actor=actor,
        data={"old_due": plain(old_due), "new_due": plain(clock.due_at), "reason": reason},
    )
    return clock


@transaction.atomic
def clock_record_delay_reason(*, clock: Clock, actor: Actor, reason: str) -> Clock:
    """The owner of an overdue item says why it is late (SPEC §3: delay reason recorded)."""
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the delay."), field="reason")
    clock = _locked(clock)
    clock.delay_reason = reason.strip()
    clock.save(update_fields=["delay_reason"])
    return clock


def _reopen_if_future(clock: Clock, new_due: datetime) -> None:
    """A breached clock whose deadline moved into the future runs again (history keeps the breach)."""
    if clock.state == ClockState.BREACHED and new_due > timezone.now():
        clock.state = ClockState.RUNNING
        clock.breached_at = None
        clock.escalation_level = 0
        clock.warned_at = None


def clocks_recompute(
    *, reason: str, policy: TimePolicy | None = None, actor: Actor = None, batch: int = 1000
) -> int:
    """Recompute the due moment of every live clock (of one rule, or all) after a calendar or
    rule change. Each clock whose due moment moved records old due, new due and why;
    finished clocks keep their history untouched. Returns how many moved.
    """
    calendar = get_calendar()
    live = Clock.objects.filter(state__in=[s.value for s in LIVE_STATES]).select_related("policy")
    if policy is not None:
        live = live.filter(policy=policy)
    now = timezone.now()
    moved = 0
    last_id = 0
    while True:
        with transaction.atomic():
            chunk = list(live.filter(pk__gt=last_id).order_by("pk").select_for_update()[:batch])
            if not chunk:
                break
            for clock in chunk:
                old_due, old_next = clock.due_at, (clock.next_action, clock.next_action_at)
                new_due = _compute_due(calendar, clock, clock.policy)
                if new_due != old_due:
                    _reopen_if_future(clock, new_due)
                _plan(calendar, clock, clock.policy)
                if clock.warned_at and clock.warn_at and clock.warn_at > now:
                    # The deadline moved out: the earlier warning no longer stands, warn again.
                    clock.warned_at = None
                    _schedule_next(calendar, clock, clock.policy)
                if new_due == old_due and (clock.next_action, clock.next_action_at) == old_next:
                    continue
                clock.save()
                if new_due != old_due:
                    moved += 1
                    _record(
                        clock,
                        EventKind.RECOMPUTED,
                        now,
                        actor=actor,
                        data={"old_due": plain(old_due), "new_due": plain(new_due), "reason": str(reason)},
                    )
            last_id = chunk[-1].pk
    return moved


# --- the sweep --------------------------------------------------------------------------


def _recipients(clock: Clock, target: str) -> list[int]:
    department = clock.department
    if target == "head":
        return [department.head_id] if department and department.head_id else []
    if target == "supervisor":
        if department is None:
            return []
        preloaded = getattr(department, "_supervisor_ids", None)
        return (
            list(preloaded)
            if preloaded is not None
            else list(department.supervisors.values_list("id", flat=True))
        )
    if clock.owner_id:
        return [clock.owner_id]
    if department and department.default_liaison_id:
        return [department.default_liaison_id]
    return [department.head_id] if department and department.head_id else []


def _subject_text(subject) -> tuple[str, str]:
    if subject is None:
        return "", ""
    url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
    return str(subject), url


def _due_text(clock: Clock) -> str:
    return timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")


@dataclass
class _Due:
    """One action the sweep owes: the event to write and, if it is new, the message to send."""

    clock: Clock
    action: str
    event: ClockEvent
    notice: dict
    subject: models.Model | None
    url: str


def _act(calendar: WorkCalendar, clock: Clock, subject, now: datetime) -> _Due | None:
    """Work out the clock's due action and move the clock on (in memory; the sweep writes).

    None for an action this code does not know (the clock stops asking).
    """
    next_at = clock.next_action_at
    if next_at is None:
        return None
    policy = clock.policy
    action = clock.next_action
    due_stamp = int(clock.due_at.timestamp())
    title, url = _subject_text(subject)
    label = clock.label or policy.name
    if action == Action.WARN:
        key = f"clock:{clock.pk}:warn:{due_stamp}"
        kind, at, data = EventKind.WARNED, next_at, {"due": plain(clock.due_at)}
        clock.warned_at = next_at
        notice = {
            "recipients": _recipients(clock, "owner"),
            "level": Notification.Level.WARNING,
            "title": _("Due soon: %(label)s — %(title)s") % {"label": label, "title": title},
            "body": _("Due %(due)s. Most of the allowed time has passed.") % {"due": _due_text(clock)},
        }
    elif action == Action.BREACH:
        key = f"clock:{clock.pk}:breach:{due_stamp}"
        kind, at, data = EventKind.BREACHED, clock.due_at, {"due": plain(clock.due_at)}
        clock.state = ClockState.BREACHED
        clock.breached_at = clock.due_at
        notice = {
            "recipients": _recipients(clock, "owner"),
            "level": Notification.Level.OVERDUE,
            "title": _("Overdue: %(label)s — %(title)s") % {"label": label, "title": title},
            "body": _("It was due %(due)s. Please act now and record the reason for the delay.")
            % {"due": _due_text(clock)},
        }
    elif action == Action.ESCALATE:
        level = clock.escalation_level
        step = (policy.escalation or [])[level]
        key = f"clock:{clock.pk}:escalate:{level}:{due_stamp}"
        recipients = _recipients(clock, step.get("to", "head"))
        kind, at = EventKind.ESCALATED, next_at
        data = {"level": level + 1, "to": step.get("to"), "recipients": recipients}
        clock.escalation_level = level + 1
        owner_name = clock.owner.name if clock.owner is not None else ""
        notice = {
            "recipients": recipients,
            "level": Notification.Level.OVERDUE,
            "title": _("Escalated to you: %(label)s — %(title)s") % {"label": label, "title": title},
            "body": _("Overdue since %(due)s. Owner: %(owner)s.")
            % {"due": _due_text(clock), "owner": owner_name},
        }
    elif action == Action.FOLLOW_UP:
        number = clock.follow_ups_sent + 1
        key = f"clock:{clock.pk}:follow_up:{number}"
        # After downtime only the latest missed cadence is followed up: one reminder says
        # "follow up now", never one per missed interval (issue 14 §2).
        at, missed = _latest_cadence(calendar, clock, policy, now)
        kind, data = EventKind.FOLLOW_UP, {"number": number, "missed": missed}
        clock.follow_ups_sent = number
        clock.started_at = at
        clock.paused_seconds = 0
        clock.agreed_due_at = None
        notice = {
            "recipients": _recipients(clock, "owner"),
            "level": Notification.Level.ACTION,
            "title": _("Time to follow up: %(title)s") % {"title": title or label},
            "body": _("Check progress with the departments involved and note it in the communication log."),
        }
    else:
        logger.warning("clock %s has unknown next action %r", clock.pk, action)
        clock.next_action, clock.next_action_at = "", None
        return None
    event = _event(clock, kind, at, data=data, dedupe_key=key)
    if action == Action.FOLLOW_UP:
        _plan(calendar, clock, policy)
    else:
        _schedule_next(calendar, clock, policy)
    return _Due(clock=clock, action=str(action), event=event, notice=notice, subject=subject, url=url)


def _latest_cadence(
    calendar: WorkCalendar, clock: Clock, policy: TimePolicy, now: datetime
) -> tuple[datetime, int]:
    """The last follow-up moment of a cadence clock at or before ``now``, and how many
    earlier moments since the clock's due one were missed (a sweep that did not run)."""
    at, missed = clock.due_at, 0
    if policy.target_amount is None:
        return at, missed
    while missed < 10_000:
        following = calendar.add(at, float(policy.target_amount), _unit(policy.target_unit))
        if following > now or following <= at:
            break
        at, missed = following, missed + 1
    return at, missed


def _latest_per_recipient(written: list[_Due]) -> list[tuple[_Due, list[int]]]:
    """Each recipient hears only the latest stage of a clock that moved several stages in
    one sweep (warned, breached and escalated after downtime): one message per person,
    while the clock's history keeps every stage."""
    latest: dict[tuple[int, int], _Due] = {}
    for item in written:
        for person_id in item.notice["recipients"]:
            latest[(item.clock.pk, person_id)] = item
    told: dict[int, list[int]] = defaultdict(list)
    for (_clock_id, person_id), item in latest.items():
        told[id(item)].append(person_id)
    return [(item, told[id(item)]) for item in written if told.get(id(item))]


def _write_due(dues: list[_Due]) -> list[_Due]:
    """Write the events of a batch at once; returns those not written before.

    An event already there (a repeated sweep, a stale copy, a second scheduler) is
    skipped, and so is its message: each reminder goes out once.
    """
    if not dues:
        return []
    keys = [due.event.dedupe_key for due in dues]
    already = set(ClockEvent.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    new = [due for due in dues if due.event.dedupe_key not in already]
    # ignore_conflicts covers a writer that got in between the read and here; its messages
    # carry the same dedupe keys, so notify() will not repeat them either.
    ClockEvent.objects.bulk_create([due.event for due in new], ignore_conflicts=True)
    return new


CLOCK_SWEEP_FIELDS = [
    "state",
    "started_at",
    "due_at",
    "warn_at",
    "warned_at",
    "breached_at",
    "paused_seconds",
    "agreed_due_at",
    "estimated",
    "escalation_level",
    "follow_ups_sent",
    "next_action",
    "next_action_at",
]


def _subjects_for(clocks: list[Clock]) -> dict[tuple[int, int], models.Model]:
    """Load the subjects of a batch of clocks with one query per subject type."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for clock in clocks:
        by_type[clock.subject_type_id].add(clock.subject_id)
    subjects = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            subjects[(type_id, obj.pk)] = obj
    return subjects


def sweep(
    *, now: datetime | None = None, batch: int = SWEEP_BATCH, max_batches: int = 1000
) -> dict[str, int]:
    """Carry out every clock action that is due. Safe to run concurrently and repeatedly.

    Reads only clocks whose ``next_action_at`` has passed (a partial index), in batches,
    each batch in its own transaction with the rows locked (``SKIP LOCKED`` on PostgreSQL,
    so a second sweep takes other rows; SQLite serialises writers).
    """
    now = now or timezone.now()
    calendar = get_calendar()
    done: dict[str, int] = defaultdict(int)
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _batch in range(max_batches):
        with transaction.atomic():
            due = Clock.objects.filter(next_action_at__lte=now).order_by("next_action_at", "pk")
            due = due.select_for_update(skip_locked=skip_locked, of=("self",) if skip_locked else ())
            clocks = list(due.select_related("policy", "department", "owner")[:batch])
            if not clocks:
                break
            for action, count in _carry_out(calendar, clocks, _subjects_for(clocks), now).items():
                done[action] += count
    return dict(done)


def _carry_out(calendar: WorkCalendar, clocks: list[Clock], subjects: dict, now: datetime) -> dict[str, int]:
    """Every action the (locked) clocks owe by ``now``: events, clocks and messages written
    a batch at a time. Returns how many of each action were new."""
    _load_supervisors(clocks)
    owed: list[_Due] = []
    for clock in clocks:
        subject = subjects.get((clock.subject_type_id, clock.subject_id))
        # One clock may owe several actions (warn, breach, then escalate at once); a
        # follow-up skips to the latest missed cadence, so the ladder bounds the steps.
        for _step in range(50):
            if clock.next_action_at is None or clock.next_action_at > now:
                break
            owed_now = _act(calendar, clock, subject, now)
            if owed_now is None:
                break
            owed.append(owed_now)
    written = _write_due(owed)
    _save_swept(clocks)
    done: dict[str, int] = defaultdict(int)
    for item in written:
        done[item.action] += 1
    with notifications_batched():
        for item, recipients in _latest_per_recipient(written):
            notify(
                event=f"deadline.{item.action}",
                url=item.url,
                subject=item.subject,
                dedupe_key=item.event.dedupe_key,
                critical=item.clock.policy.variant == "critical",
                **{**item.notice, "recipients": recipients},
            )
    _announce([(item.clock, item.event.kind) for item in written], actor=SWEEP_ACTOR)
    return done


def _save_swept(clocks: list[Clock]) -> None:
    """Write the moved-on clocks with one prepared UPDATE run for every row.

    ``bulk_update`` would build a CASE expression per field over the whole batch, which
    costs more to compile than to run (most of a 1,000-clock sweep went there).
    """
    fields = [field for field in Clock._meta.concrete_fields if field.name in CLOCK_SWEEP_FIELDS]
    assignments = ", ".join(f"{connection.ops.quote_name(str(field.column))} = %s" for field in fields)
    sql = f"UPDATE {connection.ops.quote_name(Clock._meta.db_table)} SET {assignments} WHERE id = %s"
    rows = [
        [field.get_db_prep_save(getattr(clock, field.attname), connection) for field in fields] + [clock.pk]
        for clock in clocks
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _load_supervisors(clocks: list[Clock]) -> None:
    """Supervisors of the batch's departments in one query (escalations go to them)."""
    department_ids = {clock.department_id for clock in clocks if clock.department_id}
    supervisors: dict[int, list[int]] = defaultdict(list)
    through = Department.supervisors.through
    for department_id, person_id in through.objects.filter(department_id__in=department_ids).values_list(
        "department_id", "person_id"
    ):
        supervisors[department_id].append(person_id)
    for clock in clocks:
        if clock.department is not None:
            cast(Any, clock.department)._supervisor_ids = supervisors.get(clock.department.pk, [])
