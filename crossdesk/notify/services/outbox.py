"""Delivering the outbox: claim due rows under a lease, send, mark; retry with backoff.

Why each step is the way it is:

- **Claim** sets ``status=sending``, a lease owner and expiry, and counts the attempt, in
  one short transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's
  ``BEGIN IMMEDIATE`` serialises claimers). ``next_attempt_at`` moves to the lease's end,
  so a row whose worker was killed becomes due again by itself: no separate reaper.
- **Mark** each row right after its message left, with a conditional UPDATE that only a
  lease holder can make. A kill can therefore repeat at most the one message that was in
  flight: duplicates ≤ kills, and the stable delivery key lets a receiver drop it.
- **Renew** the lease while a batch takes long, so a slow but living worker keeps its rows.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.records import Actor

from ..channels import (
    ChannelUnavailableError,
    EmailChannel,
    PermanentDeliveryError,
    RobotChannel,
    TransientDeliveryError,
)
from ..choices import OPEN_STATUSES, Channel, DeliveryStatus
from ..models import Delivery, DigestItem
from .routing import notifications_route

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 3600


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with jitter: about 1, 2, 4 … minutes, at most 6 hours. The jitter
    (50–100 %) spreads the retries of a burst that failed together (an SMTP outage)."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return timedelta(seconds=ceiling * (rng or random).uniform(0.5, 1.0))


def worker_identity() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _lease() -> timedelta:
    return timedelta(seconds=settings.CROSSDESK_OUTBOX_LEASE_SECONDS)


def deliveries_claim(*, owner: str, limit: int, now: datetime | None = None) -> list[Delivery]:
    """Lease up to ``limit`` due deliveries to ``owner``, oldest due first."""
    now = now or timezone.now()
    lease_until = now + _lease()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        Delivery.objects.filter(id__in=ids).update(
            status=DeliveryStatus.SENDING,
            lease_owner=owner,
            lease_expires_at=lease_until,
            next_attempt_at=lease_until,
            attempts=F("attempts") + 1,
        )
    claimed = list(
        Delivery.objects.filter(id__in=ids, lease_owner=owner)
        .select_related("notification", "person__notification_preference", "robot")
        .order_by("id")
    )
    digests = [d for d in claimed if d.is_digest]
    if digests:
        items = DigestItem.objects.filter(delivery__in=digests).select_related("notification")
        by_delivery: dict[int, list[DigestItem]] = {}
        for item in items:
            by_delivery.setdefault(item.delivery_id, []).append(item)
        for digest in digests:
            cast(Any, digest)._prefetched_objects_cache = {"digest_items": by_delivery.get(digest.pk, [])}
    return claimed


def _held(owner: str, delivery_id: int):
    return Delivery.objects.filter(id=delivery_id, lease_owner=owner, status=DeliveryStatus.SENDING)


def delivery_mark_sent(*, delivery: Delivery, owner: str) -> bool:
    """Record that the message left. False if the lease was lost (another worker retook it)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One commit per message is what bounds duplicates by kills; without waiting for the
            # WAL flush it costs no disk sync. Only a crash of the database server itself could
            # lose the last few marks (and re-send those messages, with the same key).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        updated = _held(owner, delivery.pk).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            lease_owner="",
            lease_expires_at=None,
            last_error="",
        )
    if not updated:
        logger.warning("outbox: delivery %s was sent after its lease was lost", delivery.delivery_key)
    return bool(updated)


def delivery_mark_failed(*, delivery: Delivery, owner: str, error: str, permanent: bool = False) -> str:
    """Record a failed attempt: back off and retry, or give up after the last attempt."""
    now = timezone.now()
    give_up = permanent or delivery.attempts >= settings.CROSSDESK_OUTBOX_MAX_ATTEMPTS
    status = DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING
    _held(owner, delivery.pk).update(
        status=status,
        next_attempt_at=now if give_up else now + backoff_delay(delivery.attempts),
        last_error=error[:2000],
        lease_owner="",
        lease_expires_at=None,
    )
    return status


def _renew(owner: str, deliveries: list[Delivery]) -> list[Delivery]:
    """Extend the lease on the rows still to send; drop any row no longer ours."""
    lease_until = timezone.now() + _lease()
    ids = [d.pk for d in deliveries]
    Delivery.objects.filter(id__in=ids, lease_owner=owner, status=DeliveryStatus.SENDING).update(
        lease_expires_at=lease_until, next_attempt_at=lease_until
    )
    still = set(
        Delivery.objects.filter(id__in=ids, lease_owner=owner, status=DeliveryStatus.SENDING).values_list(
            "id", flat=True
        )
    )
    return [d for d in deliveries if d.pk in still]


def _language(delivery: Delivery) -> str:
    preference = getattr(delivery.person, "notification_preference", None) if delivery.person_id else None
    return (preference.language if preference else "") or settings.LANGUAGE_CODE


