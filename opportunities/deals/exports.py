"""Import and export of products and opportunities; same column names both ways.

An opportunity row carries one product line (product, quantity, amount): the deal's amount
stays the total of its line items. `stage` is one of 1–5 (an open deal in that move), `won`
(move 6, 签约), `lost` or `abandoned`; a value mapping turns another system's stages into these.
"""

from collections import defaultdict

from django.utils import timezone
from import_export import fields, resources

from crm.exporting import LeanExport, account_key
from opportunities.deals import selectors
from opportunities.deals.filters import OpportunityFilter
from opportunities.models import (
    LineItem,
    MoveProbabilitySetting,
    Opportunity,
    Status,
)


def stage_text(move: int, status: str) -> str:
    return str(move) if status == Status.OPEN else status


def closed_on_text(closed_at) -> str:
    return timezone.localdate(closed_at).isoformat() if closed_at else ""


def products_text(names) -> str:
    return ", ".join(names)


def quantity_total(quantities) -> int | str:
    return sum(quantities) or ""


# --- exports -------------------------------------------------------------------------------------


class OpportunityResource(LeanExport, resources.ModelResource):
    account = fields.Field(column_name="account")
    owner = fields.Field(attribute="owner__username", column_name="owner")
    stage = fields.Field(column_name="stage")
    closed_on = fields.Field(column_name="closed_on")
    product = fields.Field(column_name="product")
    quantity = fields.Field(column_name="quantity")
    weighted_amount = fields.Field(attribute="weighted_amount", column_name="weighted_amount")

    class Meta:
        model = Opportunity
        fields = (
            "external_id",
            "name",
            "account",
            "owner",
            "stage",
            "product",
            "quantity",
            "amount",
            "weighted_amount",
            "expected_close_date",
            "closed_on",
            "next_step",
            "next_step_date",
            "source",
            "qualification_score",
            "lost_reason",
        )
        export_order = fields

    def dehydrate_account(self, opportunity):
        account = opportunity.account
        return account_key(account.external_id, account.name) if account else ""

    def dehydrate_stage(self, opportunity):
        return stage_text(opportunity.move, opportunity.status)

    def dehydrate_closed_on(self, opportunity):
        return closed_on_text(opportunity.closed_at)

    def _items(self, opportunity):
        return list(opportunity.line_items.all())

    def dehydrate_product(self, opportunity):
        return products_text(item.product.name for item in self._items(opportunity))

    def dehydrate_quantity(self, opportunity):
        return quantity_total(item.quantity for item in self._items(opportunity))

    @staticmethod
    def queryset(queryset):
        """For `export_resource()`; the export view reads `lean_rows()` instead."""
        return queryset.select_related("account", "owner").prefetch_related("line_items__product")

    # The same columns from values() (crm.exporting): what the export view streams.
    lean_values = ("pk", "account__external_id", "account__name", "move", "status", "closed_at")

    def lean_chunk(self, rows):
        items = defaultdict(list)
        lines = LineItem.objects.filter(opportunity_id__in=[row["pk"] for row in rows])
        for opportunity_id, product, quantity in lines.order_by("pk").values_list(
            "opportunity_id", "product__name", "quantity"
        ):
            items[opportunity_id].append((product, quantity))
        for row in rows:
            row["line_items"] = items.get(row["pk"], ())

    def lean_account(self, row):
        return account_key(row["account__external_id"], row["account__name"])

    def lean_stage(self, row):
        return stage_text(row["move"], row["status"])

    def lean_closed_on(self, row):
        return closed_on_text(row["closed_at"])

    def lean_product(self, row):
        return products_text(product for product, _ in row["line_items"])

    def lean_quantity(self, row):
        return quantity_total(quantity for _, quantity in row["line_items"])


def opportunity_rows(request):
    """The opportunity list's rows with its filters and sort."""
    base = selectors.opportunities_for(request.user, MoveProbabilitySetting.probabilities())
    queryset = OpportunityFilter(request.GET or None, queryset=base, user=request.user).qs
    if not request.GET.get("sort"):
        queryset = queryset.order_by(*selectors.default_order(request.user))
    return queryset
