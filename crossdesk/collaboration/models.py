"""Collaboration requests (跨部门协作沟通与问题反馈表, SPEC §3 [000][004])."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import (
    HeadSignOff,
    StoredDocument,
    TimeStampedModel,
    person_field,
    random_upload_name,
)
from crossdesk.core.records import ArchiveChild, ArchivedRecord, HistoryEntry
from crossdesk.org.models import Department

from .choices import EntryKind, PartRole, PartStatus, RequestStatus, RequestType, Urgency


class Request(ArchivedRecord, TimeStampedModel):
    """One collaboration request or problem report, raised by a department to others.

    It has a number only once submitted (gap-free per year). Each involved department
    has its own :class:`RequestPart`; the request's status follows from its parts.
    ``version`` grows with every write, so an edit based on an old copy is refused.
    Archived, it is read-only (the guard of ``core.records``), except for the deadline
    columns the sweep still refreshes.
    """

    archive_writable = ("next_due_at", "is_overdue")
    # Set by the services on the row they changed: its parts as they left them, which the
    # API's answer reuses instead of reading them again.
    loaded_parts: list[RequestPart]

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    title = models.CharField(_("subject"), max_length=200)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    type = models.CharField(
        _("type"), max_length=16, choices=RequestType.choices, default=RequestType.COLLABORATION
    )
    type_other = models.CharField(_("other type"), max_length=100, blank=True)
    initiating_department = models.ForeignKey(
        Department,
        verbose_name=_("initiating department"),
        on_delete=models.PROTECT,
        related_name="requests_raised",
    )
    initiator = person_field(_("initiator"), related_name="requests_raised")
    initiator_phone = models.CharField(_("initiator's internal contact number"), max_length=32, blank=True)
    raised_on = models.DateField(_("date raised"), null=True, blank=True)
    background = models.TextField(_("background"), blank=True)
    current_situation = models.TextField(_("current situation"), blank=True)
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    resources_people = models.CharField(_("people needed"), max_length=500, blank=True)
    resources_budget = models.CharField(_("budget needed"), max_length=200, blank=True)
    resources_material = models.CharField(_("material needed"), max_length=500, blank=True)
    expected_completion_at = models.DateTimeField(_("expected completion"), null=True, blank=True)
    related_matter = models.CharField(_("related project or matter"), max_length=200, blank=True)
    cc_supervisor = models.BooleanField(_("copy the supervisor"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.TextField(_("comment on the rating"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    initiator_head = person_field(_("initiating department head who signed"), optional=True)
    initiator_head_signed_at = models.DateTimeField(
        _("signed by the initiating head at"), null=True, blank=True
    )
    initiator_head_signature = models.CharField(_("signature digest"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("collaboration request")
        verbose_name_plural = _("collaboration requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="collab_request_satisfaction_1_to_5",
                violation_error_message=_("Satisfaction is rated from 1 to 5."),
            ),
            models.UniqueConstraint(
                fields=["year", "number"],
                name="collab_request_number_per_year",
                condition=models.Q(number__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["initiating_department", "status", "-created_at"], name="collab_req_dept_status"
            ),
            models.Index(fields=["status", "next_due_at"], name="collab_req_status_due"),
            models.Index(fields=["initiator", "status"], name="collab_req_initiator"),
            models.Index(fields=["-submitted_at", "-id"], name="collab_req_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('Draft')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("collaboration:detail", args=[self.pk])

    @property
    def type_label(self) -> str:
        if self.type == RequestType.OTHER and self.type_other:
            return f"{self.get_type_display()}：{self.type_other}"
        return self.get_type_display()


class RequestPart(ArchiveChild, HeadSignOff):
    """One involved department's share of a request: its liaison, response, commitment,
    resolution and its head's sign-off. Informed departments have a part too, with no duties.
    """

    archive_owner = "request"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="request_parts"
    )
    role = models.CharField(_("role"), max_length=16, choices=PartRole.choices, default=PartRole.RECEIVING)
    status = models.CharField(
        _("status"), max_length=16, choices=PartStatus.choices, default=PartStatus.PENDING
    )
    status_before_wait = models.CharField(max_length=16, blank=True)
    liaison = person_field(_("liaison"), optional=True, related_name="request_parts")
    committed_at = models.DateTimeField(_("committed completion"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decline_alternative = models.TextField(_("proposed alternative"), blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    resolution = models.TextField(_("solution / collaboration content"), blank=True)
    completed_at = models.DateTimeField(_("completion time"), null=True, blank=True)
    responsible = person_field(
        _("responsible person"), optional=True, related_name="request_parts_responsible"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The current resource confirmation letter (its version, 0 before any) and whether its
    # head signed it: the rules read them without loading the letters.
    letter_version = models.PositiveSmallIntegerField(_("confirmation letter version"), default=0)
    letter_signed = models.BooleanField(_("confirmation letter signed"), default=False)

    class Meta:
        verbose_name = _("involved department")
        verbose_name_plural = _("involved departments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "department"],
                name="collab_part_one_per_department",
                violation_error_message=_("A department is involved in a request only once."),
            )
        ]
        indexes = [models.Index(fields=["department", "status"], name="collab_part_dept_status")]

    def __str__(self) -> str:
        return f"{self.request} · {self.department}"

    @property
    def is_receiving(self) -> bool:
        return self.role == PartRole.RECEIVING

    @property
    def clock_scope(self) -> str:
        return f"part:{self.pk}"


class ResourceLetter(ArchiveChild, HeadSignOff):
    """部门资源确认函 [004]: a receiving department's written answer to a request — whether
    it takes the task, its ONE liaison (contact, duties), the resources it commits (people
    by name or count, budget, material, from–to), its first milestones and risks; or, when
    it declines, its reasons and the alternative. Its head signs it.

    A letter is never overwritten: changing what was committed writes the next version
    (``version`` 1, 2, …), the old ones stay readable; only the head's sign-off is written
    onto an existing version, once.
    """

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Takes the task")
        DECLINE = "decline", _("Declines the task")

    archive_owner = "request"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="letters")
    part = models.ForeignKey(RequestPart, on_delete=models.CASCADE, related_name="letters")
    version = models.PositiveSmallIntegerField(_("version"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    liaison = person_field(_("liaison"), optional=True, related_name="resource_letters")
    liaison_contact = models.CharField(_("liaison's contact"), max_length=100, blank=True)
    liaison_duties = models.TextField(_("liaison's duties"), blank=True)
    people_names = models.CharField(_("people committed (names)"), max_length=500, blank=True)
    people_count = models.PositiveSmallIntegerField(_("people committed (count)"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget committed (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    material = models.CharField(_("material committed"), max_length=500, blank=True)
    resources_from = models.DateField(_("resources from"), null=True, blank=True)
    resources_to = models.DateField(_("resources until"), null=True, blank=True)
    milestones = models.JSONField(_("first milestones"), default=list, blank=True)
    risks = models.TextField(_("risks"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    alternative = models.TextField(_("proposed alternative"), blank=True)
    change_reason = models.TextField(_("why this version"), blank=True)
    author = person_field(_("written by"), related_name="+")
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("resource confirmation letter")
        verbose_name_plural = _("resource confirmation letters")
        ordering = ["part_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "version"],
                name="collab_letter_version_per_part",
                violation_error_message=_("This version of the letter exists already."),
            ),
            models.CheckConstraint(
                condition=models.Q(resources_from__isnull=True)
                | models.Q(resources_to__isnull=True)
                | models.Q(resources_to__gte=models.F("resources_from")),
                name="collab_letter_resources_in_order",
                violation_error_message=_("Resources end before they start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part} · v{self.version}"

    @property
    def accepts(self) -> bool:
        return self.decision == self.Decision.ACCEPT


class TimelineEntry(HistoryEntry):
    """The request's append-only history: communication log entries, status changes,
    attachments and sign-offs. An entry is never edited or deleted; a correction is a new
    entry pointing at the one it corrects.
    """

    owner_field = "request"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="timeline")
    part = models.ForeignKey(
        RequestPart, null=True, blank=True, on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    participants = models.CharField(_("departments / people taking part"), max_length=500, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    is_first_contact = models.BooleanField(_("first confirmation call or meeting"), default=False)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["request", "at"], name="collab_timeline_request")]


def attachment_path(instance: Attachment, filename: str) -> str:
    return random_upload_name(f"requests/{instance.request_id}", filename)


class Attachment(ArchiveChild, StoredDocument):
    """A document or screenshot on a request, served only to people who may see the request."""

    archive_owner = "request"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)

    class Meta(StoredDocument.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class RequestInvolvement(models.Model):
    """One row per submitted request and department involved in it (initiating, receiving
    or informed), copying what the department inbox filters and sorts on.

    With a million requests, "requests involving my department, newest first, page 2000"
    over requests ⋈ parts scans every request (measured ~1 s); here it is a range scan of
    one index. The services keep it in step in the same transaction as every change.
    """

    class Role(models.TextChoices):
        INITIATING = "initiating", _("Initiating")
        RECEIVING = "receiving", _("Must act")
        INFORMED = "informed", _("Informed")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="involvements")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=RequestStatus.choices)
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    type = models.CharField(max_length=16, choices=RequestType.choices)
    submitted_at = models.DateTimeField()
    raised_on = models.DateField(null=True)
    next_due_at = models.DateTimeField(null=True)
    is_overdue = models.BooleanField(default=False)
    confidential = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "department"], name="collab_involvement_unique")
        ]
        indexes = [
            models.Index(fields=["department", "-submitted_at", "-request"], name="collab_inv_dept_recent"),
            models.Index(
                fields=["department", "status", "-submitted_at", "-request"], name="collab_inv_dept_status"
            ),
            models.Index(fields=["department", "next_due_at", "request"], name="collab_inv_dept_due"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.department_id} ({self.role})"
