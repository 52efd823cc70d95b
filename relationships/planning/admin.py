from django.contrib import admin

from relationships.planning.models import PlannedActivity, Todo


@admin.register(PlannedActivity)
class PlannedActivityAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "type", "account", "owner", "status"]
    list_filter = ["status", "type"]
    search_fields = ["account__name", "notes"]
    raw_id_fields = ["account", "contacts", "opportunity", "owner", "activity"]


@admin.register(Todo)
class TodoAdmin(admin.ModelAdmin):
    list_display = ["title", "due_date", "done_at", "account", "owner"]
    list_filter = ["done_at"]
    search_fields = ["title", "account__name"]
    raw_id_fields = ["account", "contact", "opportunity", "owner"]
