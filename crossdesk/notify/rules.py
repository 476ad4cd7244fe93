"""Pure rules of delivery timing and preferences: no database, easy to test.

Which e-mails a person wants (their own choices over their department's over the default),
when quiet hours end, and which daily digest a moment falls into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .choices import IMPORTANT_LEVELS, DigestMode, EmailMode, event_group

if TYPE_CHECKING:
    from .models import ChannelPreference, Notification

DEFAULT_DIGEST_TIME = time(8, 30)


@dataclass(frozen=True)
class EffectivePreference:
    """What applies to one person once their own choices and their department's are merged."""

    email_mode: str = EmailMode.IMPORTANT
    muted_event_groups: frozenset[str] = frozenset()
    daily_digest: bool = False
    digest_time: time = DEFAULT_DIGEST_TIME
    quiet_start: time | None = None
    quiet_end: time | None = None
    language: str = ""
    escalation_mode: str = ""  # blank: a digest for supervisors, at once for everyone else

    def wants_email(self, notification: Notification) -> bool:
        if self.email_mode == EmailMode.OFF:
            return False
        if self.email_mode == EmailMode.IMPORTANT and notification.level not in IMPORTANT_LEVELS:
            return False
        return event_group(notification.event) not in self.muted_event_groups


def preference_merge(
    person: ChannelPreference | None, department: ChannelPreference | None
) -> EffectivePreference:
    """A person's blank fields take the department's value; the department's, the default."""
    default = EffectivePreference()

    def pick(field: str, blank=("", None)):
        for source in (person, department):
            value = getattr(source, field, None) if source is not None else None
            if value not in blank:
                return value
        return None

    quiet_owner = next((p for p in (person, department) if p is not None and p.quiet_start is not None), None)
    muted = pick("muted_event_groups", blank=(None,))
    return EffectivePreference(
        email_mode=pick("email_mode") or default.email_mode,
        muted_event_groups=frozenset(muted or ()),
        daily_digest=(pick("digest_mode") or DigestMode.IMMEDIATE) == DigestMode.DAILY,
        digest_time=pick("digest_time") or default.digest_time,
        quiet_start=quiet_owner.quiet_start if quiet_owner else None,
        quiet_end=quiet_owner.quiet_end if quiet_owner else None,
        language=(person.language if person is not None else "") or "",
        escalation_mode=pick("escalation_mode") or "",
    )


def after_quiet_hours(moment: datetime, start: time | None, end: time | None, tz: ZoneInfo) -> datetime:
    """The first moment at or after ``moment`` outside the quiet hours [start, end) in ``tz``.

    Quiet hours may wrap midnight (22:00–08:00). Messages written inside them wait for
    their end instead of waking people up.
    """
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(tz)
    now = local.time()
    quiet = start <= now < end if start < end else (now >= start or now < end)
    if not quiet:
        return moment
    end_day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz)


def digest_slot(moment: datetime, at: time, tz: ZoneInfo) -> tuple[date, datetime]:
    """The next digest this moment falls into: today's if its time has not come, else tomorrow's."""
    local = moment.astimezone(tz)
    day = local.date() if local.time() < at else local.date() + timedelta(days=1)
    return day, datetime.combine(day, at, tzinfo=tz)
