from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.signals import announce_people_changed
from relationships import care
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    GiftCapSetting,
    Relationship,
    StageChange,
    StagnationSetting,
    TrustLearningSetting,
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
    list_display = ["name_en", "name_zh", "calendar", "rule", "next_day", "is_active"]
    list_filter = ["calendar", "is_active"]
    search_fields = ["name_en", "name_zh"]
    fields = [
        ("name_en", "name_zh"),
        "calendar",
        ("month", "day", "term"),
        "year",
        "advice_en",
        "advice_zh",
        "is_active",
    ]

    @admin.display(description=_("falls on"))
    def rule(self, festival):
        return festival.rule_label

    @admin.display(description=_("next"))
    def next_day(self, festival):
        today = timezone.localdate()
        days = care.festival_days(festival, today, today + timedelta(days=400))
        return days[0] if days else "—"


@admin.register(CoolingThreshold)
class CoolingThresholdAdmin(admin.ModelAdmin):
    list_display = ["stage", "days"]


@admin.register(StagnationSetting)
class StagnationSettingAdmin(admin.ModelAdmin):
    list_display = ["days"]

    def has_add_permission(self, request):
        # One row: the setting is edited, not added twice.
        return super().has_add_permission(request) and not StagnationSetting.objects.exists()


@admin.register(GiftCapSetting)
class GiftCapSettingAdmin(admin.ModelAdmin):
    list_display = ["account_type", "yearly_cap"]
    list_editable = ["yearly_cap"]
    list_display_links = ["account_type"]


@admin.register(TrustLearningSetting)
class TrustLearningSettingAdmin(admin.ModelAdmin):
    list_display = ["days", "min_count"]

    def has_add_permission(self, request):
        # One row: the setting is edited, not added twice.
        return super().has_add_permission(request) and not TrustLearningSetting.objects.exists()


from relationships.greetings import admin as greetings_admin  # noqa: E402, F401  (registers)
from relationships.planning import admin as planning_admin  # noqa: E402, F401  (registers)
