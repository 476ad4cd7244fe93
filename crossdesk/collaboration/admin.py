from django.contrib import admin

from .models import Attachment, Request, RequestPart, TimelineEntry


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class PartInline(ReadOnlyInline):
    model = RequestPart
    fields = ["department", "role", "status", "liaison", "committed_at", "resolved_at", "head_signed_at"]


class TimelineInline(ReadOnlyInline):
    model = TimelineEntry
    fields = ["at", "kind", "author", "content", "from_status", "to_status"]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    """Read-only here: every change goes through the services, so rules, history and
    notifications are never bypassed."""

    list_display = [
        "number",
        "title",
        "status",
        "urgency",
        "initiating_department",
        "initiator",
        "submitted_at",
    ]
    list_filter = ["status", "urgency", "type", "confidential"]
    search_fields = ["number", "title"]
    inlines = [PartInline, TimelineInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Attachments of an archived request cannot be deleted here either: the model's archive
    guard refuses the delete view and the bulk action alike."""

    list_display = ["name", "request", "size", "uploaded_by", "uploaded_at"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.request.archived_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False
