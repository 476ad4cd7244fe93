"""The project charter: basic information, participants with their liaisons, the SMART
goal and the department sub-goals (SPEC §5 [002][003][004])."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly, TimeStampedModel
from crossdesk.core.records import ArchiveChild, ArchivedRecord, HistoryEntry
from crossdesk.org.models import Department, Person

from ..choices import ProjectEventKind, ProjectStatus, Recurrence, Weekday


def person_field(verbose_name, *, optional: bool = False, related_name: str = "+") -> models.ForeignKey:
    """A person on the row (the lead, an owner, who recorded or decided it): protected, as
    people leave by being made inactive; ``optional`` while nobody has done it yet."""
    return models.ForeignKey(
        Person,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class Project(ArchivedRecord, TimeStampedModel):
    """A cross-department project (协作项目).

    It gets its number ``XM-2026-001`` when it is created (gap-free per year). The goal
    is written as metrics (``GoalMetric``) and checked as SMART before kickoff; the
    kickoff is a meeting of kind kickoff, and the project runs once its minutes are final.
    ``version`` grows with every change of the charter's own fields.
    """

    number = models.CharField(_("number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("project name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    initiating_department = models.ForeignKey(
        Department,
        verbose_name=_("initiating department"),
        on_delete=models.PROTECT,
        related_name="projects_initiated",
    )
    lead = person_field(_("project lead"), related_name="projects_led")
    # 群管理员 [002]: keeps the project's group chat; reminded with the owners of its chat rows.
    chat_admin = person_field(_("group chat administrator"), optional=True, related_name="+")
    background = models.TextField(_("background"), blank=True)
    core_goal = models.TextField(_("core goal"), blank=True)
    expected_outcomes = models.TextField(_("expected outcomes"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    kickoff_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("kickoff meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kickoff_of_projects",
    )
    kicked_off_at = models.DateTimeField(_("kicked off at"), null=True, blank=True)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    closing_since = models.DateTimeField(_("closing since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    created_by = person_field(_("created by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_start__isnull=True)
                | models.Q(planned_finish__isnull=True)
                | models.Q(planned_finish__gte=models.F("planned_start")),
                name="projects_project_finish_after_start",
                violation_error_message=_("The planned finish cannot be before the planned start."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=ProjectStatus.DRAFT) | models.Q(kicked_off_at__isnull=False),
                name="projects_project_kicked_off_has_moment",
                violation_error_message=_("A project past its draft has a kickoff moment."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-year"], name="projects_status_year"),
            models.Index(fields=["initiating_department", "status"], name="projects_dept_status"),
            models.Index(fields=["lead", "status"], name="projects_lead_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_read_only(self) -> bool:
        return self.status in (ProjectStatus.CLOSED, ProjectStatus.ARCHIVED)


class ProjectDepartment(ArchiveChild):
    """A participating department with its ONE liaison (对接负责人) and the duties that
    liaison carries [002][004]. The initiating department takes part too."""

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="project_parts"
    )
    is_initiating = models.BooleanField(_("initiating department"), default=False)
    liaison = person_field(_("liaison"), related_name="project_liaisons")
    duties = models.TextField(_("duties"), blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("participating department")
        verbose_name_plural = _("participating departments")
        ordering = ["-is_initiating", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "department"],
                name="projects_one_part_per_department",
                violation_error_message=_("A department takes part in a project only once."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_initiating=True),
                name="projects_one_initiating_part",
                violation_error_message=_("A project has one initiating department."),
            ),
        ]
        indexes = [models.Index(fields=["department", "project"], name="projects_part_dept")]

    def __str__(self) -> str:
        return f"{self.department.name} · {self.liaison}"


class GoalMetric(ArchiveChild):
    """One measurable part of the core goal: a metric with baseline, target and date
    ("complaints closed within 24 h: 45% → 80% by 2026-09-30") [002].

    Fields may be empty while the charter is a draft; the SMART check names what is
    missing, and the kickoff refuses an incomplete goal.
    """

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goal_metrics")
    metric = models.CharField(_("metric"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    current = models.DecimalField(_("current value"), max_digits=14, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("goal metric")
        verbose_name_plural = _("goal metrics")
        ordering = ["project_id", "position", "id"]

    def __str__(self) -> str:
        return self.metric or str(_("(metric missing)"))

    @property
    def progress_percent(self) -> int | None:
        """How far the current value has moved from the baseline to the target, 0–100."""
        if self.baseline is None or self.target is None or self.current is None:
            return None
        span = self.target - self.baseline
        if span == 0:
            return 100 if self.current == self.target else 0
        share = (self.current - self.baseline) / span
        return max(0, min(100, int(round(share * 100))))


class GoalMeasurement(AppendOnly):
    """A measured value of a goal metric; the metric keeps the latest in ``current``."""

    metric = models.ForeignKey(GoalMetric, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = person_field(_("recorded by"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("goal measurement")
        verbose_name_plural = _("goal measurements")
        ordering = ["measured_on", "id"]

    def __str__(self) -> str:
        return f"{self.metric} {self.value} @ {self.measured_on}"


class SubGoal(ArchiveChild):
    """A department's quantified part of the goal, due by a deadline or on a recurrence
    ("daily by 10:00", "within 24 h of a request", "every Friday") [002]."""

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sub_goals")
    participation = models.ForeignKey(
        ProjectDepartment,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="sub_goals",
    )
    description = models.CharField(_("sub-goal"), max_length=300)
    metric = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, blank=True, default=Recurrence.NONE
    )
    at_time = models.TimeField(_("by time of day"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    within_hours = models.PositiveIntegerField(_("within hours"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ["project_id", "participation_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=False) | ~models.Q(recurrence=""),
                name="projects_sub_goal_has_deadline_or_recurrence",
                violation_error_message=_("A sub-goal needs a deadline or a recurrence."),
            ),
            models.CheckConstraint(
                condition=~models.Q(recurrence=Recurrence.WEEKLY) | models.Q(weekday__isnull=False),
                name="projects_sub_goal_weekly_has_weekday",
                violation_error_message=_("A weekly sub-goal needs a weekday."),
            ),
            models.CheckConstraint(
                condition=~models.Q(recurrence=Recurrence.MONTHLY) | models.Q(day_of_month__isnull=False),
                name="projects_sub_goal_monthly_has_day",
                violation_error_message=_("A monthly sub-goal needs a day of the month."),
            ),
            models.CheckConstraint(
                condition=~models.Q(recurrence=Recurrence.WITHIN_HOURS)
                | models.Q(within_hours__isnull=False, within_hours__gt=0),
                name="projects_sub_goal_within_has_hours",
                violation_error_message=_("A sub-goal due within hours of a request needs the hours."),
            ),
            models.CheckConstraint(
                condition=~models.Q(recurrence=Recurrence.DAILY) | models.Q(at_time__isnull=False),
                name="projects_sub_goal_daily_has_time",
                violation_error_message=_("A daily sub-goal needs the time of day."),
            ),
        ]

    def __str__(self) -> str:
        return self.description


class SubGoalProgress(AppendOnly):
    """Progress against a sub-goal for one period (a day, a week, a request, or to date),
    shown beside its target."""

    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="progress")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2)
    met = models.BooleanField(_("target met"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = person_field(_("recorded by"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("sub-goal progress")
        verbose_name_plural = _("sub-goal progress")
        ordering = ["sub_goal_id", "period_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="projects_progress_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]
        indexes = [models.Index(fields=["sub_goal", "-period_end"], name="projects_progress_latest")]

    def __str__(self) -> str:
        return f"{self.sub_goal} {self.value} ({self.period_end})"


class ProjectEvent(HistoryEntry):
    """The project's append-only history and timeline: every transition and change of the
    charter, plan, tracking, communication, changes, deliverables and close (SPEC §6)."""

    owner_field = "project"
    status_labels = dict(ProjectStatus.choices)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectEventKind.choices)
    task = models.ForeignKey(
        "projects.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="project_events"
    )

    class Meta(HistoryEntry.Meta):
        verbose_name = _("project history entry")
        verbose_name_plural = _("project history entries")
        indexes = [models.Index(fields=["project", "at"], name="projects_event_project")]
