"""Admin of move 6 after the sale and of the effort rule (opportunities/models/aftersale.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from opportunities.models import AftersaleSetting, Referral, SatisfactionCheck


@admin.register(AftersaleSetting)
class AftersaleSettingAdmin(admin.ModelAdmin):
    fieldsets = [
        (_("After the sale (METHOD.md §8.2)"), {"fields": ["referral_score", "dso_days"]}),
        (_("Attainment colours"), {"fields": ["colour_basis"]}),
        (
            _("Effort where it pays"),
            {"fields": ["budget_weight", "nearness_weight", "full_budget", "horizon_days"]},
        ),
    ]

    def has_add_permission(self, request):
        return not AftersaleSetting.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class RecordedByAdmin(SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SatisfactionCheck)
class SatisfactionCheckAdmin(RecordedByAdmin):
    list_display = ["opportunity", "answered_by", "score", "checked_on"]
    raw_id_fields = ["opportunity", "answered_by"]


@admin.register(Referral)
class ReferralAdmin(RecordedByAdmin):
    list_display = ["opportunity", "referred_account", "referred_contact"]
    raw_id_fields = ["opportunity", "referred_account", "referred_contact"]
