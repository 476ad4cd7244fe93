from django.contrib import admin

from .models import (
    ChangeRequest,
    Coordination,
    Deliverable,
    GoalMetric,
    Lesson,
    Project,
    ProjectDepartment,
    ProjectEvent,
    SubGoal,
    Task,
    TaskUpdate,
    WeeklyReport,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only here: every change goes through the services, so rules, history and
    notifications are never bypassed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DepartmentInline(ReadOnlyInline):
    model = ProjectDepartment
    fields = ["department", "is_initiating", "liaison", "duties"]


class GoalInline(ReadOnlyInline):
    model = GoalMetric
    fields = ["metric", "unit", "baseline", "target", "target_date", "current"]


class SubGoalInline(ReadOnlyInline):
    model = SubGoal
    fields = ["participation", "description", "target", "unit", "deadline", "recurrence"]


class EventInline(ReadOnlyInline):
    model = ProjectEvent
    fields = ["at", "kind", "author", "actor_label", "from_status", "to_status", "content"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "status", "initiating_department", "lead", "planned_finish"]
    list_filter = ["status", "confidential"]
    search_fields = ["number", "name"]
    inlines = [DepartmentInline, GoalInline, SubGoalInline, EventInline]


class TaskUpdateInline(ReadOnlyInline):
    model = TaskUpdate
    fields = ["at", "kind", "author", "actor_label", "progress", "from_status", "to_status", "content"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "project", "responsible", "owner", "planned_finish", "status", "health"]
    list_filter = ["status", "health"]
    search_fields = ["code", "title", "project__number"]
    inlines = [TaskUpdateInline]


@admin.register(Coordination)
class CoordinationAdmin(ReadOnlyAdmin):
    list_display = ["task", "status", "trigger", "opened_at", "due_at", "recorded_at"]
    list_filter = ["status"]


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "week_start", "generated_at", "recipients"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "requested_by", "submitted_at", "decided_at"]
    list_filter = ["status"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["name", "project", "status", "round", "submitted_at", "accepted_at"]
    list_filter = ["status"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "category", "published_at"]
    search_fields = ["title", "lesson"]
