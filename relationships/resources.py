"""Export of activities (the activity list's filtered rows)."""

from import_export import fields, resources

from relationships.models import Activity


class ActivityResource(resources.ModelResource):
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
        return activity.account.external_id or activity.account.name

    def dehydrate_contacts(self, activity):
        # Prefetched by relationships.selectors.activities_with_details.
        return ", ".join(contact.name for contact in activity.contacts.all())
