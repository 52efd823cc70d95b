"""The account page and the contact page, and the users a form may offer; every function costs a
fixed number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.dossier import Assessment
from accounts.models import (
    Account,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    InstalledProduct,
    PurchasePlan,
)
from accounts.selectors.changes import account_changes, contact_changes
from accounts.selectors.dossier import assessments
from crm import policy


def shareable_users(user) -> QuerySet:
    """Users `user` may share an account with: everyone they can see plus the members of their
    own teams (a rep cannot see a teammate's records, but may share with them)."""
    return policy.share_candidates(user)


@dataclass
class AccountPage:
    account: Account
    assessment: Assessment
    departments: list[Department]
    department_relations: list[DepartmentRelation]
    contacts: list[Contact]
    installed_products: list[InstalledProduct]
    purchase_plans: list[PurchasePlan]
    presences: list[CompetitorPresence]
    ties: list[ContactTie]
    changes: list = field(default_factory=list)

    @property
    def active_contacts(self):
        return [c for c in self.contacts if c.is_active]


def account_page(account: Account, *, with_changes: bool = True) -> AccountPage:
    """Everything the account page shows: 9 queries for the rows, 8 for the dossier, 6 for
    the recent changes."""
    departments = list(account.departments.select_related("head", "parent").order_by("name"))
    relations = list(
        DepartmentRelation.objects.filter(source__account=account)
        .select_related("source", "target")
        .order_by("source__name", "target__name")
    )
    contacts = list(
        account.contacts.select_related("department", "reports_to", "profile").order_by(
            "-is_active", "name"
        )
    )
    page = AccountPage(
        account=account,
        assessment=assessments([account])[account.pk],
        departments=departments,
        department_relations=relations,
        contacts=contacts,
        installed_products=list(
            account.installed_products.select_related("competitor").order_by("purpose", "pk")
        ),
        purchase_plans=list(account.purchase_plans.order_by("expected_date", "pk")),
        presences=list(
            account.competitor_presences.select_related("competitor").order_by("competitor__name")
        ),
        ties=list(
            ContactTie.objects.filter(contact__account=account)
            .select_related("contact", "other")
            .order_by("contact__name", "other__name")
        ),
    )
    if with_changes:
        page.changes = account_changes(account)
    return page


def contact_page(contact: Contact) -> dict:
    """The contact page's rows beyond the contact itself (4 queries + 3 for the changes)."""
    return {
        "reports": list(contact.reports.order_by("-is_active", "name")),
        "ties_out": list(contact.ties.select_related("other").order_by("other__name")),
        "ties_in": list(contact.tied_by.select_related("contact").order_by("contact__name")),
        "headed_departments": list(contact.headed_departments.order_by("name")),
        "changes": contact_changes(contact),
    }
