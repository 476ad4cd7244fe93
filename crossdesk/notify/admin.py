from django.contrib import admin

from .models import ChannelPreference, Delivery, DepartmentRobot, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "event", "level", "created_at", "read_at", "routed_at"]
    list_filter = ["level", "event"]
    search_fields = ["title", "recipient__name"]
    raw_id_fields = ["recipient"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: retry and discard go through the outbox page (/inbox/outbox/) and its services."""

    list_display = ["delivery_key", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["delivery_key", "address", "last_error"]
    raw_id_fields = ["notification", "person", "robot"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(DepartmentRobot)
class DepartmentRobotAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    exclude = ["secret"]  # set on the department's notification page; never shown again

    def has_add_permission(self, request):
        return False


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email_mode", "digest_mode", "quiet_start", "quiet_end"]
    raw_id_fields = ["person", "department"]
