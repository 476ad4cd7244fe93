"""Read-only admin pages: changes go through the calendar page (or the API), whose services
bump the calendar's version and let running deadlines be recomputed."""

from django.contrib import admin

from .models import CalendarDay, CalendarYear, WorkSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "layer", "is_working", "name", "note", "created_by", "updated_at"]
    list_filter = ["layer", "is_working"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "entered_by", "updated_at"]
    list_filter = ["source"]


@admin.register(WorkSettings)
class WorkSettingsAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "version", "updated_by", "updated_at"]
