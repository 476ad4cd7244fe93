"""The search index: one row per searchable record, kept with the record's own change."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REQUEST = "request", _("Collaboration request")
    MEETING = "meeting", _("Meeting")
    ACTION_ITEM = "actionitem", _("Action item")
    PROJECT = "project", _("Project")
    LESSON = "lesson", _("Project lesson")
    KNOWLEDGE = "knowledge", _("Knowledge base entry")
    PERSON = "person", _("Person")
    DEPARTMENT = "department", _("Department")


class SearchDocument(models.Model):
    """What one record says, as the search sees it: its title and number, its whole text
    (fields, log entries, minutes, parts) and the same split into terms by jieba
    (``title_terms``, ``body_terms``). The full-text index over the terms is the database's
    own: an FTS5 table kept by triggers on SQLite, a generated ``tsvector`` with a GIN index
    on PostgreSQL (migration 0002). Who may see a hit is never stored here: it is asked of
    the owning app's visibility at query time."""

    object_type = models.CharField(_("record type"), max_length=50)
    object_id = models.BigIntegerField(_("record id"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=32, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=200)
    # "|3|7|": the departments involved, for the department filter (one LIKE, both databases).
    departments = models.CharField(_("departments"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=32, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # For similar cases: the resolution, the solving departments, time taken and rating.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="search_document_unique")
        ]
        indexes = [models.Index(fields=["kind", "-date"], name="search_kind_date")]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.title}"


class PendingDocument(models.Model):
    """A record whose document is to be rebuilt (queued indexing): written in the change's
    own transaction, so it commits or rolls back with the change and a crash after the
    commit loses nothing; the worker rebuilds the document and deletes the row. ``token``
    is new at every mark: a row marked again while it is being rebuilt is kept for another
    round. ``leased_until`` holds off other workers while one rebuilds it; after a killed
    worker the lease runs out and the row is taken again."""

    object_type = models.CharField(_("record type"), max_length=50)
    object_id = models.BigIntegerField(_("record id"))
    token = models.UUIDField(default=uuid.uuid4)
    marked_at = models.DateTimeField(_("marked at"))
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("document to rebuild")
        verbose_name_plural = _("documents to rebuild")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="search_pending_unique")
        ]
        indexes = [models.Index(fields=["marked_at"], name="search_pending_marked")]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"
