"""Customer accounts (客户) and the four-category dossier of move 1 (METHOD.md §3.3, §3.4).

Category 1 background / usage: Account fields, InstalledProduct, PurchasePlan.
Category 2 organisation: Department, DepartmentRelation, Contact (function × level).
Category 3 personal (sensitive, PIPL): PersonalProfile, ContactTie.
Category 4 competition: Competitor, CompetitorPresence.

One module per concern; every name is re-exported here, so `accounts.models.X` stays the
import path.
"""

from accounts.models.accounts import (
    Account,
    AccountPartQuerySet,
    AccountQuerySet,
    Function,
    Level,
    Satisfaction,
)
from accounts.models.competitors import (
    Competitor,
    CompetitorPresence,
    InstalledProduct,
    PurchasePlan,
)
from accounts.models.contacts import Contact, ContactQuerySet, ContactTie
from accounts.models.departments import Department, DepartmentRelation
from accounts.models.merged import MergedAccount, MergedContact
from accounts.models.profile import PersonalDataAccess, PersonalProfile
from accounts.models.settings import DossierCheckSetting

__all__ = [
    "Account",
    "AccountPartQuerySet",
    "AccountQuerySet",
    "Competitor",
    "CompetitorPresence",
    "Contact",
    "ContactQuerySet",
    "ContactTie",
    "Department",
    "DepartmentRelation",
    "DossierCheckSetting",
    "Function",
    "InstalledProduct",
    "Level",
    "MergedAccount",
    "MergedContact",
    "PersonalDataAccess",
    "PersonalProfile",
    "PurchasePlan",
    "Satisfaction",
]
