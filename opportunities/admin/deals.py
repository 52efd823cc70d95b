from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opportunities.models import (
    LineItem,
    MoveChange,
    MoveProbabilitySetting,
    Opportunity,
    Product,
    QualificationSetting,
    Stakeholder,
    StakeholderRole,
)
from opportunities.pipeline import facts


class RefreshesFacts:
    """For the admins of a deal's gate inputs (buying group, approval, criteria, evaluation):
    the deal's stored facts (opportunities/pipeline/facts.py) follow an edit or a deletion here."""

    def _refresh_facts(self, obj):
        facts.refresh([obj.opportunity_id])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._refresh_facts(form.instance)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._refresh_facts(obj)

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("opportunity", flat=True))
        super().delete_queryset(request, queryset)
        facts.refresh(ids)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "series", "list_price", "is_active"]
    list_filter = ["is_active", "series"]
    search_fields = ["name", "series"]


class LineItemInline(admin.TabularInline):
    model = LineItem
    extra = 0
    autocomplete_fields = ["product"]


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    raw_id_fields = ["contact"]
    show_change_link = True


class MoveChangeInline(admin.TabularInline):
    """The move history is written by the app's services only: read-only here."""

    model = MoveChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_move", "to_move", "from_status", "to_status", "changed_by"]
    readonly_fields = fields
    ordering = ["changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "account",
        "owner",
        "move",
        "status",
        "amount",
        "expected_close_date",
        "qualification_verdict",
    ]
    list_filter = ["status", "move", "qualification_verdict", "budget_status"]
    search_fields = ["name", "account__name"]
    list_select_related = ["account", "owner"]
    raw_id_fields = ["account", "owner", "lost_to"]
    readonly_fields = [
        "amount",
        "move",
        "status",
        "entered_move_at",
        "closed_at",
        "qualification_score",
        "qualification_verdict",
        "qualified_on",
    ]
    inlines = [LineItemInline, StakeholderInline, MoveChangeInline]
    date_hierarchy = "expected_close_date"

    def save_related(self, request, form, formsets, change):
        from opportunities.deals import services

        super().save_related(request, form, formsets, change)
        services.recalculate_amount(form.instance)
        services.refresh_qualification(form.instance)
        facts.refresh([form.instance.pk])


class StakeholderRoleInline(admin.TabularInline):
    model = StakeholderRole
    extra = 0


@admin.register(Stakeholder)
class StakeholderAdmin(RefreshesFacts, SimpleHistoryAdmin):
    list_display = ["contact", "opportunity", "attitude", "influence"]
    list_filter = ["attitude", "influence", "roles__role"]
    search_fields = ["contact__name", "opportunity__name"]
    raw_id_fields = ["opportunity", "contact"]
    list_select_related = ["contact", "opportunity"]
    inlines = [StakeholderRoleInline]


@admin.register(MoveChange)
class MoveChangeAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "from_move", "to_move", "to_status", "changed_at", "changed_by"]
    list_filter = ["is_override", "to_move", "to_status"]
    search_fields = ["opportunity__name", "reason"]
    list_select_related = ["opportunity", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MoveProbabilitySetting)
class MoveProbabilitySettingAdmin(admin.ModelAdmin):
    list_display = ["move", "probability", "stall_days"]
    list_editable = ["probability", "stall_days"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QualificationSetting)
class QualificationSettingAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "weight_budget",
                    "weight_timeline",
                    "weight_fit",
                    "weight_worth",
                    "weight_win",
                ]
            },
        ),
        (None, {"fields": ["qualified_score", "criterion_floor", "not_worth_score"]}),
        (None, {"fields": ["imminent_days", "distant_days", "good_margin_percent", "gap_points"]}),
    ]

    def has_add_permission(self, request):
        return not QualificationSetting.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
