"""Learning from our own deals in the admin: the sample size setting and the applied
probabilities (read-only: they are written by the learn page's apply)."""

from django.contrib import admin

from opportunities.models.learning import LearningSetting, ProbabilityChange


@admin.register(LearningSetting)
class LearningSettingAdmin(admin.ModelAdmin):
    fields = ["min_closed_deals"]

    def has_add_permission(self, request):
        return not LearningSetting.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProbabilityChange)
class ProbabilityChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "move", "old_probability", "new_probability", "changed_by"]
    list_filter = ["move", "changed_at"]
    readonly_fields = [
        "move",
        "old_probability",
        "new_probability",
        "won",
        "closed",
        "changed_by",
        "changed_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
