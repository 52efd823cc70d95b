"""Export of activities (the activity list's filtered rows) and of the contact list."""

from collections import defaultdict

from import_export import fields, resources

from accounts.models import Contact
from crm.exporting import LeanExport, account_key
from relationships import selectors as relationship_selectors
from relationships.filters import ContactFilter
from relationships.forms import ActivityFilter
from relationships.models import Activity


def names_text(names) -> str:
    return ", ".join(names)


class ActivityResource(LeanExport, resources.ModelResource):
    type = fields.Field(attribute="type__code", column_name="type")
    account = fields.Field(column_name="account")
    contacts = fields.Field(column_name="contacts")
    owner = fields.Field(attribute="owner__username", column_name="owner")

    class Meta:
        model = Activity
        fields = (
            "date",
            "type",
            "account",
            "contacts",
            "owner",
            "cost",
            "approval_status",
            "notes",
            "outcome",
            "next_step",
            "next_step_date",
        )
        export_order = fields

    def dehydrate_account(self, activity):
        return account_key(activity.account.external_id, activity.account.name)

    def dehydrate_contacts(self, activity):
        # Prefetched by relationships.selectors.activities_with_details, by name.
        return names_text(contact.name for contact in activity.contacts.all())

    # The same columns from values() (crm.exporting): what the export view streams.
    lean_values = ("pk", "account__external_id", "account__name")

    def lean_chunk(self, rows):
        names = defaultdict(list)
        links = Activity.contacts.through.objects.filter(
            activity_id__in=[row["pk"] for row in rows]
        ).order_by("contact__name", "contact_id")
        for activity_id, name in links.values_list("activity_id", "contact__name"):
            names[activity_id].append(name)
        for row in rows:
            row["contact_names"] = names.get(row["pk"], ())

    def lean_account(self, row):
        return account_key(row["account__external_id"], row["account__name"])

    def lean_contacts(self, row):
        return names_text(row["contact_names"])


def activity_rows(request):
    """The activity list's rows with its scope and filters."""
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    queryset = relationship_selectors.activity_list(request.user, scope=scope)
    return ActivityFilter(request.GET or None, queryset=queryset).qs


def contact_list_rows(request):
    """The contact list's rows with its filters and sort (relationships.views.contact_list)."""
    filterset = ContactFilter(
        request.GET or None, queryset=Contact.objects.visible_to(request.user), request=request
    )
    return filterset.rows()
