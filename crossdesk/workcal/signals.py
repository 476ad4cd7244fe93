"""Signals of the working-day calendar."""

from django.dispatch import Signal

calendar_changed = Signal()
"""Sent by every change to the calendar: a company override, a statutory schedule
(seeded from chinese-calendar or entered by an administrator) or the working hours.

Keyword arguments: ``version`` (the new ``WorkSettings.version``), ``reason`` (one of
``"statutory"``, ``"official_schedule"``, ``"override"``, ``"working_hours"``),
``actor_id`` (None for the seed), ``first_day`` and ``last_day`` (the dates whose status
may have changed; both None when every date may have: the working hours changed).

It is sent inside the transaction that makes the change, after the rows are written, so
a receiver already sees the new calendar (``selectors.get_calendar()``) and whatever it
writes or enqueues (a task row with the database backend) commits or rolls back with the
change. Running deadlines are recomputed on it (SPEC §2); heavy work belongs in a task,
and a receiver that talks to the outside world (a Redis queue, a chat robot) should defer
that with ``transaction.on_commit``.
"""
