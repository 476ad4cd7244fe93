"""Background work of the organisation app."""

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    """Run one import job; safe to deliver twice (only a pending job is claimed)."""
    from .services import import_job_run

    import_job_run(job_id=job_id)


@task()
def purge_import_files() -> int:
    """Uploaded import files hold personal data; they are deleted 30 days after the job."""
    from .services import import_files_purge

    return import_files_purge()
