"""Change requests (变更申请), the affected heads' approvals and the plan's versions
(SPEC §5 [004])."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly, TimeStampedModel
from crossdesk.core.records import ArchiveChild
from crossdesk.org.models import Department

from ..choices import ApprovalDecision, ChangeStatus
from .charter import Project, person_field


class ChangeRequest(ArchiveChild, TimeStampedModel):
    """A change of goal, scope, dates or resources: what, why, impact and the proposed
    plan changes; approved by the heads of the affected departments, then applied as a
    new ``PlanVersion``.

    ``aspects`` lists ``ChangeAspect`` values; ``proposal`` holds the structured changes
    (e.g. ``{"tasks": [{"id": 3, "planned_finish": "2026-10-20"}], "goal_metrics": [...]}``).
    """

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("subject"), max_length=200)
    aspects = models.JSONField(_("what changes"), default=list)
    description = models.TextField(_("the change"))
    reason = models.TextField(_("why"))
    impact = models.TextField(_("impact"), blank=True)
    proposal = models.JSONField(_("proposed plan changes"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT
    )
    requested_by = person_field(_("requested by"), related_name="project_changes")
    requesting_department = models.ForeignKey(
        Department, verbose_name=_("requesting department"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["project_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="projects_change_number_unique",
                violation_error_message=_("This change request number is already used in the project."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=ChangeStatus.DRAFT) | models.Q(submitted_at__isnull=False),
                name="projects_change_submitted_moment",
                violation_error_message=_("A submitted change request has a submission moment."),
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="projects_change_status")]

    def __str__(self) -> str:
        return f"{self.project.number} CR-{self.number:02d} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:change_detail", args=[self.project_id, self.pk])


class ChangeApproval(ArchiveChild):
    """The decision of one affected department's head on a change request, signed
    (``signature``: see ``selectors.changes.signed_content``)."""

    archive_owner = "change_request__project"

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="approvals")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    head = person_field(_("head who decided"), optional=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    signature = models.CharField(_("signature digest"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("change approval")
        verbose_name_plural = _("change approvals")
        ordering = ["change_request_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "department"],
                name="projects_one_approval_per_department",
                violation_error_message=_("A department decides on a change request once."),
            ),
            models.CheckConstraint(
                condition=models.Q(decision=ApprovalDecision.PENDING)
                | models.Q(head__isnull=False, decided_at__isnull=False),
                name="projects_approval_decided_by_head",
                violation_error_message=_("A decision records the head and the moment."),
            ),
            models.CheckConstraint(
                condition=~models.Q(decision=ApprovalDecision.REJECTED) | ~models.Q(comment=""),
                name="projects_rejection_has_reason",
                violation_error_message=_("A rejection says why."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.change_request} · {self.department}: {self.get_decision_display()}"


class PlanVersion(AppendOnly):
    """A snapshot of the plan (goal metrics, sub-goals, tasks with dates and RACI) as
    agreed: version 1 at kickoff, one more per applied change request [004]."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("plan"))
    reason = models.TextField(_("why"), blank=True)
    change_request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_versions"
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = person_field(_("created by"))

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["project_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="projects_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project.number} v{self.number}"
