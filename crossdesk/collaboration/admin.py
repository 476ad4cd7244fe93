from django.contrib import admin

from crossdesk.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attachment, Request, RequestPart, TimelineEntry


class PartInline(ReadOnlyInline):
    model = RequestPart
    fields = ["department", "role", "status", "liaison", "committed_at", "resolved_at", "head_signed_at"]


class TimelineInline(ReadOnlyInline):
    model = TimelineEntry
    fields = ["at", "kind", "author", "content", "from_status", "to_status"]


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
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
