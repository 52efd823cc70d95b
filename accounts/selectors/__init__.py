"""Reads used by the accounts screens; every function costs a fixed number of queries.

One module per screen or concern; the names other code uses are re-exported here, so
`accounts.selectors.X` stays the import path.
"""

from accounts.selectors.changes import RECENT, Change, account_changes, contact_changes, part_events
from accounts.selectors.dossier import KNOWN_BIRTHDAY, assessments, dossier_facts, dossier_weights
from accounts.selectors.org_map import FUNCTIONS, LEVELS_TOP_DOWN, OrgMap, org_map
from accounts.selectors.pages import AccountPage, account_page, contact_page, shareable_users

__all__ = [
    "FUNCTIONS",
    "KNOWN_BIRTHDAY",
    "LEVELS_TOP_DOWN",
    "RECENT",
    "AccountPage",
    "Change",
    "OrgMap",
    "account_changes",
    "account_page",
    "assessments",
    "contact_changes",
    "contact_page",
    "dossier_facts",
    "dossier_weights",
    "org_map",
    "part_events",
    "shareable_users",
]
