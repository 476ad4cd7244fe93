from django.contrib import admin

from .models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingDepartment,
    MeetingEvent,
    MeetingMaterial,
    MinutesVersion,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class DepartmentInline(ReadOnlyInline):
    model = MeetingDepartment
    fields = ["department", "is_initiating", "representative", "head", "head_signed_at"]


class VersionInline(ReadOnlyInline):
    model = MinutesVersion
    fields = ["number", "circulated_at", "circulated_by", "note"]


class EventInline(ReadOnlyInline):
    model = MeetingEvent
    fields = ["at", "kind", "author", "from_status", "to_status", "content"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only here: every change goes through the services, so rules, history and
    notifications are never bypassed."""

    list_display = ["number", "title", "kind", "status", "initiating_department", "starts_at", "recorder"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "title"]
    inlines = [DepartmentInline, VersionInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UpdateInline(ReadOnlyInline):
    model = ActionItemUpdate
    fields = ["at", "kind", "author", "from_status", "to_status", "content"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["action", "owner", "due_at", "status", "meeting", "request"]
    list_filter = ["status"]
    search_fields = ["action"]
    inlines = [UpdateInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingMaterial)
class MeetingMaterialAdmin(admin.ModelAdmin):
    """A wrongly uploaded file may be removed here; the archive guard in the model refuses it
    (also in the bulk delete) once its meeting is archived."""

    list_display = ["name", "meeting", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["name", "meeting__number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
