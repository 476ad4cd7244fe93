from django.contrib import admin

from crossdesk.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingDepartment,
    MeetingEvent,
    MeetingMaterial,
    MinutesVersion,
)


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
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "status", "initiating_department", "starts_at", "recorder"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "title"]
    inlines = [DepartmentInline, VersionInline, EventInline]


class UpdateInline(ReadOnlyInline):
    model = ActionItemUpdate
    fields = ["at", "kind", "author", "from_status", "to_status", "content"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["action", "owner", "due_at", "status", "meeting", "request"]
    list_filter = ["status"]
    search_fields = ["action"]
    inlines = [UpdateInline]


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
