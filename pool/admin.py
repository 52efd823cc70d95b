from django.contrib import admin

from pool.models import PooledAccount, PoolMove, PoolRule


@admin.register(PoolRule)
class PoolRuleAdmin(admin.ModelAdmin):
    list_display = ["team", "enabled", "return_after_days", "claim_limit"]
    list_editable = ["enabled", "return_after_days", "claim_limit"]


class ReadOnly(admin.ModelAdmin):
    """Written by the pool's services only (each move with the account's history)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PooledAccount)
class PooledAccountAdmin(ReadOnly):
    list_display = ["account", "team", "since", "previous_owner", "last_done_on"]
    list_filter = ["team"]
    list_select_related = ["account", "team", "previous_owner"]
    search_fields = ["account__name"]


@admin.register(PoolMove)
class PoolMoveAdmin(ReadOnly):
    list_display = ["at", "account", "team", "kind", "from_owner", "to_owner", "by"]
    list_filter = ["kind", "team"]
    list_select_related = ["account", "team", "from_owner", "to_owner", "by"]
    search_fields = ["account__name"]
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False
