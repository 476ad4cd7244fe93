from django.contrib import admin

from .models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: the index is written by the receivers and ``crossdesk reindex`` only."""

    list_display = ["object_type", "object_id", "kind", "number", "title", "status", "date"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
