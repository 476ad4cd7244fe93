from django_tasks import task


@task()
def refresh_statutory_days() -> None:
    """Re-seed statutory holidays from chinese-calendar (a newer release may know more years)."""
