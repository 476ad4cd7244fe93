"""The communication plan (沟通计划) and the dated meetings its regular entries produce
(SPEC §5 [002][003])."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.records import ArchiveChild

from ..choices import CommChannel, CommFrequency, CommOutput, CommScenario
from .charter import Project, ProjectDepartment, person_field


class OccurrenceState(models.TextChoices):
    """What became of one dated occurrence of a regular entry (supersedes
    ``choices.OccurrenceStatus``, which had no way to say an occurrence was called off)."""

    SCHEDULED = "scheduled", _("Meeting scheduled")
    SKIPPED = "skipped", _("Skipped (day off)")
    CANCELLED = "cancelled", _("Cancelled")
    REMINDER = "reminder", _("Reminder to the owner (no meeting)")


class CommunicationPlanEntry(ArchiveChild):
    """One row of the plan: scenario, channel, frequency, participants, output, owner.

    The frequency is structured: ``daily`` or ``weekly`` on ``weekdays`` (0 = Monday) at
    ``at_time``, optionally on working days only (the default: holidays are skipped and
    调休 working Saturdays count for a daily entry), ``biweekly`` / ``monthly`` / ``once``
    counted from ``first_date``, or ``as_needed`` / ``realtime`` (no dates). A regular
    entry produces dated ``CommunicationOccurrence`` rows, each a meeting of
    ``meeting_kind`` called through the meetings services with its notice.
    """

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="communication_plan")
    scenario = models.CharField(_("scenario"), max_length=16, choices=CommScenario.choices)
    scenario_detail = models.CharField(_("scenario detail"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=CommChannel.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=CommFrequency.choices)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    working_days_only = models.BooleanField(_("working days only"), default=True)
    at_time = models.TimeField(_("time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    first_date = models.DateField(_("from"), null=True, blank=True)
    last_date = models.DateField(_("until"), null=True, blank=True)
    participants = models.ManyToManyField(
        ProjectDepartment, verbose_name=_("participating departments"), blank=True, related_name="+"
    )
    participants_note = models.CharField(_("participants"), max_length=300, blank=True)
    output = models.CharField(_("output"), max_length=16, choices=CommOutput.choices)
    output_detail = models.CharField(_("output detail"), max_length=200, blank=True)
    owner = person_field(_("owner"), related_name="project_comm_entries")
    meeting_kind = models.CharField(_("meeting kind"), max_length=16, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("communication plan entry")
        verbose_name_plural = _("communication plan")
        ordering = ["project_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(frequency__in=[CommFrequency.DAILY, CommFrequency.WEEKLY])
                | models.Q(at_time__isnull=False),
                name="projects_comm_regular_has_time",
                violation_error_message=_("A daily or weekly entry needs the time of day."),
            ),
            models.CheckConstraint(
                condition=models.Q(first_date__isnull=True)
                | models.Q(last_date__isnull=True)
                | models.Q(last_date__gte=models.F("first_date")),
                name="projects_comm_dates_order",
                violation_error_message=_("The last date cannot be before the first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scenario_display()} · {self.get_channel_display()}"


class CommunicationOccurrence(ArchiveChild):
    """A dated occurrence of a regular plan entry: its meeting (a meeting channel), a
    reminder to the row's owner (a chat group, e-mail or other channel), or why it was
    skipped (a holiday) or cancelled (the entry changed or was removed). One per entry and
    day, so generating twice creates nothing new."""

    archive_owner = "project"

    entry = models.ForeignKey(CommunicationPlanEntry, on_delete=models.CASCADE, related_name="occurrences")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="communication_occurrences")
    on_date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(
        _("status"), max_length=16, choices=OccurrenceState.choices, default=OccurrenceState.SCHEDULED
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_occurrences",
    )
    note = models.TextField(_("note"), blank=True)
    # A reminder occurrence: when its owner was reminded (each occurrence once).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("communication occurrence")
        verbose_name_plural = _("communication occurrences")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "on_date"],
                name="projects_one_occurrence_per_day",
                violation_error_message=_("This entry already has an occurrence on this day."),
            )
        ]
        indexes = [models.Index(fields=["project", "starts_at"], name="projects_occurrence_project")]

    def __str__(self) -> str:
        return f"{self.entry} {self.starts_at:%Y-%m-%d %H:%M}"
