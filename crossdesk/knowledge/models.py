"""The knowledge base (issue 13 §3): solutions worth keeping, published from a resolved
request, a project's lesson or a meeting's consensus, one entry per source."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.org.models import Department, Person


class SourceType(models.TextChoices):
    REQUEST = "collaboration.request", _("Collaboration request")
    LESSON = "projects.lesson", _("Project lesson")
    MEETING = "meetings.meeting", _("Meeting consensus")


class Entry(models.Model):
    """One knowledge-base entry: a problem and how it was solved, with the departments it
    concerns and tags, linked to the record it came from.

    ``confidential`` is copied from the source when published; such an entry is shown only
    to whoever may see ``scope_type`` / ``scope_id`` (the request, the lesson's project or
    the meeting), asked through the registry's visibility of that record type.
    """

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"))
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="+"
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # ",tag1,tag2," for searching and exact tag filters: JSON keeps Chinese as \u escapes on SQLite.
    tags_text = models.CharField(_("tags"), max_length=600, blank=True, editable=False)
    source_type = models.CharField(_("source type"), max_length=40, choices=SourceType.choices)
    source_id = models.PositiveBigIntegerField(_("source id"))
    source_url = models.CharField(_("source link"), max_length=500, blank=True)
    source_label = models.CharField(_("source"), max_length=250, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    scope_type = models.CharField(_("visible with"), max_length=40, blank=True)
    scope_id = models.PositiveBigIntegerField(_("visible with id"), null=True, blank=True)
    published_by = models.ForeignKey(
        Person, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="knowledge_entries"
    )
    published_at = models.DateTimeField(_("published at"))
    views = models.PositiveIntegerField(_("views"), default=0)
    helpful = models.PositiveIntegerField(_("found helpful"), default=0)

    class Meta:
        verbose_name = _("knowledge base entry")
        verbose_name_plural = _("knowledge base entries")
        ordering = ["-helpful", "-views", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                name="knowledge_entry_one_per_source",
                violation_error_message=_("This record is already in the knowledge base."),
            ),
        ]
        indexes = [
            models.Index(fields=["-helpful", "-views", "-published_at"], name="knowledge_entry_useful"),
            models.Index(fields=["scope_type", "scope_id"], name="knowledge_entry_scope"),
        ]

    def __str__(self) -> str:
        return self.title


class HelpfulMark(models.Model):
    """One person found one entry helpful (at most once; taking it back deletes the row)."""

    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="marks")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "person"],
                name="knowledge_helpful_once_per_person",
                violation_error_message=_("You already marked this entry as helpful."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.person_id}"
