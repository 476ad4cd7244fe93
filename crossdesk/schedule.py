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
    # Search documents marked by committed changes whose queued rebuild was lost (a worker or
    # broker restart between the commit and the job): rebuilt within 15 seconds.
    PeriodicJob(
        "search.rebuild_pending", timedelta(seconds=15), "crossdesk.search.tasks.rebuild_pending_documents"
    ),
    PeriodicJob("core.prune_task_results", timedelta(hours=24), "crossdesk.core.tasks.prune_task_results"),
    # SPEC §6: the audit trail is kept CROSSDESK_AUDIT_RETENTION_DAYS (two years at least), then dropped.
    PeriodicJob("audit.purge", timedelta(hours=24), "crossdesk.audit.tasks.purge_audit_events"),
    # SPEC §5: task health follows the calendar as days pass (troubled tasks start their 48-hour
    # coordination clock); weekly progress lists go out on each week's last working day.
    PeriodicJob(
        "projects.refresh_task_health", timedelta(hours=1), "crossdesk.projects.tasks.refresh_task_health"
    ),
    PeriodicJob(
        "projects.weekly_reports", timedelta(hours=1), "crossdesk.projects.tasks.generate_weekly_reports"
    ),
    # Keep every running project's regular communication-plan meetings called 4 weeks ahead.
    PeriodicJob(
        "projects.comm_occurrences",
        timedelta(hours=24),
        "crossdesk.projects.tasks.generate_communication_occurrences",
    ),
    # A chat-group row of the plan reminds its owner shortly before its time (no meeting).
    PeriodicJob(
        "projects.comm_reminders",
        timedelta(minutes=5),
        "crossdesk.projects.tasks.send_communication_reminders",
    ),
]
