"""Reads of deadlines: live clocks of a record or a person, and how much time is left."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from .choices import LIVE_STATES, ClockState
from .models import Clock, ClockEvent


@dataclass(frozen=True)
class TimeLeft:
    """What a deadline badge shows: the due moment, seconds left, and its colour class."""

    due_at: datetime
    seconds_left: float
    fraction_left: float
    status: str  # "plenty", "low" (under a quarter left), "overdue", "paused", "done"
    estimated: bool


def time_left(clock: Clock, now: datetime | None = None) -> TimeLeft:
    now = now or timezone.now()
    total = max(1.0, (clock.due_at - clock.started_at).total_seconds())
    left = (clock.due_at - now).total_seconds()
    if clock.state in (ClockState.MET, ClockState.CANCELLED):
        status = "done"
    elif clock.state == ClockState.PAUSED:
        status = "paused"
    elif left < 0 or clock.state == ClockState.BREACHED:
        status = "overdue"
    elif left / total < 0.25:
        status = "low"
    else:
        status = "plenty"
    return TimeLeft(clock.due_at, left, max(0.0, left / total), status, clock.estimated)


def clocks_for(subject: models.Model, *, live_only: bool = False) -> QuerySet[Clock]:
    clocks = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("policy", "owner", "department")
    if live_only:
        clocks = clocks.filter(state__in=[s.value for s in LIVE_STATES])
    return clocks.order_by("due_at")


def events_for(subject: models.Model) -> QuerySet[ClockEvent]:
    return (
        ClockEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .select_related("clock", "clock__policy", "actor")
        .order_by("at", "id")
    )


def live_clocks_by_subject(model: type[models.Model], subject_ids: Iterable[int]) -> dict[int, list[Clock]]:
    """The running, paused and overdue deadlines of these records, earliest first: one query
    whatever the number of records, so a list can show a deadline badge on every row."""
    ids = set(subject_ids)
    if not ids:
        return {}
    clocks = (
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(model),
            subject_id__in=ids,
            state__in=[s.value for s in LIVE_STATES],
        )
        .select_related("policy")
        .order_by("due_at", "id")
    )
    found: dict[int, list[Clock]] = defaultdict(list)
    for clock in clocks:
        found[clock.subject_id].append(clock)
    return found


def next_clock(clocks: Iterable[Clock], scope: str | None = None) -> Clock | None:
    """The deadline to show: the earliest running or overdue one (of ``scope`` when given),
    else a paused one."""
    chosen = [c for c in clocks if scope is None or c.scope == scope]
    running = [c for c in chosen if c.state != ClockState.PAUSED]
    first = running or chosen
    return first[0] if first else None
