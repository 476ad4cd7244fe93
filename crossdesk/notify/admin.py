from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "event", "level", "created_at", "read_at"]
    list_filter = ["level", "event"]
    search_fields = ["title", "recipient__name"]
    raw_id_fields = ["recipient"]

    def has_change_permission(self, request, obj=None):
        return False
