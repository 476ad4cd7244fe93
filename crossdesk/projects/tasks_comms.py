"""Background work of the communication plan (listed in ``crossdesk/schedule.py``)."""

from django_tasks import task


@task()
def generate_communication_occurrences() -> int:
    """Keep every running project's regular communication meetings called 4 weeks ahead
    (idempotent: one occurrence per row and day). Returns how many meetings were called."""
    from .services.comms import comm_generate_all

    return comm_generate_all()
