"""Enqueue due periodic jobs exactly once, however many schedulers run."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from crossdesk.schedule import JOBS, PeriodicJob

from .models import ScheduledJobState

logger = logging.getLogger(__name__)


def claim_due_run(job: PeriodicJob, now=None) -> bool:
    """Advance the job's next run if it is due. True for exactly one caller per run."""
    now = now or timezone.now()
    state, _created = ScheduledJobState.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    if state.next_run_at > now:
        return False
    # The conditional update is the lock: a second scheduler that read the same row
    # matches nothing because next_run_at has already moved.
    claimed = ScheduledJobState.objects.filter(pk=state.pk, next_run_at=state.next_run_at).update(
        next_run_at=now + job.every, last_run_at=now
    )
    return claimed == 1


def run_due_jobs(now=None) -> list[str]:
    """One scheduler tick: enqueue each due job once. Returns the names enqueued."""
    enqueued = []
    for job in JOBS:
        if claim_due_run(job, now):
            task = import_string(job.task_path)
            transaction.on_commit(task.enqueue)
            enqueued.append(job.name)
    for name in enqueued:
        logger.debug("scheduler: enqueued %s", name)  # routine; LOG_LEVEL=DEBUG shows it
    return enqueued
