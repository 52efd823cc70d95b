from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
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


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


from crm.notifications import admin as notifications_admin  # noqa: E402, F401  (registers)


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "list", "owner", "shared", "created_at"]
    list_filter = ["list", "shared"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
