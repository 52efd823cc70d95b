"""Django admin for the customer dossier: every model, with history for the historied ones.

Admins see every record (crm.policy), so the querysets are not narrowed here; the models'
clean() methods give admin forms the same validation as the app's forms.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.dossier import CHECKS_BY_CODE
from accounts.models import (
    Account,
    Competitor,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    DossierCheckSetting,
    InstalledProduct,
    MergedAccount,
    MergedContact,
    PersonalDataAccess,
    PersonalProfile,
    PurchasePlan,
)
from accounts.services import log_personal_data_access
from accounts.signals import announce_people_changed


class InstalledProductInline(admin.TabularInline):
    model = InstalledProduct
    extra = 0
    fields = [
        "purpose",
        "brand",
        "product",
        "quantity",
        "years_in_use",
        "vendor",
        "competitor",
        "satisfaction",
    ]


class PurchasePlanInline(admin.TabularInline):
    model = PurchasePlan
    extra = 0
    fields = ["title", "problem", "expected_date", "budget"]


class CompetitorPresenceInline(admin.TabularInline):
    model = CompetitorPresence
    extra = 0
    fields = ["competitor", "satisfaction", "rep_name", "rep_relationship"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["name", "function", "head", "parent"]
    raw_id_fields = ["head", "parent"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "department", "function", "level", "is_guide", "is_active"]
    raw_id_fields = ["department"]
    show_change_link = True


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "industry", "region", "owner", "updated_at"]
    list_filter = ["status", "industry", "region", "owner"]
    search_fields = ["name", "industry", "region", "owner__username", "owner__first_name"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner", "collaborators", "parent"]
    date_hierarchy = "created_at"
    inlines = [
        DepartmentInline,
        ContactInline,
        InstalledProductInline,
        PurchasePlanInline,
        CompetitorPresenceInline,
    ]
    actions = ["archive"]

    @admin.action(description=_("Archive (mark dormant), keeping its contacts and opportunities"))
    def archive(self, request, queryset):
        # save(), not update(): each archived account gets its history row.
        accounts = list(queryset.exclude(status=Account.Status.DORMANT))
        for account in accounts:
            account.status = Account.Status.DORMANT
            account.save(update_fields=["status", "updated_at"])
        self.message_user(
            request,
            _("%(count)s accounts archived (status dormant).") % {"count": len(accounts)},
            messages.SUCCESS,
        )

    def get_deleted_objects(self, objs, request):
        """Deleting is rare and guarded (DESIGN.md): Django lists everything that would go
        with the account; an account with opportunities cannot go at all (PROTECT)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            self.message_user(
                request,
                _(
                    "An account with opportunities cannot be deleted, so that no deal is lost. "
                    "Archive it instead: select it in the list and choose “Archive”."
                ),
                messages.WARNING,
            )
        return deleted, counts, perms_needed, protected


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "updated_at"]
    search_fields = ["name"]


@admin.register(CompetitorPresence)
class CompetitorPresenceAdmin(SimpleHistoryAdmin):
    list_display = ["competitor", "account", "satisfaction", "rep_name", "rep_relationship"]
    list_filter = ["competitor", "satisfaction", "rep_relationship"]
    search_fields = ["account__name", "competitor__name", "rep_name"]
    list_select_related = ["account", "competitor"]
    autocomplete_fields = ["account", "competitor"]


@admin.register(InstalledProduct)
class InstalledProductAdmin(SimpleHistoryAdmin):
    list_display = ["purpose", "brand", "product", "account", "vendor", "satisfaction"]
    list_filter = ["vendor", "satisfaction", "competitor"]
    search_fields = ["purpose", "brand", "product", "account__name"]
    list_select_related = ["account"]
    autocomplete_fields = ["account", "competitor"]


@admin.register(PurchasePlan)
class PurchasePlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "account", "expected_date", "budget"]
    list_filter = ["expected_date"]
    search_fields = ["title", "problem", "account__name"]
    list_select_related = ["account"]
    autocomplete_fields = ["account"]


