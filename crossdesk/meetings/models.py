"""Coordination meetings, their minutes and action items (跨部门沟通协调记录表, SPEC §4 [001][002])."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import (
    AppendOnly,
    HeadSignOff,
    StoredDocument,
    TimeStampedModel,
    person_field,
    random_upload_name,
)
from crossdesk.core.records import ArchiveChild, ArchivedRecord, HistoryEntry
from crossdesk.org.models import Department

from .choices import (
    ActionEventKind,
    ActionStatus,
    EventKind,
    MeetingKind,
    MeetingStatus,
    ResponseKind,
)


class Meeting(ArchivedRecord, TimeStampedModel):
    """One coordination meeting and its record: notice, minutes, sign-offs.

    It has a number only once the notice is sent (gap-free per initiating department and
    year). ``version`` grows with every change of the meeting's own fields, ``minutes_version``
    with every save of the minutes, so an edit based on an old copy is refused.
    ``uid`` and ``sequence`` identify the calendar invitation (RFC 5545): the UID never
    changes, the sequence grows with every update or cancellation sent.
    """

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.SPECIAL
    )
    title = models.CharField(_("subject"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_platform = models.CharField(_("online platform"), max_length=100, blank=True)
    online_meeting_id = models.CharField(_("meeting ID"), max_length=100, blank=True)
    online_link = models.CharField(_("meeting link"), max_length=500, blank=True)
    initiating_department = models.ForeignKey(
        Department,
        verbose_name=_("initiating department"),
        on_delete=models.PROTECT,
        related_name="meetings_initiated",
    )
    initiator = person_field(_("initiator"), related_name="meetings_initiated")
    recorder = person_field(_("recorder"), optional=True, related_name="meetings_recorded")
    background = models.TextField(_("background"), blank=True)
    goal = models.TextField(_("goal (expected outcome)"), blank=True)
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the people named in it and the heads and supervisors of its departments see it."),
    )
    request = models.ForeignKey(
        "collaboration.Request",
        verbose_name=_("collaboration request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    related_matter = models.CharField(_("related project or matter"), max_length=200, blank=True)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("invitation sequence"), default=0)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    notice_lead_days = models.PositiveSmallIntegerField(_("working days of notice"), null=True, blank=True)
    notice_late_reason = models.TextField(_("reason for the late notice"), blank=True)
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The minutes (会议纪要) while being written; each circulated state is a MinutesVersion.
    discussion = models.JSONField(_("discussion points"), default=list, blank=True)
    disagreements = models.JSONField(_("disagreements"), default=list, blank=True)
    consensus = models.JSONField(_("consensus points"), default=list, blank=True)
    minutes_version = models.PositiveIntegerField(_("minutes version"), default=1)
    minutes_updated_at = models.DateTimeField(_("minutes saved at"), null=True, blank=True)
    circulation = models.PositiveIntegerField(_("circulations"), default=0)
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="meetings_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["initiating_department", "status", "-starts_at"], name="meetings_dept_status"
            ),
            models.Index(fields=["status", "starts_at"], name="meetings_status_start"),
            models.Index(fields=["recorder", "status"], name="meetings_recorder_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('Draft')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return bool(self.online_platform or self.online_meeting_id or self.online_link)

    @property
    def location_text(self) -> str:
        """Place, or platform and meeting ID/link, as one line (the invitation's LOCATION)."""
        online = " ".join(p for p in (self.online_platform, self.online_meeting_id, self.online_link) if p)
        return "；".join(p for p in (self.place, online) if p)


class MeetingDepartment(ArchiveChild, HeadSignOff):
    """A participating department: its representative (who confirms the minutes) and its
    head's sign-off of the final minutes. The initiating department takes part too."""

    archive_owner = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="meeting_parts"
    )
    is_initiating = models.BooleanField(_("initiating department"), default=False)
    representative = person_field(_("representative"), optional=True, related_name="meetings_represented")

    class Meta:
        verbose_name = _("participating department")
        verbose_name_plural = _("participating departments")
        ordering = ["-is_initiating", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"],
                name="meetings_one_part_per_department",
                violation_error_message=_("A department takes part in a meeting only once."),
            )
        ]
        indexes = [models.Index(fields=["department", "meeting"], name="meetings_part_dept")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.department}"

    @property
    def clock_scope(self) -> str:
        return f"dept:{self.pk}"


