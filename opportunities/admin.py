from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opportunities import facts
from opportunities.models import (
    LineItem,
    MoveChange,
    MoveSetting,
    Opportunity,
    Product,
    QualificationSetting,
    Stakeholder,
    StakeholderRole,
)


class RefreshesFacts:
    """For the admins of a deal's gate inputs (buying group, approval, criteria, evaluation):
    the deal's stored facts (opportunities/facts.py) follow an edit or a deletion here."""

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
        "version",
    ]
    inlines = [LineItemInline, StakeholderInline, MoveChangeInline]
    date_hierarchy = "expected_close_date"

    def save_related(self, request, form, formsets, change):
        from opportunities import services

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


@admin.register(MoveSetting)
class MoveSettingAdmin(admin.ModelAdmin):
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


# --- issue 7: pipeline dashboards (targets, colour thresholds, deal reviews) -----------------

from opportunities.models import DealReview, PipelineSetting, SalesTarget  # noqa: E402


@admin.register(SalesTarget)
class SalesTargetAdmin(admin.ModelAdmin):
    list_display = ["owner", "period_start", "period_end", "amount"]
    list_filter = ["period_start", "owner__memberships__team"]
    search_fields = ["owner__username", "owner__first_name", "owner__last_name"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["owner"]


@admin.register(PipelineSetting)
class PipelineSettingAdmin(admin.ModelAdmin):
    fields = ["green_percent", "yellow_percent", "red_percent", "late_entry_move"]

    def has_add_permission(self, request):
        return not PipelineSetting.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DealReview)
class DealReviewAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "reviewed_by", "reviewed_at", "next_review_date"]
    list_filter = ["reviewed_at"]
    search_fields = ["opportunity__name", "agreed_next_steps"]
    raw_id_fields = ["opportunity"]
    readonly_fields = ["unknown_answers"]


# --- Issue 8: imports ----------------------------------------------------------------------------

from opportunities.models import ImportBatch, ImportMapping  # noqa: E402


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


# === Issue 6: moves 3–6 (needs, criteria, value, concerns, negotiation, contract, payments) ===
from opportunities.models import (  # noqa: E402
    Commitment,
    Concern,
    ConcernSignal,
    Contract,
    CriterionCompetitorFit,
    Evaluation,
    MovesSetting,
    Need,
    NeedCategory,
    NegotiationItem,
    PaymentMilestone,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)


@admin.register(NeedCategory)
class NeedCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "required", "position", "is_active"]
    list_editable = ["required", "position", "is_active"]


@admin.register(ConcernSignal)
class ConcernSignalAdmin(admin.ModelAdmin):
    list_display = ["phrase", "risk_type", "meaning", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "meaning"]


@admin.register(MovesSetting)
class MovesSettingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "discount_approval_percent", "reminder_days", "detector_days"]

    def has_add_permission(self, request):
        return not MovesSetting.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionCompetitorFitInline(admin.TabularInline):
    model = CriterionCompetitorFit
    extra = 0


@admin.register(PurchaseCriterion)
class PurchaseCriterionAdmin(RefreshesFacts, SimpleHistoryAdmin):
    list_display = ["text", "opportunity", "weight", "origin", "our_fit", "status"]
    list_filter = ["origin", "status"]
    search_fields = ["text", "opportunity__name"]
    raw_id_fields = ["opportunity", "need", "origin_competitor"]
    list_select_related = ["opportunity"]
    inlines = [CriterionCompetitorFitInline]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["problem", "opportunity", "category", "severity", "target"]
    list_filter = ["category", "severity"]
    search_fields = ["problem", "opportunity__name"]
    raw_id_fields = ["opportunity", "contact"]
    list_select_related = ["opportunity", "category"]


@admin.register(ProjectApproval)
class ProjectApprovalAdmin(RefreshesFacts, SimpleHistoryAdmin):
    list_display = ["opportunity", "decision", "decided_on", "approved_budget"]
    list_filter = ["decision"]
    raw_id_fields = ["opportunity", "approver"]
    list_select_related = ["opportunity"]


@admin.register(Evaluation)
class EvaluationAdmin(RefreshesFacts, SimpleHistoryAdmin):
    list_display = ["opportunity", "standing", "method", "rfp_date", "bid_deadline"]
    list_filter = ["standing", "method"]
    raw_id_fields = ["opportunity"]
    list_select_related = ["opportunity"]


@admin.register(ValuePoint)
class ValuePointAdmin(SimpleHistoryAdmin):
    list_display = ["feature", "opportunity", "proof_type"]
    list_filter = ["proof_type"]
    search_fields = ["feature", "opportunity__name"]
    raw_id_fields = ["opportunity"]
    filter_horizontal = ["criteria"]
    list_select_related = ["opportunity"]


@admin.register(Concern)
class ConcernAdmin(SimpleHistoryAdmin):
    list_display = ["signal", "opportunity", "risk_type", "status", "owner"]
    list_filter = ["status", "risk_type"]
    search_fields = ["signal", "opportunity__name"]
    raw_id_fields = ["opportunity", "raised_by", "owner", "activity"]
    list_select_related = ["opportunity", "owner"]


@admin.register(NegotiationItem)
class NegotiationItemAdmin(SimpleHistoryAdmin):
    list_display = ["opportunity", "topic", "discount_percent", "status", "approval"]
    list_filter = ["topic", "status", "approval"]
    raw_id_fields = ["opportunity"]
    readonly_fields = ["approval", "decided_by", "decided_at"]
    list_select_related = ["opportunity"]


class PaymentMilestoneInline(admin.TabularInline):
    model = PaymentMilestone
    extra = 0
    fields = ["name", "amount", "due_date", "condition", "invoice_number", "status"]
    readonly_fields = ["status"]
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["opportunity", "number", "signed_on", "amount", "collected_at"]
    list_filter = ["signed_on"]
    search_fields = ["number", "opportunity__name"]
    raw_id_fields = ["opportunity", "signed_by"]
    readonly_fields = ["collected_at"]
    list_select_related = ["opportunity"]


class ReceiptInline(admin.TabularInline):
    model = Receipt
    extra = 0


@admin.register(PaymentMilestone)
class PaymentMilestoneAdmin(SimpleHistoryAdmin):
    """Data repair: saving a milestone and its receipts here refreshes the collection state."""

    list_display = ["name", "opportunity", "amount", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["name", "invoice_number", "opportunity__name"]
    raw_id_fields = ["opportunity"]
    readonly_fields = ["status"]
    date_hierarchy = "due_date"
    list_select_related = ["opportunity"]
    inlines = [ReceiptInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from opportunities import move_services

        move_services.refresh_collection(form.instance.opportunity)


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["what", "opportunity", "promised_by", "due_date", "fulfilled_on"]
    raw_id_fields = ["opportunity", "promised_by"]
    list_select_related = ["opportunity", "promised_by"]


# === end issue 6 ===
