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


@task()
def generate_communication_occurrences() -> int:
    """Keep every running project's regular communication meetings called 4 weeks ahead
    (idempotent: one occurrence per row and day). Returns how many meetings were called."""
    from .flows import comm_generate_all

    return comm_generate_all()


@task()
def send_communication_reminders() -> int:
    """Remind the owners of chat-group (e-mail, other) plan rows whose time is near
    (every 5 minutes; each occurrence once, the latest only after downtime)."""
    from django.db import transaction

    from .services.comms import comm_reminders_send

    with transaction.atomic():
        return comm_reminders_send()
