from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.models import Membership, Team, User
from crm.saved.models import SavedView


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class UserMembershipInline(MembershipInline):
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Preferences"), {"fields": ("language",)}),)
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__team"]
    inlines = [UserMembershipInline]

    def response_change(self, request, obj):
        """A user made inactive who still owns accounts: their book waits for a new owner, so
        the admin goes on to the handover page (bulk/handover.py)."""
        if not obj.is_active and obj.owned_accounts.exists():
            messages.warning(
                request,
                _("%(name)s can no longer sign in but still owns accounts: hand them over.")
                % {"name": obj},
            )
            return redirect(f"{reverse('bulk:handover')}?from={obj.pk}")
        return super().response_change(request, obj)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


from crm.api import admin as api_admin  # noqa: E402, F401  (registers)
from crm.notifications import admin as notifications_admin  # noqa: E402, F401  (registers)
from crm.webhooks import admin as webhooks_admin  # noqa: E402, F401  (registers)


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "list", "owner", "shared", "created_at"]
    list_filter = ["list", "shared"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
