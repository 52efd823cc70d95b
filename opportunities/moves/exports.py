"""The receivables list's export: unpaid payment milestones, what is received and what is
outstanding."""

from django.utils import timezone
from import_export import fields, resources

from crm.exporting import LeanExport, account_key
from opportunities.models import (
    MoveThresholdSetting,
    PaymentMilestone,
)
from opportunities.moves import receivables_selectors


class ReceivableResource(LeanExport, resources.ModelResource):
    """Unpaid payment milestones (the receivables page), with `received` and `outstanding`
    as annotated by opportunities.moves.receivables_selectors.with_collected."""

    opportunity = fields.Field(attribute="opportunity__name", column_name="opportunity")
    opportunity_id = fields.Field(column_name="opportunity_external_id")
    account = fields.Field(column_name="account")
    owner = fields.Field(attribute="opportunity__owner__username", column_name="owner")
    received = fields.Field(attribute="received", column_name="received")
    outstanding = fields.Field(attribute="outstanding", column_name="outstanding")

    class Meta:
        model = PaymentMilestone
        fields = (
            "opportunity",
            "opportunity_id",
            "account",
            "owner",
            "name",
            "amount",
            "received",
            "outstanding",
            "due_date",
            "status",
            "invoice_number",
        )
        export_order = fields

    def dehydrate_opportunity_id(self, milestone):
        return milestone.opportunity.external_id

    def dehydrate_account(self, milestone):
        account = milestone.opportunity.account
        return account_key(account.external_id, account.name) if account else ""

    lean_values = (
        "opportunity__external_id",
        "opportunity__account__external_id",
        "opportunity__account__name",
    )

    def lean_opportunity_id(self, row):
        return row["opportunity__external_id"]

    def lean_account(self, row):
        return account_key(
            row["opportunity__account__external_id"], row["opportunity__account__name"]
        )


def receivable_rows(request):
    """The receivables page's rows: its scope and bucket (opportunities.moves.views), same
    rules."""
    queryset = receivables_selectors.open_receivables(request.user)
    if request.GET.get("scope") == "mine":
        queryset = queryset.filter(opportunity__owner=request.user)
    listed = receivables_selectors.receivables_listed(
        request.GET.get("bucket", ""),
        timezone.localdate(),
        MoveThresholdSetting.current().reminder_days,
    )
    if listed is not None:
        queryset = queryset.filter(listed)
    return receivables_selectors.with_collected(queryset).order_by("due_date", "pk")
