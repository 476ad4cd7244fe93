"""Routing: turning new notifications into outbox rows (e-mail, digest, robots).

Runs in the worker, never in the caller's transaction. One transaction routes a batch:
it writes the deliveries and marks the notifications routed, so a worker killed half-way
leaves the batch unrouted and the next run routes it again. Delivery keys are derived from
the notification (or the ``notify()`` call, for robots), so routing twice cannot create a
second delivery: the unique key absorbs it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from crossdesk.org.models import Department, Membership, Person

from ..choices import ESCALATION_EVENT, Channel, DeliveryStatus, EscalationMode, event_group
from ..models import ChannelPreference, Delivery, DepartmentRobot, DigestItem, Notification
from ..rules import after_quiet_hours, digest_slot, preference_merge

# Burst limits (issue 14 §2): past ``count`` messages within ``seconds`` to one person by
# e-mail, or to one group chat, the rest is held and leaves as one digest when the window
# ends. ``CROSSDESK_NOTIFY_BURST`` in the settings (environment: CROSSDESK_BURST_EMAILS,
# CROSSDESK_BURST_ROBOT_POSTS, CROSSDESK_BURST_SECONDS) overrides either; 0 lifts it.
BURST_DEFAULTS = {"email": (5, 3600), "robot": (10, 3600)}


def burst_limit(kind: str) -> tuple[int, timedelta]:
    """How many messages of ``kind`` ("email" or "robot") may leave within which window."""
    count, seconds = {**BURST_DEFAULTS, **getattr(settings, "CROSSDESK_NOTIFY_BURST", {})}[kind]
    return int(count), timedelta(seconds=seconds)


def email_key(notification_id: int) -> str:
    # Only RFC 5322 atext characters: the key is also the left part of the Message-ID.
    return f"n{notification_id}.email"


def digest_key(person_id: int, day: date) -> str:
    return f"p{person_id}.digest.{day:%Y%m%d}"


def burst_key(target: str, send_at: datetime) -> str:
    return f"{target}.burst.{send_at:%Y%m%d%H%M%S}"


def robot_key(robot: DepartmentRobot, batch_key: str) -> str:
    call = hashlib.sha256(batch_key.encode()).hexdigest()[:24]
    return f"b{call}.{robot.kind}.{robot.pk}"


def _robot_accepts(robot: DepartmentRobot, notification: Notification) -> bool:
    if robot.levels and notification.level not in robot.levels:
        return False
    return not robot.event_groups or event_group(notification.event) in robot.event_groups


def notifications_route(*, limit: int = 500, now: datetime | None = None) -> int:
    """Plan the e-mail, digest and robot deliveries of up to ``limit`` unrouted
    notifications; returns how many notifications were routed."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        # SKIP LOCKED lets two workers route different batches side by side on PostgreSQL;
        # SQLite takes the write lock at BEGIN (IMMEDIATE), so routers run one after another.
        notifications = list(
            Notification.objects.filter(routed_at__isnull=True)
            .order_by("id")
            .select_for_update(skip_locked=True)[:limit]
        )
        if not notifications:
            return 0
        person_ids = {n.recipient_id for n in notifications}
        people = {
            p["id"]: p for p in Person.objects.filter(id__in=person_ids).values("id", "email", "is_active")
        }
        primary = dict(
            Membership.objects.filter(person_id__in=person_ids, is_primary=True).values_list(
                "person_id", "department_id"
            )
        )
        department_ids = set(primary.values())
        person_prefs, department_prefs = {}, {}
        for pref in ChannelPreference.objects.filter(
            Q(person_id__in=person_ids) | Q(department_id__in=department_ids)
        ):
            if pref.person_id:
                person_prefs[pref.person_id] = pref
            else:
                department_prefs[pref.department_id] = pref
        robots: defaultdict[int | None, list[DepartmentRobot]] = defaultdict(list)
        for robot in DepartmentRobot.objects.filter(
            department_id__in=department_ids, is_active=True, chat_scope=""
        ):
            robots[robot.department_id].append(robot)
        scoped: defaultdict[str, list[DepartmentRobot]] = defaultdict(list)
        scopes = {n.chat_scope for n in notifications if n.chat_scope}
        for robot in DepartmentRobot.objects.filter(chat_scope__in=scopes, is_active=True) if scopes else ():
            scoped[robot.chat_scope].append(robot)
        supervisors = set(
            Department.supervisors.through.objects.filter(person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
        email_window = _Window("email", "person_id", person_ids, now)
        robot_ids = {r.pk for rs in (*robots.values(), *scoped.values()) for r in rs}
        robot_window = _Window("robot", "robot_id", robot_ids, now)

        deliveries: dict[str, Delivery] = {}
        digests: dict[tuple[int, date], tuple[datetime, list[int]]] = {}
        for notification in notifications:
            person = people.get(notification.recipient_id)
            department_id = primary.get(notification.recipient_id)
            if person and person["is_active"] and person["email"]:
                preference = preference_merge(
                    person_prefs.get(person["id"]), department_prefs.get(department_id)
                )
                if preference.wants_email(notification):
                    escalation_mode = preference.escalation_mode or (
                        EscalationMode.DIGEST if person["id"] in supervisors else EscalationMode.IMMEDIATE
                    )
                    if preference.daily_digest or (
                        notification.event == ESCALATION_EVENT
                        and not notification.critical
                        and escalation_mode == EscalationMode.DIGEST
                    ):
                        day, send_at = digest_slot(now, preference.digest_time, tz)
                        digests.setdefault((person["id"], day), (send_at, []))[1].append(notification.pk)
                    elif email_window.admits(person["id"], notification):
                        key = email_key(notification.pk)
                        planned = after_quiet_hours(now, preference.quiet_start, preference.quiet_end, tz)
                        deliveries[key] = Delivery(
                            channel=Channel.EMAIL,
                            notification=notification,
                            person_id=person["id"],
                            address=person["email"],
                            delivery_key=key,
                            next_attempt_at=planned,
                            planned_at=planned,
                        )
                    else:
                        email_window.hold(person["id"], notification.pk, address=person["email"])
            for robot in (*robots.get(department_id, ()), *scoped.get(notification.chat_scope, ())):
                key = robot_key(robot, notification.batch_key or str(notification.pk))
                # A notify() call is one robot message, sent or held, however many were told.
                if key in robot_window.seen or not _robot_accepts(robot, notification):
                    continue
                robot_window.seen.add(key)
                if not robot_window.admits(robot.pk, notification):
                    robot_window.hold(robot.pk, notification.pk, robot=robot)
                    continue
                deliveries[key] = Delivery(
                    channel=robot.kind,
                    notification=notification,
                    robot=robot,
                    address=robot.name[:254],
                    delivery_key=key,
                    next_attempt_at=now,
                    planned_at=now,
                )
        if deliveries:
            # A robot message of the same notify() call routed in an earlier batch is kept.
            Delivery.objects.bulk_create(deliveries.values(), ignore_conflicts=True)
        for (person_id, day), (send_at, notification_ids) in digests.items():
            _collect_into_digest(
                person_id, day, send_at, notification_ids, people[person_id]["email"], now, tz
            )
        email_window.write_held(tz)
        robot_window.write_held(tz)
        Notification.objects.filter(id__in=[n.pk for n in notifications]).update(routed_at=now)
    return len(notifications)


class _Window:
    """The burst limit of one routing batch for e-mail (per person) or robots (per robot).

    What each target was planned in the last window is read once; a target already over
    its limit, or with a held digest still waiting, has its new messages held too, so the
    digest is the only message of its own window.
    """

    def __init__(self, kind: str, field: str, ids: set, now: datetime) -> None:
        self.kind, self.field, self.now = kind, field, now
        self.limit, self.window = burst_limit(kind)
        self.held: dict[int, list[int]] = {}
        self.targets: dict[int, dict] = {}
        self.seen: set[str] = set()
        self.sent: defaultdict[int, int] = defaultdict(int)
        self.waiting: set[int] = set()
        if self.limit <= 0:
            return
        channel = Q(channel=Channel.EMAIL) if kind == "email" else ~Q(channel=Channel.EMAIL)
        recent = Delivery.objects.filter(
            channel, **{f"{field}__in": ids, "planned_at__gt": now - self.window}
        )
        self.sent.update({row[field]: row["n"] for row in recent.values(field).annotate(n=Count("id"))})
        self.waiting = set(
            Delivery.objects.filter(
                channel, burst=True, status=DeliveryStatus.PENDING, attempts=0, **{f"{field}__in": ids}
            ).values_list(field, flat=True)
        )

    def admits(self, target: int, notification: Notification) -> bool:
        # Critical messages count too: a storm of them is where one digest helps most.
        if target in self.waiting or (self.limit > 0 and self.sent[target] >= self.limit):
            return False
        self.sent[target] += 1
        return True

    def hold(self, target: int, notification_id: int, **about) -> None:
        self.waiting.add(target)
        self.held.setdefault(target, []).append(notification_id)
        self.targets[target] = about

    def write_held(self, tz: ZoneInfo) -> None:
        for target, notification_ids in self.held.items():
            about = self.targets[target]
            robot = about.get("robot")
            lookup = {"robot": robot} if robot is not None else {"person_id": target}
            digest = (
                Delivery.objects.select_for_update()
                .filter(burst=True, status=DeliveryStatus.PENDING, attempts=0, **lookup)
                .order_by("id")
                .first()
            )
            if digest is None:
                send_at = self.now + self.window
                key = burst_key(f"r{robot.pk}" if robot is not None else f"p{target}", send_at)
                Delivery.objects.bulk_create(
                    [
                        Delivery(
                            channel=robot.kind if robot is not None else Channel.EMAIL,
                            address=robot.name[:254] if robot is not None else about["address"],
                            digest_date=send_at.astimezone(tz).date(),
                            burst=True,
                            delivery_key=key,
                            next_attempt_at=send_at,
                            planned_at=send_at,
                            **lookup,
                        )
                    ],
                    ignore_conflicts=True,
                )
                digest = Delivery.objects.get(delivery_key=key)
            DigestItem.objects.bulk_create(
                [DigestItem(delivery=digest, notification_id=n) for n in notification_ids],
                ignore_conflicts=True,
            )


def _collect_into_digest(
    person_id: int,
    day: date,
    send_at: datetime,
    notification_ids: list[int],
    address: str,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Add notifications to the person's digest for ``day``; if that digest is already on its
    way (a worker claimed it), to the next day's instead, so no item is silently dropped."""
    for _attempt in range(7):
        key = digest_key(person_id, day)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    channel=Channel.EMAIL,
                    person_id=person_id,
                    address=address,
                    digest_date=day,
                    delivery_key=key,
                    next_attempt_at=send_at,
                    planned_at=send_at,
                )
            ],
            ignore_conflicts=True,
        )
        # Locked, so a worker cannot claim the digest between this check and the insert below.
        digest = Delivery.objects.select_for_update().get(delivery_key=key)
        if digest.status == DeliveryStatus.PENDING and digest.attempts == 0:
            DigestItem.objects.bulk_create(
                [DigestItem(delivery=digest, notification_id=n) for n in notification_ids],
                ignore_conflicts=True,
            )
            return
        day += timedelta(days=1)
        send_at = datetime.combine(day, send_at.astimezone(tz).time(), tzinfo=tz)
    raise RuntimeError(f"no open digest for person {person_id} within a week of {day}")
