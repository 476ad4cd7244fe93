"""The index follows every change from the change's own transaction: a receiver on each
row a document reads marks the documents it belongs to (``documents.DEPENDENTS``).

post_save and post_delete run inside the service's ``transaction.atomic()``, so the mark
commits or rolls back with the change; a worker rebuilds the marked documents after the
commit (services.document_mark). Queuing the rebuild only in ``on_commit`` would lose it
to a crash between the two; the committed mark cannot be lost. Writes that send no signals (``QuerySet.update``,
``bulk_create``) are caught up by ``crossdesk reindex``; no hit can leak through a stale
row either way, because who may see it is asked of the record's own app at query time.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from crossdesk.org.models import Department, Person
from crossdesk.projects.models import Project

from . import segment
from .documents import DEPENDENTS, MANY_TO_MANY
from .services import document_mark

NAMED = (Department, Person, Project)


def refresh(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the rows are not all there yet; reindex afterwards
        return
    if isinstance(instance, NAMED):
        segment.add_words([getattr(instance, "name", "")])
    for object_type, object_id in DEPENDENTS[sender](instance):
        if object_id is not None:
            document_mark(object_type=object_type, object_id=object_id)


def refresh_many(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    object_type = MANY_TO_MANY[sender]
    # From the record's side the instance is the record; from the other side, pk_set holds them.
    for object_id in [instance.pk] if not reverse else sorted(pk_set or ()):
        document_mark(object_type=object_type, object_id=object_id)


def connect() -> None:
    for through in MANY_TO_MANY:
        m2m_changed.connect(refresh_many, sender=through, dispatch_uid=f"search:{through._meta.label_lower}")
    for model in DEPENDENTS:
        uid = f"search:{model._meta.label_lower}"
        post_save.connect(refresh, sender=model, dispatch_uid=uid)
        post_delete.connect(refresh, sender=model, dispatch_uid=uid)
