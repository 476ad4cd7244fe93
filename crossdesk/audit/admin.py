"""The audit rows in the Django admin: read-only, never deleted (auditlog's own admin for
the model is replaced, so no bulk action or change form can touch a row)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

if admin.site.is_registered(AuditEvent):
    admin.site.unregister(AuditEvent)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "who", "action", "via", "content_type", "object_id", "object_repr"]
    list_filter = ["via", "action"]
    list_select_related = ["content_type", "actor__person"]
    show_full_result_count = False  # a count of tens of millions of rows on every page load
    readonly_fields = [
        "timestamp",
        "who",
        "action",
        "via",
        "reason",
        "content_type",
        "object_id",
        "object_pk",
        "object_repr",
        "changes",
    ]
    fields = readonly_fields
    actions = None

    @admin.display(description=_("who"))
    def who(self, obj: AuditEvent) -> str:
        return obj.actor_name

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
