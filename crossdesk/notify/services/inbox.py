"""Writing notifications. Call ``notify()`` inside the transaction of the change that causes them."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from crossdesk.core.records import Actor, person_of_actor
from crossdesk.org.models import Person

from ..models import Notification

logger = logging.getLogger(__name__)

# Set inside notifications_batched(): notify() adds its rows here instead of writing them.
_collected: ContextVar[list[Notification] | None] = ContextVar("notify_collected", default=None)


@contextmanager
def notifications_batched() -> Iterator[None]:
    """Write every notify() of the block at its end: one read and one or two INSERTs in all.

    For code that tells many people many things in one transaction (the deadline sweep);
    the rows and their deduplication are exactly what single calls would have written.
    """
    if _collected.get() is not None:  # already collecting: the outer block writes
        yield
        return
    rows: list[Notification] = []
    token = _collected.set(rows)
    try:
        yield
    finally:
        _collected.reset(token)
    _write(rows)


def _write(rows: list[Notification]) -> int:
    keyed = [r for r in rows if r.dedupe_key]
    if keyed:
        already = set(
            Notification.objects.filter(dedupe_key__in=[r.dedupe_key for r in keyed]).values_list(
                "dedupe_key", flat=True
            )
        )
        seen: set[str | None] = set()
        fresh = []
        for row in keyed:
            if row.dedupe_key not in already and row.dedupe_key not in seen:
                seen.add(row.dedupe_key)
                fresh.append(row)
        keyed = fresh
        # ignore_conflicts covers a concurrent writer that inserted between the read and here.
        Notification.objects.bulk_create(keyed, ignore_conflicts=True)
    plain = [r for r in rows if not r.dedupe_key]
    if plain:
        Notification.objects.bulk_create(plain)
    if keyed or plain:
        schedule_outbox_drain()
    return len(keyed) + len(plain)


def _person_id(person: Person | int) -> int:
    return cast(int, getattr(person, "pk", person))


def notify(
    *,
    recipients: Iterable[Person | int | None],
    event: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: models.Model | None = None,
    level: str = Notification.Level.INFO,
    dedupe_key: str | None = None,
    exclude: Iterable[Person | int | None] = (),
    critical: bool = False,
    chat_scope: str = "",
) -> int:
    """Write one notification per distinct recipient; returns how many were new.

    With ``dedupe_key`` each recipient gets the message at most once, ever: the key is
    made per recipient and a second insert is ignored by the unique constraint.

    The rows are also the outbox's input: e-mail and robot deliveries are planned from them
    by the worker after commit, so this adds no query for preferences or robots to the
    caller's transaction (the caller's request has a tight query budget), only the
    after-commit enqueue of one drain task per transaction.

    ``critical`` escalations skip a supervisor's daily digest (burst limits still apply). A
    subject with ``confidential`` set makes the rows confidential: robots post a neutral
    text and the link instead of the title.
    """
    excluded = {_person_id(p) for p in exclude if p is not None}
    person_ids = sorted({_person_id(p) for p in recipients if p is not None} - excluded)
    if not person_ids:
        return 0
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    # One key per call: the robots of a department post it once, however many members are told.
    batch_key = dedupe_key or uuid.uuid4().hex
    rows = [
        Notification(
            recipient_id=person_id,
            event=event,
            level=level,
            title=str(title)[:200],
            body=str(body),
            url=url,
            subject_type=subject_type,
            subject_id=subject.pk if subject is not None else None,
            dedupe_key=f"{dedupe_key}:{person_id}" if dedupe_key else None,
            batch_key=batch_key,
            critical=critical,
            chat_scope=chat_scope,
            confidential=bool(getattr(subject, "confidential", False)),
        )
        for person_id in person_ids
    ]
    collected = _collected.get()
    if collected is not None:
        collected.extend(rows)
        return len(rows)
    return _write(rows)


def notify_about(
    record: models.Model,
    recipients: Iterable[Person | int | None],
    *,
    event: str,
    title: str,
    body: str = "",
    actor: Actor = None,
    level: str = Notification.Level.INFO,
    url: str = "",
    subject: models.Model | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Tell people about a record (a request, a meeting, a project): the title starts with
    its number ("[XT-2026-0012] …", "[草稿] …" before it has one), the link and the subject
    are the record's unless given, and whoever acted (a person or their login) is not told.
    """
    number = getattr(record, "number", "") or gettext("Draft")
    person = actor if isinstance(actor, Person) else person_of_actor(actor)
    return notify(
        recipients=recipients,
        exclude=[person] if person is not None else [],
        event=event,
        title=f"[{number}] {title}",
        body=body,
        url=url or cast(Any, record).get_absolute_url(),
        subject=subject if subject is not None else record,
        level=level,
        dedupe_key=dedupe_key,
    )


def _enqueue_drain() -> None:
    from ..tasks import drain_outbox

    drain_outbox.enqueue()


def schedule_outbox_drain() -> None:
    """Ask a worker to route and deliver once the current transaction commits, at most once
    per transaction. If the enqueue fails (queue down), the periodic job catches up."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _enqueue_drain for _savepoints, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_enqueue_drain, robust=True)


def notifications_mark_read(*, person: Person, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, without ids, all) of a person's unread notifications read."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(id__in=list(ids))
    return unread.update(read_at=timezone.now())
