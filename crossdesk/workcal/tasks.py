from django_tasks import task


@task()
def refresh_statutory_days() -> list[int]:
    """Re-seed statutory holidays from chinese-calendar (a newer release may know more years).

    Idempotent: nothing changes, and no deadline is recomputed, when the data is the same.
    Returns the years that changed.
    """
    from .services import statutory_days_seed

    return statutory_days_seed()
