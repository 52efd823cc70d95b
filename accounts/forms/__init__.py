"""Forms of the accounts screens. Every foreign key offers only rows of the same account (and
that the user can see); the models' clean() methods hold the cross-field rules, so Django admin
gets the same messages.

One module per concern; every form is re-exported here, so `accounts.forms.X` stays the
import path.
"""

from accounts.forms.account import AccountForm
from accounts.forms.base import AccountPartForm, VersionedForm
from accounts.forms.competitors import (
    CompetitorPresenceForm,
    InstalledProductForm,
    PurchasePlanForm,
)
from accounts.forms.contacts import ContactForm, ContactTieForm, PersonalProfileForm
from accounts.forms.departments import DepartmentForm, DepartmentRelationForm

__all__ = [
    "AccountForm",
    "AccountPartForm",
    "CompetitorPresenceForm",
    "ContactForm",
    "ContactTieForm",
    "DepartmentForm",
    "DepartmentRelationForm",
    "InstalledProductForm",
    "PersonalProfileForm",
    "PurchasePlanForm",
    "VersionedForm",
]