@dataclass
class DrainReport:
    routed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    more: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def deliveries_send(
    *, deliveries: list[Delivery], owner: str, email: EmailChannel, report: DrainReport
) -> None:
    """Send a claimed batch, marking each row as soon as its message has left."""
    robots = RobotChannel()
    unavailable: dict[str, str] = {}
    renew_after = time.monotonic() + settings.CROSSDESK_OUTBOX_LEASE_SECONDS / 2
    pending = list(deliveries)
    while pending:
        if time.monotonic() > renew_after:
            pending = _renew(owner, pending)
            renew_after = time.monotonic() + settings.CROSSDESK_OUTBOX_LEASE_SECONDS / 2
            if not pending:
                break
        delivery = pending.pop(0)
        channel_down = unavailable.get(delivery.channel)
        try:
            if channel_down:
                raise TransientDeliveryError(channel_down)
            if delivery.channel == Channel.EMAIL:
                email.send(delivery, _language(delivery))
            else:
                robots.send(delivery)
        except ChannelUnavailableError as exc:
            unavailable[delivery.channel] = str(exc)
            _count(report, delivery_mark_failed(delivery=delivery, owner=owner, error=str(exc)))
        except PermanentDeliveryError as exc:
            _count(
                report, delivery_mark_failed(delivery=delivery, owner=owner, error=str(exc), permanent=True)
            )
        except TransientDeliveryError as exc:
            _count(report, delivery_mark_failed(delivery=delivery, owner=owner, error=str(exc)))
        except Exception as exc:  # a bug in rendering one message must not stop the others
            logger.exception("outbox: delivery %s failed unexpectedly", delivery.delivery_key)
            _count(
                report,
                delivery_mark_failed(delivery=delivery, owner=owner, error=f"{type(exc).__name__}: {exc}"),
            )
        else:
            delivery_mark_sent(delivery=delivery, owner=owner)
            report.sent += 1


def _count(report: DrainReport, status: str) -> None:
    if status == DeliveryStatus.FAILED:
        report.failed += 1
    else:
        report.retrying += 1


def outbox_drain(*, time_budget: float | None = None, batch_size: int | None = None) -> DrainReport:
    """Route new notifications and deliver whatever is due until nothing is left or the
    time budget is spent (``report.more`` then says a successor should continue)."""
    budget = settings.CROSSDESK_OUTBOX_TIME_BUDGET if time_budget is None else time_budget
    batch = batch_size or settings.CROSSDESK_OUTBOX_BATCH_SIZE
    deadline = time.monotonic() + budget
    owner = worker_identity()
    report = DrainReport()
    email = EmailChannel()
    try:
        while True:
            routed = notifications_route(limit=batch * 4)
            report.routed += routed
            claimed = deliveries_claim(owner=owner, limit=batch)
            if not claimed and not routed:
                return report
            deliveries_send(deliveries=claimed, owner=owner, email=email, report=report)
            if time.monotonic() >= deadline:
                report.more = True
                return report
    finally:
        email.close()


def outbox_has_due_work(*, now: datetime | None = None) -> bool:
    """Whether a drain would find anything: unrouted notifications, or due deliveries
    (including those whose lease ran out). Two index-only probes."""
    from ..models import Notification

    now = now or timezone.now()
    return (
        Notification.objects.filter(routed_at__isnull=True).exists()
        or Delivery.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now).exists()
    )


# --- operators --------------------------------------------------------------------------------


def deliveries_retry(*, actor: Actor, ids: Iterable[int] | None = None, all_failed: bool = False) -> int:
    """Send failed (or discarded) deliveries again now, with a fresh count of attempts."""
    _require_operator(actor)
    rows = Delivery.objects.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.DISCARDED])
    if not all_failed:
        rows = rows.filter(id__in=list(ids or []))
    else:
        rows = rows.filter(status=DeliveryStatus.FAILED)
    count = rows.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if count:
        from .inbox import schedule_outbox_drain

        schedule_outbox_drain()
    logger.info("outbox: %s re-queued %s deliveries", actor, count)
    return count


def deliveries_discard(*, actor: Actor, ids: Iterable[int]) -> int:
    """Give up on deliveries that are waiting or failed. A row a worker is sending right now
    is left alone: its message may already be on the wire."""
    _require_operator(actor)
    return (
        Delivery.objects.filter(id__in=list(ids))
        .filter(Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.PENDING))
        .update(status=DeliveryStatus.DISCARDED, lease_owner="", lease_expires_at=None)
    )


def _require_operator(actor: Actor) -> None:
    from crossdesk.core.errors import PermissionDeniedError
    from crossdesk.org.selectors import is_org_admin

    if not is_org_admin(actor):
        raise PermissionDeniedError(_("Only administrators may retry or discard outgoing messages."))
