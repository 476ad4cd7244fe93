"""Background work of the outbox. Both tasks are safe to run any number of times at once."""

from django_tasks import task


@task()
def drain_outbox() -> dict:
    """Route new notifications and deliver what is due; queue a successor if time ran out."""
    from .services import outbox_drain

    report = outbox_drain()
    if report.more:
        drain_outbox.enqueue()
    return report.as_dict()


@task()
def watch_outbox() -> bool:
    """Periodic safety net (crossdesk/schedule.py): queue a drain when anything is waiting —
    a retry whose backoff ended, a quiet-hours message, a digest, or a lease a killed worker
    left behind — so nothing waits for the next notification to be written."""
    from .services import outbox_has_due_work

    if outbox_has_due_work():
        drain_outbox.enqueue()
        return True
    return False
