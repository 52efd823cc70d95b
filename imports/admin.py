"""Saved mappings and uploaded files in the admin."""

from django.contrib import admin

from imports.models import ImportBatch, ImportMapping


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Uploaded files and their reports: read-only, for support."""

    list_display = ["filename", "kind", "state", "created_by", "created_at", "imported_at"]
    list_filter = ["kind", "state"]
    search_fields = ["filename", "created_by__username"]
    exclude = ["content"]
    readonly_fields = [
        "kind",
        "filename",
        "mapping",
        "columns",
        "values",
        "report",
        "state",
        "imported_at",
        "created_by",
    ]

    def has_add_permission(self, request):
        return False
