from django_tasks import task


@task()
def purge_audit_events() -> int:
    """Drop audit rows past the retention period (CROSSDESK_AUDIT_RETENTION_DAYS, two years at least)."""
    from .services import events_purge

    return events_purge()
