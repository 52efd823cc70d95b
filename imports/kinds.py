"""The kinds of data an upload may hold, and the importer of each (imports/importers/)."""

from imports import engine
from imports.importers.accounts import AccountImporter, ContactImporter
from imports.importers.opportunities import OpportunityImporter
from imports.importers.products import ProductImporter
from imports.importers.users import UserImporter
from imports.models import ImportKind

IMPORTERS = {
    ImportKind.USERS: UserImporter,
    ImportKind.PRODUCTS: ProductImporter,
    ImportKind.ACCOUNTS: AccountImporter,
    ImportKind.CONTACTS: ContactImporter,
    ImportKind.OPPORTUNITIES: OpportunityImporter,
}
# Users and the catalogue are an admin's business (DESIGN.md "who uses it").
ADMIN_ONLY = {ImportKind.USERS, ImportKind.PRODUCTS}


def importer(kind: str, user, source: str = "") -> engine.Importer:
    return IMPORTERS[ImportKind(kind)](user, source=source)
