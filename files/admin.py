from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from files import services
from files.models import Document, Version


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "name", "size", "mime_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Deleted documents stay here, restorable, until the nightly purge
    (FILES_KEEP_DELETED_DAYS)."""

    list_display = ["title", "content_type", "object_id", "created_by", "updated_at", "deleted_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter), "content_type"]
    list_select_related = ["content_type", "created_by"]
    search_fields = ["title", "versions__name"]
    readonly_fields = ["content_type", "object_id", "created_by", "deleted_at", "deleted_by"]
    inlines = [VersionInline]
    actions = ["restore"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Restore the chosen deleted documents"))
    def restore(self, request, queryset):
        count = services.restore(queryset.filter(deleted_at__isnull=False))
        self.message_user(
            request,
            ngettext("%(n)d document restored.", "%(n)d documents restored.", count) % {"n": count},
            messages.SUCCESS,
        )
