"""Moves 3–6 in the admin: needs, criteria, value, concerns, negotiation, contract, payments."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opportunities.admin.deals import RefreshesFacts
from opportunities.models import (
    Commitment,
    Concern,
    ConcernSignal,
    Contract,
    CriterionCompetitorFit,
    Evaluation,
    MoveThresholdSetting,
    Need,
    NeedCategory,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from opportunities.pipeline import facts


@admin.register(NeedCategory)
class NeedCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "required", "position", "is_active"]
    list_editable = ["required", "position", "is_active"]


@admin.register(ConcernSignal)
class ConcernSignalAdmin(admin.ModelAdmin):
    list_display = ["phrase", "risk_type", "meaning", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "meaning"]


@admin.register(MoveThresholdSetting)
class MoveThresholdSettingAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "trust_stage",
        "trust_guides",
        "trust_decision_level",
        "trust_unsupported_counts",
        "discount_approval_percent",
        "reminder_days",
        "detector_days",
    ]

    def has_add_permission(self, request):
        return not MoveThresholdSetting.objects.exists()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {n for n in form.changed_data if n.startswith("trust_")}:
            # The move-2 gate decides which deals are stage-inflated: recompute them all.
            facts.refresh(Opportunity.objects.values_list("pk", flat=True))

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
        from opportunities.moves import services as move_services

        move_services.refresh_collection(form.instance.opportunity)


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["what", "opportunity", "promised_by", "due_date", "fulfilled_on"]
    raw_id_fields = ["opportunity", "promised_by"]
    list_select_related = ["opportunity", "promised_by"]
