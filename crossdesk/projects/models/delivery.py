"""Deliverables (成果交付清单) with evidence, acceptance and rework (SPEC §5 [004])."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly, StoredDocument, TimeStampedModel, random_upload_name
from crossdesk.core.records import ArchiveChild

from ..choices import DeliverableStatus, EvidenceKind, ReviewDecision
from .charter import Project, ProjectDepartment, person_field
from .plan import Task


class Deliverable(ArchiveChild, TimeStampedModel):
    """A deliverable submitted with evidence and accepted against the delivery standard,
    or sent back; rework is due within 3 working days (``deliverable.rework``)."""

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliverables",
    )
    name = models.CharField(_("deliverable"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    delivery_standard = models.TextField(_("delivery standard"), blank=True)
    responsible = models.ForeignKey(
        ProjectDepartment,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="deliverables",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED
    )
    round = models.PositiveSmallIntegerField(_("submission"), default=0)
    submitted_by = person_field(_("submitted by"), optional=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("sent back at"), null=True, blank=True)
    rework_due_at = models.DateTimeField(_("rework due"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = person_field(_("accepted by"), optional=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["project_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=DeliverableStatus.ACCEPTED)
                | models.Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="projects_deliverable_accepted_by",
                violation_error_message=_("An accepted deliverable records who accepted it and when."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeliverableStatus.RETURNED)
                | models.Q(rework_due_at__isnull=False),
                name="projects_deliverable_rework_due",
                violation_error_message=_("A deliverable sent back has a rework deadline."),
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="projects_deliverable_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:deliverable_detail", args=[self.project_id, self.pk])


def evidence_path(instance: DeliverableEvidence, filename: str) -> str:
    return random_upload_name(f"projects/{instance.deliverable.project_id}/deliverables", filename)


class DeliverableEvidence(ArchiveChild, StoredDocument):
    """Evidence submitted with a deliverable (report, file, feedback), per submission round."""

    archive_owner = "deliverable__project"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices, default=EvidenceKind.FILE)
    round = models.PositiveSmallIntegerField(_("submission"), default=1)
    note = models.TextField(_("note"), blank=True)

    class Meta(StoredDocument.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class DeliverableReview(AppendOnly):
    """An acceptance decision on one submission: accepted, or sent back with findings."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("submission"))
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    reviewer = person_field(_("reviewer"))
    comment = models.TextField(_("findings"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("acceptance review")
        verbose_name_plural = _("acceptance reviews")
        ordering = ["deliverable_id", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "round"],
                name="projects_one_review_per_round",
                violation_error_message=_("This submission has already been reviewed."),
            ),
            models.CheckConstraint(
                condition=~models.Q(decision=ReviewDecision.RETURNED) | ~models.Q(comment=""),
                name="projects_return_has_findings",
                violation_error_message=_("Sending back says what falls short of the standard."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} #{self.round}: {self.get_decision_display()}"


class DeliverableSubmission(AppendOnly):
    """One submission round: who submitted, when, the note, and whether it came after the
    rework deadline. With the evidence and the review of the same round, it keeps every
    round of a deliverable as it was [004]."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="submissions")
    round = models.PositiveSmallIntegerField(_("submission"))
    note = models.TextField(_("note"), blank=True)
    submitted_by = person_field(_("submitted by"))
    at = models.DateTimeField(_("time"))
    rework_due_at = models.DateTimeField(_("rework due"), null=True, blank=True)
    late = models.BooleanField(_("after the rework deadline"), default=False)

    class Meta:
        verbose_name = _("deliverable submission")
        verbose_name_plural = _("deliverable submissions")
        ordering = ["deliverable_id", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "round"],
                name="projects_one_submission_per_round",
                violation_error_message=_("This submission round already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} #{self.round}"
