"""Queued indexing (production's default): a change marks its records' documents in its
own transaction, a worker rebuilds them after the commit, and no mark is ever lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.collaboration.tests import factories as requests
from crossdesk.schedule import JOBS
from crossdesk.search import services
from crossdesk.search.models import PendingDocument, SearchDocument
from crossdesk.search.selectors import SearchParams, search

pytestmark = pytest.mark.django_db
REQUEST = "collaboration.request"


@pytest.fixture
def queued(settings):
    settings.CROSSDESK_SEARCH_INDEXING = "queued"


def found(user, q):
    return [(h.kind, h.id) for h in search(user=user, params=SearchParams(q=q)).items]


def pending():
    return set(PendingDocument.objects.values_list("object_type", "object_id"))


def test_a_change_marks_its_document_and_the_worker_builds_it(personas, queued):
    request = requests.submitted(personas)
    assert (REQUEST, request.pk) in pending()
    assert not SearchDocument.objects.filter(object_type=REQUEST, object_id=request.pk).exists()
    assert services.pending_documents_rebuild() >= 1
    assert pending() == set()
    assert ("request", request.pk) in found(personas.mkt_staff.user, "延迟 物流")


def test_the_commit_queues_the_rebuild(personas, queued, django_capture_on_commit_callbacks):
    # The test backend runs a queued task at once: the commit's nudge builds the document.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = requests.submitted(personas)
    assert callbacks, "the transaction registered no rebuild"
    assert pending() == set()
    assert ("request", request.pk) in found(personas.mkt_staff.user, "物流延迟")


def test_a_record_is_marked_once_per_transaction(personas, queued):
    request = requests.submitted(personas)
    PendingDocument.objects.all().delete()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            services.document_mark(object_type=REQUEST, object_id=request.pk)
    writes = [q for q in queries.captured_queries if "search_pendingdocument" in q["sql"]]
    assert len(writes) == 1
    assert pending() == {(REQUEST, request.pk)}


def test_a_mark_rolled_back_with_its_savepoint_is_made_again(personas, queued):
    request = requests.submitted(personas)
    PendingDocument.objects.all().delete()
    with transaction.atomic():
        try:
            with transaction.atomic():
                services.document_mark(object_type=REQUEST, object_id=request.pk)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
        assert pending() == set()
        services.document_mark(object_type=REQUEST, object_id=request.pk)
    assert pending() == {(REQUEST, request.pk)}


def test_a_failed_change_leaves_no_mark(personas, queued):
    request = requests.submitted(personas)
    PendingDocument.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        request.title = "改了又撤回"
        request.save()
        raise RuntimeError("rolled back")
    assert pending() == set()


def test_a_record_marked_again_while_it_is_rebuilt_stays_for_the_next_round(personas, queued, monkeypatch):
    request = requests.submitted(personas)
    refresh = services.document_refresh

    def change_meanwhile(**kwargs):
        document = refresh(**kwargs)
        # A change commits while the worker builds: its mark has a new token.
        PendingDocument.objects.filter(object_type=REQUEST, object_id=request.pk).update(
            token="00000000-0000-0000-0000-000000000001", leased_until=None
        )
        return document

    monkeypatch.setattr(services, "document_refresh", change_meanwhile)
    services.pending_documents_rebuild()
    assert (REQUEST, request.pk) in pending()
    monkeypatch.setattr(services, "document_refresh", refresh)
    services.pending_documents_rebuild()
    assert pending() == set()


def test_a_leased_row_waits_until_its_lease_runs_out(personas, queued):
    request = requests.submitted(personas)
    PendingDocument.objects.update(leased_until=timezone.now() + timedelta(seconds=30))
    assert services.pending_documents_rebuild() == 0
    assert (REQUEST, request.pk) in pending()
    # The worker that held it was killed: the lease runs out and another takes the row.
    PendingDocument.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    assert services.pending_documents_rebuild() >= 1
    assert pending() == set()
    assert PendingDocument.objects.count() == 0


def test_one_record_that_fails_to_build_does_not_hold_up_the_others(personas, queued, monkeypatch):
    first = requests.submitted(personas)
    second = requests.submitted(personas, title="第二个请求")
    refresh = services.document_refresh

    def broken_for_first(*, object_type, object_id):
        if object_id == first.pk and object_type == REQUEST:
            raise ValueError("cannot build")
        return refresh(object_type=object_type, object_id=object_id)

    monkeypatch.setattr(services, "document_refresh", broken_for_first)
    services.pending_documents_rebuild()
    assert (REQUEST, first.pk) in pending()
    assert (REQUEST, second.pk) not in pending()
    row = PendingDocument.objects.get(object_type=REQUEST, object_id=first.pk)
    assert row.attempts == 1 and row.leased_until is not None


def test_inline_indexing_builds_in_the_change_s_transaction(personas):
    request = requests.submitted(personas)
    assert pending() == set()
    assert SearchDocument.objects.filter(object_type=REQUEST, object_id=request.pk).exists()


def test_the_sweep_is_a_periodic_job():
    job = next(j for j in JOBS if j.name == "search.rebuild_pending")
    assert job.every <= timedelta(seconds=15)
    assert job.task_path == "crossdesk.search.tasks.rebuild_pending_documents"
