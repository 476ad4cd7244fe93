from datetime import timedelta

import pytest
from django.utils import timezone

from crossdesk.core.models import ScheduledJobState
from crossdesk.core.scheduling import claim_due_run
from crossdesk.schedule import JOBS, PeriodicJob

pytestmark = pytest.mark.django_db

JOB = PeriodicJob("test.job", timedelta(minutes=5), "crossdesk.core.tasks.prune_task_results")


def test_it_claims_a_due_run_once_however_many_schedulers_ask():
    now = timezone.now()
    assert claim_due_run(JOB, now) is True
    assert claim_due_run(JOB, now) is False
    assert ScheduledJobState.objects.get(name=JOB.name).next_run_at == now + JOB.every


def test_a_second_scheduler_that_read_the_same_row_claims_nothing():
    now = timezone.now()
    ScheduledJobState.objects.create(name=JOB.name, next_run_at=now - timedelta(minutes=1))
    stale = ScheduledJobState.objects.get(name=JOB.name)
    assert claim_due_run(JOB, now) is True
    # The second scheduler's conditional update names the old next_run_at and matches nothing.
    assert (
        ScheduledJobState.objects.filter(pk=stale.pk, next_run_at=stale.next_run_at).update(last_run_at=now)
        == 0
    )


def test_it_runs_again_when_the_interval_has_passed():
    now = timezone.now()
    claim_due_run(JOB, now)
    assert claim_due_run(JOB, now + timedelta(minutes=4)) is False
    assert claim_due_run(JOB, now + timedelta(minutes=5)) is True


def test_every_listed_job_points_at_a_task():
    from django.utils.module_loading import import_string

    for job in JOBS:
        assert hasattr(import_string(job.task_path), "enqueue"), job.name
