"""Writes of the search index: a record's document rebuilt in the transaction of the
change that altered it (receivers.py), and the full rebuild (``crossdesk reindex``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from .documents import SOURCES
from .models import SearchDocument
from .segment import index_terms, load_organisation_words

CHUNK = 500


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