class DepartmentRelationInline(admin.TabularInline):
    model = DepartmentRelation
    fk_name = "source"
    extra = 0
    raw_id_fields = ["target"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "account", "function", "head", "parent"]
    list_filter = ["function"]
    search_fields = ["name", "account__name"]
    list_select_related = ["account", "head", "parent"]
    autocomplete_fields = ["account"]
    raw_id_fields = ["head", "parent"]
    inlines = [DepartmentRelationInline]


@admin.register(DepartmentRelation)
class DepartmentRelationAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target", "note"]
    list_filter = ["kind"]
    search_fields = ["source__name", "target__name", "source__account__name"]
    list_select_related = ["source", "target"]
    raw_id_fields = ["source", "target"]


class ContactTieInline(admin.TabularInline):
    model = ContactTie
    fk_name = "contact"
    extra = 0
    raw_id_fields = ["other"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "account", "function", "level", "is_guide", "is_active"]
    list_filter = ["function", "level", "is_guide", "guide_type", "has_veto", "is_active"]
    search_fields = ["name", "title", "email", "mobile", "account__name"]
    list_select_related = ["account"]
    autocomplete_fields = ["account"]
    raw_id_fields = ["department", "reports_to"]
    # No personal-profile inline: the profile is shown (and its viewing logged) on its own page.
    inlines = [ContactTieInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # the guide flag and the level are exit checks of the person's deals
            announce_people_changed([obj.pk])


@admin.register(PersonalProfile)
class PersonalProfileAdmin(SimpleHistoryAdmin):
    """Personal profiles (PIPL): the list names whose profile it is and nothing of it; opening
    a profile or its history is logged like the contact page."""

    list_display = ["contact", "contact__account", "updated_at"]
    search_fields = ["contact__name", "contact__account__name"]
    list_select_related = ["contact", "contact__account"]
    raw_id_fields = ["contact"]

    def _log(self, request, object_id, channel, changed=False):
        profile = self.get_object(request, object_id)
        if profile is not None:
            log_personal_data_access(
                contact=profile.contact, user=request.user, changed=changed, channel=channel
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(request, object_id, PersonalDataAccess.Channel.ADMIN, request.method == "POST")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log(request, object_id, PersonalDataAccess.Channel.HISTORY)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._log(request, object_id, PersonalDataAccess.Channel.HISTORY)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ContactTie)
class ContactTieAdmin(SimpleHistoryAdmin):
    list_display = ["contact", "kind", "other", "note"]
    list_filter = ["kind"]
    search_fields = ["contact__name", "other__name", "contact__account__name"]
    list_select_related = ["contact", "other"]
    raw_id_fields = ["contact", "other"]


@admin.register(DossierCheckSetting)
class DossierCheckSettingAdmin(admin.ModelAdmin):
    list_display = ["code", "category", "label", "weight", "enabled"]
    list_editable = ["weight", "enabled"]
    list_filter = ["enabled"]
    search_fields = ["code"]

    @admin.display(description=_("category"))
    def category(self, obj):
        check = CHECKS_BY_CODE.get(obj.code)
        return check.category.label if check else "—"

    @admin.display(description=_("what it checks"))
    def label(self, obj):
        check = CHECKS_BY_CODE.get(obj.code)
        return check.label if check else _("unknown check")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log of personal profiles (PIPL): read-only, for admins."""

    list_display = ["accessed_at", "user", "action", "channel", "contact_name", "account_name"]
    list_filter = ["action", "channel", "accessed_at"]
    search_fields = ["contact_name", "user__username", "account_name"]
    list_select_related = ["user"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MergeRecordAdmin(admin.ModelAdmin):
    """Merges are done on the merge pages (one transaction); the record is read-only."""

    list_display = ["old_name", "old_pk", "survivor", "merged_by", "merged_at"]
    list_select_related = ["survivor", "merged_by"]
    search_fields = ["old_name", "survivor__name"]
    readonly_fields = ["old_pk", "old_name", "survivor", "merged_by", "merged_at", "moved"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(MergedAccount, MergeRecordAdmin)
admin.site.register(MergedContact, MergeRecordAdmin)
