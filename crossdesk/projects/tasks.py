"""Background jobs of the projects app (listed in ``crossdesk/schedule.py``)."""

from django_tasks import task


@task()
def refresh_task_health() -> int:
    """Re-derive every open task's health as days pass; opens coordinations (hourly)."""
    from .services.tracking import tracking_refresh

    return tracking_refresh()


@task()
def generate_weekly_reports() -> int:
    """Make the weekly progress lists that are due (hourly; idempotent)."""
    from .services.reports import weekly_reports_due

    return weekly_reports_due()
