"""Writes of the search index: a record's document marked in the transaction of the change
that altered it (receivers.py) and rebuilt after the commit by a worker (or rebuilt at once
with ``CROSSDESK_SEARCH_INDEXING=inline``), and the full rebuild (``crossdesk reindex``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from .documents import SOURCES
from .models import PendingDocument, SearchDocument
from .segment import index_terms, load_organisation_words

CHUNK = 500
logger = logging.getLogger(__name__)


def _with_terms(data: dict) -> dict:
    data = dict(data)
    data["title_terms"] = index_terms(f"{data['number']} {data['title']}")
    data["body_terms"] = index_terms(data["body"])
    data.setdefault("extra", {})
    data["title"] = data["title"][:300]
    return data


def document_refresh(*, object_type: str, object_id: Any) -> SearchDocument | None:
    """Rebuild one record's document from the record as it is now (inside the caller's
    transaction); remove it when the record is gone or not searched (a draft request)."""
    source = SOURCES[object_type]
    row = source.rows().filter(pk=object_id).first()
    data = source.build(row) if row is not None else None
    if data is None:
        SearchDocument.objects.filter(object_type=object_type, object_id=object_id).delete()
        return None
    document, _created = SearchDocument.objects.update_or_create(
        object_type=object_type, object_id=object_id, defaults=_with_terms(data)
    )
    return document


class _CommitNudge:
    """The on_commit callback of one transaction that marked documents: once the marks are
    committed it queues their rebuild. It also remembers what this transaction marked, with
    the savepoints open at the time, so a record is marked once per transaction, and marked
    again when the savepoint of its first mark was rolled back."""

    def __init__(self) -> None:
        self.marked: dict[tuple[str, Any], tuple[str, ...]] = {}

    def __call__(self) -> None:
        from .tasks import rebuild_pending_documents

        rebuild_pending_documents.enqueue()


def _nudge_of_this_transaction() -> _CommitNudge | None:
    if not connection.in_atomic_block:
        return None
    for registered in connection.run_on_commit:
        callback = registered[1]  # (savepoint ids, callback, robust)
        if isinstance(callback, _CommitNudge):
            return callback
    nudge = _CommitNudge()
    # robust: the marks are committed whatever happens to the nudge; the sweep finds them.
    transaction.on_commit(nudge, robust=True)
    return nudge


def document_mark(*, object_type: str, object_id: Any) -> None:
    """Note that a record's document must follow a change, in the change's transaction:
    rebuilt right away when indexing is inline, else marked (one row, a few hundred
    microseconds) and rebuilt by a worker once the change commits."""
    if settings.CROSSDESK_SEARCH_INDEXING == "inline":
        document_refresh(object_type=object_type, object_id=object_id)
        return
    key = (object_type, object_id)
    open_savepoints = tuple(connection.savepoint_ids)
    nudge = _nudge_of_this_transaction()
    if nudge is not None:
        earlier = nudge.marked.get(key)
        if earlier is not None and open_savepoints[: len(earlier)] == earlier:
            return
        nudge.marked[key] = open_savepoints
    PendingDocument.objects.bulk_create(
        [PendingDocument(object_type=object_type, object_id=object_id, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["object_type", "object_id"],
        update_fields=["token", "marked_at", "leased_until"],
    )
    if nudge is None:  # autocommit: the mark is committed already
        _CommitNudge()()


def _unleased() -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lt=timezone.now())


def pending_documents_rebuild(*, batch: int = 500) -> int:
    """Rebuild the marked documents, oldest mark first, a batch at a time for as long as
    batches come full, each under a lease: a row is taken (its lease set in its own short
    statement), its document rebuilt and the row deleted in one transaction, unless it was
    marked again meanwhile (its token changed), in which case it stays for the next round.
    A worker killed mid-way leaves a lease that runs out. Returns the documents rebuilt."""
    lease = timedelta(seconds=settings.CROSSDESK_SEARCH_LEASE_SECONDS)
    rebuilt = 0
    while True:
        candidates = list(
            PendingDocument.objects.filter(_unleased())
            .order_by("marked_at")
            .values("pk", "token", "object_type", "object_id")[:batch]
        )
        for row in candidates:
            taken = (
                PendingDocument.objects.filter(pk=row["pk"], token=row["token"])
                .filter(_unleased())
                .update(leased_until=timezone.now() + lease, attempts=F("attempts") + 1)
            )
            if not taken:  # another worker has it, or it was marked again: a later round
                continue
            try:
                with transaction.atomic():
                    document_refresh(object_type=row["object_type"], object_id=row["object_id"])
                    PendingDocument.objects.filter(pk=row["pk"], token=row["token"]).delete()
            except Exception:
                # One record that cannot be built must not hold up the others; its lease runs
                # out and it is tried again (attempts counts the tries, for the admin).
                logger.exception("search: rebuilding %s:%s failed", row["object_type"], row["object_id"])
                continue
            rebuilt += 1
        if len(candidates) < batch:
            return rebuilt


def index_rebuild(
    *, object_types: list[str] | None = None, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Rebuild the documents of every record (or of ``object_types``), a chunk of rows per
    transaction, so searches keep answering meanwhile; documents of records gone are removed.
    ``progress(object_type, done, total)`` is called after each chunk. Returns the documents written."""
    load_organisation_words(force=True)
    written = 0
    for object_type in object_types or list(SOURCES):
        source = SOURCES[object_type]
        ids = list(source.rows().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = source.rows().filter(pk__in=chunk).order_by("pk")
            documents = []
            for row in rows:
                data = source.build(row)
                if data is not None:
                    documents.append(
                        SearchDocument(object_type=object_type, object_id=row.pk, **_with_terms(data))
                    )
            with transaction.atomic():
                SearchDocument.objects.filter(object_type=object_type, object_id__in=chunk).delete()
                SearchDocument.objects.bulk_create(documents)
            written += len(documents)
            if progress:
                progress(object_type, min(start + CHUNK, len(ids)), len(ids))
        model = source.rows().model
        gone = ~Exists(model._base_manager.filter(pk=OuterRef("object_id")))
        SearchDocument.objects.filter(object_type=object_type).filter(gone).delete()
        if progress and not ids:
            progress(object_type, 0, 0)
    return written
