"""Background jobs of the search app (the sweep is listed in ``crossdesk/schedule.py``)."""

from django_tasks import task


@task()
def rebuild_pending_documents() -> int:
    """Rebuild the documents marked by committed changes (queued after each commit, and
    every 15 seconds as the sweep for marks whose nudge was lost). Returns how many."""
    from .services import pending_documents_rebuild

    return pending_documents_rebuild()
