from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.signals import announce_people_changed
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    Relationship,
    StageChange,
)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    raw_id_fields = ["changed_by", "activity"]
    fields = ["changed_at", "from_stage", "to_stage", "changed_by", "activity", "note"]


@admin.register(Relationship)
class RelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["contact", "stage", "personality", "updated_at"]
    list_filter = ["stage", "personality"]
    search_fields = ["contact__name", "contact__account__name"]
    raw_id_fields = ["contact"]
    list_select_related = ["contact"]
    inlines = [StageChangeInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        announce_people_changed([obj.contact_id])  # the stage is an exit check of their deals


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["relationship", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage"]
    raw_id_fields = ["relationship", "changed_by", "activity"]
    date_hierarchy = "changed_at"


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "name_zh",
        "stage",
        "style",
        "is_gift",
        "approval_limit",
        "position",
        "is_active",
    ]
    list_editable = ["stage", "style", "is_gift", "approval_limit", "position", "is_active"]
    list_filter = ["stage", "is_gift", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["date", "type", "account", "owner", "cost", "approval_status"]
    list_filter = ["approval_status", "type", "date"]
    search_fields = ["notes", "account__name", "contacts__name"]
    raw_id_fields = ["account", "contacts", "owner", "decided_by"]
    list_select_related = ["type", "account", "owner"]
    date_hierarchy = "date"


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "date"]
    search_fields = ["name_en", "name_zh"]
    date_hierarchy = "date"


@admin.register(CoolingThreshold)
class CoolingThresholdAdmin(admin.ModelAdmin):
    list_display = ["stage", "days"]


from relationships.planning import admin as planning_admin  # noqa: E402, F401  (registers)
