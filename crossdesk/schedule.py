"""THE list of periodic jobs. The scheduler only enqueues what is due; the work lives in
the owning app's ``tasks.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task_path: str  # dotted path to a django-tasks Task


JOBS: list[PeriodicJob] = [
    # New chinese-calendar releases add the coming year's schedule; keep our table in step.
    PeriodicJob(
        "workcal.refresh_statutory", timedelta(hours=24), "crossdesk.workcal.tasks.refresh_statutory_days"
    ),
    PeriodicJob("deadlines.sweep", timedelta(minutes=1), "crossdesk.deadlines.tasks.sweep_deadlines"),
    PeriodicJob("org.purge_import_files", timedelta(hours=24), "crossdesk.org.tasks.purge_import_files"),
    # Outbox safety net: retries after backoff, quiet hours, digests and leases left by a killed
    # worker are picked up within seconds of falling due (lease 30 s + 15 s < 1 minute).
    PeriodicJob("notify.watch_outbox", timedelta(seconds=15), "crossdesk.notify.tasks.watch_outbox"),
    PeriodicJob("core.prune_task_results", timedelta(hours=24), "crossdesk.core.tasks.prune_task_results"),
]
