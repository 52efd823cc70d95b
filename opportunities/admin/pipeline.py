"""The pipeline in the admin: targets, colour thresholds and deal reviews."""

from django.contrib import admin

from opportunities.models import Comment, DealReview, PipelineSetting, SalesTarget


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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "author", "opportunity", "account"]
    list_filter = ["created_at"]
    search_fields = ["body", "opportunity__name", "account__name", "author__username"]
    raw_id_fields = ["opportunity", "account", "author"]
    filter_horizontal = ["mentioned"]
    date_hierarchy = "created_at"
