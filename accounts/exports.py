"""Import and export of accounts and contacts. Column names are the same both ways, so an
export can be edited and imported again.

The contact export leaves out the personal profile (个人资料, METHOD.md §10: sensitive under
PIPL): it is shown on the contact page to those who may see it, never in a file.
"""

from django.db.models import QuerySet
from import_export import fields, resources

from accounts.filters import AccountFilter
from accounts.models import Account, Contact
from crm.exporting import LeanExport, account_key

# --- exports -------------------------------------------------------------------------------------


class AccountResource(LeanExport, resources.ModelResource):
    owner = fields.Field(attribute="owner__username", column_name="owner")
    parent = fields.Field(attribute="parent__name", column_name="parent")

    class Meta:
        model = Account
        fields = (
            "external_id",
            "name",
            "status",
            "industry",
            "region",
            "address",
            "phone",
            "website",
            "email",
            "revenue",
            "employees",
            "year_established",
            "parent",
            "owner",
            "notes",
        )
        export_order = fields

    @staticmethod
    def queryset(queryset):
        return queryset.select_related("owner", "parent")


class ContactResource(LeanExport, resources.ModelResource):
    account = fields.Field(column_name="account")
    department = fields.Field(attribute="department__name", column_name="department")

    class Meta:
        model = Contact
        # No personal-profile field, ever (see the module docstring).
        fields = (
            "external_id",
            "account",
            "name",
            "title",
            "department",
            "function",
            "level",
            "mobile",
            "phone",
            "email",
            "wechat",
            "has_veto",
            "is_guide",
            "is_active",
        )
        export_order = fields

    def dehydrate_account(self, contact):
        return account_key(contact.account.external_id, contact.account.name)

    @staticmethod
    def queryset(queryset):
        return queryset.select_related("account", "department")

    lean_values = ("account__external_id", "account__name")

    def lean_account(self, row):
        return account_key(row["account__external_id"], row["account__name"])


def _listed_accounts(request) -> QuerySet:
    visible = Account.objects.visible_to(request.user)
    filterset = AccountFilter(request.GET or None, queryset=visible, request=request)
    accounts = filterset.qs
    if not filterset.form.data.get("sort"):
        accounts = accounts.order_by("name", "pk")
    return accounts


def account_rows(request) -> QuerySet:
    """The account list's rows with its filters and sort (accounts.views.account_list)."""
    return _listed_accounts(request)


def contact_rows(request) -> QuerySet:
    """The contacts of the accounts the account list shows with the same filters."""
    accounts = _listed_accounts(request).order_by().values("pk")
    return (
        Contact.objects.visible_to(request.user)
        .filter(account__in=accounts)
        .order_by("account__name", "name", "pk")
    )
