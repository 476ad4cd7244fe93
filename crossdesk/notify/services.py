"""Writing notifications. Call inside the transaction of the change that causes them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from crossdesk.org.models import Person

from .models import Notification


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
) -> int:
    """Write one notification per distinct recipient; returns how many were new.

    With ``dedupe_key`` each recipient gets the message at most once, ever: the key is
    made per recipient and a second insert is ignored by the unique constraint.
    """
    excluded = {getattr(p, "pk", p) for p in exclude if p is not None}
    person_ids = sorted({getattr(p, "pk", p) for p in recipients if p is not None} - excluded)
    if not person_ids:
        return 0
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
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
        )
        for person_id in person_ids
    ]
    if dedupe_key:
        already = set(
            Notification.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
                "dedupe_key", flat=True
            )
        )
        rows = [r for r in rows if r.dedupe_key not in already]
        # ignore_conflicts covers a concurrent writer that inserted between the read and here.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    else:
        Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, person: Person, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, without ids, all) of a person's unread notifications read."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(id__in=list(ids))
    return unread.update(read_at=timezone.now())
