"""Replaying demo stories through the real services at moments in the past.

The clock is set back while a step runs, so numbers, histories, deadlines, reminders and
notifications are exactly what the product would have produced. A story whose next step
would happen after the real "now" stops where it is.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from crossdesk.org.models import Department, Person
from crossdesk.workcal.selectors import get_calendar


@contextmanager
def frozen_now(moment: datetime):
    """Run services as if it were ``moment`` (only for replaying the demo's history)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class StoryReachesTheFuture(Exception):
    """A story's next step would happen after the real "now": it stops where it is."""


class Replay:
    def __init__(self, departments: dict[str, Department], rng: random.Random, now: datetime):
        self.departments = departments
        self.rng = rng
        self.now = now
        self.calendar = get_calendar()

    def at(self, moment: datetime):
        if moment > self.now:
            raise StoryReachesTheFuture
        return frozen_now(moment)

    def working_moment(self, after: datetime, hours: float) -> datetime:
        return self.calendar.add_working_seconds(after, hours * 3600)

    def working_day(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (before it when n < 0); ``start`` if n == 0."""
        day, found, step = start, 0, 1 if n > 0 else -1
        while found < abs(n):
            day += timedelta(days=step)
            if self.calendar.is_working_day(day):
                found += 1
        return day

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.calendar.tz)

    def member(self, code: str, *, exclude: set[int] = frozenset()) -> Person:
        people = [p for p in self.departments[code].members.all() if p.user_id and p.pk not in exclude]
        return self.rng.choice(people)

    def liaison(self, code: str) -> Person:
        department = self.departments[code]
        return department.default_liaison or department.head
