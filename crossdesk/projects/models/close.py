"""Close: the retrospective (复盘), the archive list and the knowledge base
(SPEC §5 [003][004])."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly, TimeStampedModel
from crossdesk.core.records import ArchiveChild
from crossdesk.org.models import Department

from ..choices import RetrospectiveStatus
from .charter import Project, person_field


class Retrospective(ArchiveChild, TimeStampedModel):
    """The project's retrospective, due within 5 working days of entering closing
    (``project.retrospective``); final when the project may close."""

    archive_owner = "project"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="retrospective")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("retrospective meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_retrospectives",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RetrospectiveStatus.choices, default=RetrospectiveStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)
    due_at = models.DateTimeField(_("due by"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)
    finalised_by = person_field(_("finalised by"), optional=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=RetrospectiveStatus.FINAL)
                | (models.Q(finalised_at__isnull=False) & ~models.Q(went_well="") & ~models.Q(to_improve="")),
                name="projects_retrospective_final_complete",
                violation_error_message=_("A final retrospective says what went well and what to improve."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:retrospective", args=[self.project_id])


class Lesson(TimeStampedModel):
    """A knowledge base entry (知识库): a lesson, a reusable solution or template, from a
    project's retrospective; searched when new requests and projects are written."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    retrospective = models.ForeignKey(
        Retrospective, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("situation"), blank=True)
    lesson = models.TextField(_("lesson"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # The tags as plain text, for searching: JSON keeps Chinese as \u escapes on SQLite.
    tags_text = models.CharField(_("tags"), max_length=500, blank=True, editable=False)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="+"
    )
    author = person_field(_("author"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("knowledge base")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["published_at"], name="projects_lesson_published")]

    def __str__(self) -> str:
        return self.title


class ArchiveList(AppendOnly):
    """The archive list (归档文档清单) of all project documents, written when the project is
    archived: ``items`` is ``[{"kind": "minutes", "title": …, "ref": …, "url": …}, …]``."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="archive_list")
    items = models.JSONField(_("documents"))
    created_at = models.DateTimeField(_("created at"))
    created_by = person_field(_("created by"))

    class Meta:
        verbose_name = _("archive list")
        verbose_name_plural = _("archive lists")

    def __str__(self) -> str:
        return f"{self.project.number} · {self.created_at:%Y-%m-%d}"