class MeetingInvitee(models.Model):
    """A person invited on behalf of a participating department."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    participation = models.ForeignKey(MeetingDepartment, on_delete=models.CASCADE, related_name="invitees")
    person = person_field(_("person"), related_name="meeting_invitations")

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["participation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="meetings_invited_once",
                violation_error_message=_("A person is invited to a meeting only once."),
            )
        ]
        indexes = [models.Index(fields=["person", "meeting"], name="meetings_invitee_person")]

    def __str__(self) -> str:
        return str(self.person)


class MeetingEvent(HistoryEntry):
    """The meeting's append-only history: status changes, notices, updates, circulations,
    confirmations, objections, sign-offs, materials."""

    owner_field = "meeting"
    status_labels = dict(MeetingStatus.choices)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("meeting history entry")
        verbose_name_plural = _("meeting history entries")
        indexes = [models.Index(fields=["meeting", "at"], name="meetings_event_meeting")]


class MinutesVersion(AppendOnly):
    """The minutes exactly as circulated the n-th time. Never changed: revisions are new
    versions, and the differences between two versions are computed from these rows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    digest = models.CharField(_("content digest"), max_length=64)
    circulated_at = models.DateTimeField(_("circulated at"))
    circulated_by = person_field(_("circulated by"))
    note = models.TextField(_("what changed"), blank=True)

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meetings_minutes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"


class MinutesResponse(AppendOnly):
    """A department representative's confirmation of, or objection to, one circulated version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="responses")
    minutes = models.ForeignKey(MinutesVersion, on_delete=models.CASCADE, related_name="responses")
    participation = models.ForeignKey(MeetingDepartment, on_delete=models.CASCADE, related_name="responses")
    person = person_field(_("by"))
    kind = models.CharField(_("response"), max_length=10, choices=ResponseKind.choices)
    text = models.TextField(_("objection"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("response to the minutes")
        verbose_name_plural = _("responses to the minutes")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "participation"],
                name="meetings_one_response_per_version",
                violation_error_message=_("This department has already answered this version."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ResponseKind.OBJECT) | ~models.Q(text=""),
                name="meetings_objection_has_text",
                violation_error_message=_("An objection needs a text."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.participation}"


def material_path(instance: MeetingMaterial, filename: str) -> str:
    return random_upload_name(f"meetings/{instance.meeting_id}", filename)


class MeetingMaterial(ArchiveChild, StoredDocument):
    """Background material sent with the notice, served only to people who may see the meeting."""

    archive_owner = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=material_path, max_length=255)

    class Meta(StoredDocument.Meta):
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")


class ActionItem(ArchiveChild, TimeStampedModel):
    """决议事项: what – who (ONE person) – by when – support needed from which department.

    Generic on purpose (SPEC §4: tracked with the same machinery as project tasks): it may
    come from a meeting's minutes or a collaboration request, or later a project. A meeting's
    items are written with the minutes and tracked (clocks, owner told) from the first
    circulation, ``activated_at``; until then owner and deadline may still be missing.
    Archived with whichever record it belongs to, its meeting or its request.
    """

    archive_owner = ("meeting", "request")

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items"
    )
    request = models.ForeignKey(
        "collaboration.Request",
        verbose_name=_("collaboration request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    position = models.PositiveIntegerField(_("number in the minutes"), default=0)
    action = models.CharField(_("action"), max_length=500)
    owner = person_field(_("owner"), optional=True, related_name="action_items")
    department = models.ForeignKey(
        Department,
        verbose_name=_("owner's department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    support_needed = models.TextField(_("support needed"), blank=True)
    support_department = models.ForeignKey(
        Department,
        verbose_name=_("support from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items_supported",
    )
    follow_up_person = person_field(
        _("follow-up person"), optional=True, related_name="action_items_followed"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    delay_reason = models.TextField(_("reason for the delay"), blank=True)
    progress_note = models.TextField(_("latest progress"), blank=True)
    result = models.TextField(_("result"), blank=True)
    completed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("completion reported at"), null=True, blank=True)
    reported_late = models.BooleanField(_("reported late"), default=False)
    activated_at = models.DateTimeField(_("tracked since"), null=True, blank=True)
    created_by = person_field(_("created by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activated_at__isnull=True)
                | models.Q(owner__isnull=False, due_at__isnull=False),
                name="meetings_tracked_item_has_owner_and_deadline",
                violation_error_message=_("A tracked action item needs an owner and a deadline."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.DELAYED) | ~models.Q(delay_reason=""),
                name="meetings_delayed_item_has_reason",
                violation_error_message=_("A delayed action item needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"], name="meetings_item_owner"),
            models.Index(fields=["status", "due_at"], name="meetings_item_status_due"),
        ]

    def __str__(self) -> str:
        return self.action[:80]

    def get_absolute_url(self) -> str:
        if self.meeting_id:
            return f"{reverse('meetings:detail', args=[self.meeting_id])}#action-{self.pk}"
        if self.request_id:
            return f"{reverse('collaboration:detail', args=[self.request_id])}#action-{self.pk}"
        return ""

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED)

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < timezone.now())


class ActionItemUpdate(HistoryEntry):
    """The append-only history of an action item: every status change, progress note,
    deadline change and the completion report."""

    owner_field = "item"

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=20, choices=ActionEventKind.choices)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("action item update")
        verbose_name_plural = _("action item updates")
        indexes = [models.Index(fields=["item", "at"], name="meetings_item_update")]
