"""The demo's inboxes as people left them: the months of history were replayed in minutes,
but in the story everyone opened their messages as they came, and their e-mails and robot
posts went out at the time. What arrived before the last two days is read (a couple of hours
after it came) and routed (when it came), so the first start does not mail months of history;
the recent news stays unread and is routed by the worker as usual, so each demo login's bell
shows what a person would still have to look at. Nothing is deleted."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from crossdesk.notify.models import Notification

READ_AFTER = timedelta(hours=2)
STILL_UNREAD = timedelta(days=2)


def read_what_was_read() -> int:
    """Mark read (and routed) the unread notifications older than two days; returns how many."""
    cutoff = timezone.now() - STILL_UNREAD
    old = Notification.objects.filter(read_at__isnull=True, created_at__lt=cutoff)
    return old.update(read_at=F("created_at") + READ_AFTER, routed_at=F("created_at"))
