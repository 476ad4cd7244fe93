"""The responsibility table and RACI grid, task tracking, coordination of troubled tasks
and the weekly progress list (SPEC §5 [002][003][004])."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly, TimeStampedModel
from crossdesk.core.records import ArchiveChild, HistoryEntry

from ..choices import (
    CELL_ROLES,
    CoordinationStatus,
    TaskHealth,
    TaskStatus,
    TaskUpdateKind,
)
from .charter import Project, ProjectDepartment, person_field


class Task(ArchiveChild, TimeStampedModel):
    """A row of the responsibility table (职责分工表): what, the ONE responsible department
    (唯一责任部门 [004], the R of the RACI grid), its owner, the delivery standard, planned
    and actual dates, progress and the deliverable.

    ``health`` is derived (``tracking.derive_health``) and stored only so lists can count
    and filter it; services refresh it on every change and the daily job as time passes.
    """

    archive_owner = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("task number"), max_length=16)
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        ProjectDepartment,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="tasks_responsible",
    )
    owner = person_field(_("owner"), related_name="project_tasks")
    delivery_standard = models.TextField(_("delivery standard"), blank=True)
    deliverable = models.CharField(_("deliverable"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    health = models.CharField(
        _("health"), max_length=16, choices=TaskHealth.choices, default=TaskHealth.ON_TRACK, editable=False
    )
    health_since = models.DateTimeField(_("health since"), null=True, blank=True, editable=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_by = person_field(_("created by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="projects_task_code_unique",
                violation_error_message=_("This task number is already used in the project."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="projects_task_finish_after_start",
                violation_error_message=_("The planned finish cannot be before the planned start."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="projects_task_progress_max",
                violation_error_message=_("Progress is at most 100%."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TaskStatus.DONE)
                | models.Q(actual_finish__isnull=False, progress=100),
                name="projects_task_done_has_finish",
                violation_error_message=_("A done task has an actual finish date and 100% progress."),
            ),
            models.CheckConstraint(
                condition=models.Q(actual_start__isnull=True)
                | models.Q(actual_finish__isnull=True)
                | models.Q(actual_finish__gte=models.F("actual_start")),
                name="projects_task_actual_order",
                violation_error_message=_("The actual finish cannot be before the actual start."),
            ),
        ]
        indexes = [
            models.Index(fields=["project", "health"], name="projects_task_health"),
            models.Index(fields=["owner", "status"], name="projects_task_owner"),
            models.Index(fields=["status", "planned_finish"], name="projects_task_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:task", args=[self.project_id, self.pk])


class RaciCell(ArchiveChild):
    """One cell of the RACI grid (tasks × participating departments) holding A, C or I.

    R is the task's ``responsible`` department, so every task has exactly one R by
    construction; a department holds one letter per task, and at most one holds A [003].
    """

    archive_owner = "task__project"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="raci_cells")
    participation = models.ForeignKey(
        ProjectDepartment, verbose_name=_("department"), on_delete=models.CASCADE, related_name="raci_cells"
    )
    role = models.CharField(_("role"), max_length=1, choices=[(r.value, r.label) for r in CELL_ROLES])

    class Meta:
        verbose_name = _("RACI cell")
        verbose_name_plural = _("RACI cells")
        ordering = ["task_id", "participation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "participation"],
                name="projects_raci_one_role_per_department",
                violation_error_message=_("A department has one role per task."),
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(role="A"),
                name="projects_raci_at_most_one_a",
                violation_error_message=_("A task has at most one accountable department."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in CELL_ROLES]),
                name="projects_raci_cell_role",
                violation_error_message=_("R is the task's responsible department; cells hold A, C or I."),
            ),
        ]
        indexes = [models.Index(fields=["participation", "role"], name="projects_raci_part")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.participation.department.code}: {self.role}"


class TaskProblem(ArchiveChild):
    """An entry of the task's problem log; an open blocking problem makes the task blocked."""

    archive_owner = "task__project"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("problem"))
    blocking = models.BooleanField(_("blocks the task"), default=False)
    support_needed = models.TextField(_("support needed"), blank=True)
    raised_by = person_field(_("raised by"))
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = person_field(_("resolved by"), optional=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("task problem")
        verbose_name_plural = _("task problems")
        ordering = ["task_id", "raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | ~models.Q(resolution=""),
                name="projects_problem_resolution_text",
                violation_error_message=_("A resolved problem says how it was resolved."),
            )
        ]
        indexes = [
            models.Index(
                fields=["task"],
                condition=models.Q(resolved_at__isnull=True, blocking=True),
                name="projects_problem_open_blocking",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Coordination(ArchiveChild, TimeStampedModel):
    """A troubled task's coordination: opened when the task turns behind, blocked or
    overdue (the 48-hour clock ``task.coordination`` runs on it), recorded from a special
    coordination meeting with measures, ONE owner and a new deadline [003]."""

    archive_owner = "project"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="coordinations")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coordinations")
    status = models.CharField(
        _("status"), max_length=16, choices=CoordinationStatus.choices, default=CoordinationStatus.OPEN
    )
    trigger = models.CharField(_("task health that triggered it"), max_length=16, choices=TaskHealth.choices)
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("meeting due by"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("coordination meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_coordinations",
    )
    measures = models.TextField(_("measures"), blank=True)
    owner = person_field(_("owner of the measures"), optional=True, related_name="project_coordinations")
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    old_planned_finish = models.DateField(_("previous planned finish"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = person_field(_("recorded by"), optional=True)
    recorded_late = models.BooleanField(_("recorded after the 48 h"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("task coordination")
        verbose_name_plural = _("task coordinations")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status=CoordinationStatus.OPEN),
                name="projects_one_open_coordination_per_task",
                violation_error_message=_("This task already waits for a coordination meeting."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CoordinationStatus.RECORDED)
                | (
                    ~models.Q(measures="")
                    & models.Q(owner__isnull=False, new_deadline__isnull=False, recorded_at__isnull=False)
                ),
                name="projects_coordination_recorded_complete",
                violation_error_message=_(
                    "Recorded coordination needs measures, an owner and a new deadline."
                ),
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="projects_coord_project")]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.task.get_absolute_url()}#coordination-{self.pk}"


class TaskUpdate(HistoryEntry):
    """The task's append-only history: progress, status, dates, problems, coordination,
    role changes and every health change."""

    owner_field = "task"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=20, choices=TaskUpdateKind.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)

    status_labels = {**dict(TaskStatus.choices), **dict(TaskHealth.choices)}  # HEALTH rows: a health

    class Meta(HistoryEntry.Meta):
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        indexes = [models.Index(fields=["task", "at"], name="projects_task_update")]


class WeeklyReport(AppendOnly):
    """周进度清单: generated once per project and week (Monday ``week_start``), sent to the
    participants and kept as it was sent [002].

    ``content`` is ``{"departments": [{"department": …, "done": [...], "next": [...],
    "troubled": [...], "risks": [...]}], "totals": {...}}``.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="weekly_reports")
    week_start = models.DateField(_("week of"))
    week_end = models.DateField(_("week to"))
    generated_at = models.DateTimeField(_("generated at"))
    content = models.JSONField(_("content"))
    recipients = models.PositiveIntegerField(_("people notified"), default=0)

    class Meta:
        verbose_name = _("weekly progress list")
        verbose_name_plural = _("weekly progress lists")
        ordering = ["project_id", "-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "week_start"],
                name="projects_one_weekly_report_per_week",
                violation_error_message=_("This week's progress list already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(week_end__gte=models.F("week_start")),
                name="projects_weekly_report_week_order",
                violation_error_message=_("The week cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.number} {self.week_start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("projects:weekly_report", args=[self.project_id, self.pk])
