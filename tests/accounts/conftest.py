import pytest

from accounts.models import Function, Level
from tests.accounts.factories import (
    CompetitorPresenceFactory,
    ContactTieFactory,
    DepartmentRelationFactory,
    InstalledProductFactory,
    PersonalProfileFactory,
    PurchasePlanFactory,
)
from tests.factories import AccountFactory, ContactFactory, DepartmentFactory


def fill_dossier(account, n=1):
    """`n` of every dossier row at `account` (departments, contacts at each level, a guide,
    profiles, ties, installed base, plans, competitors): for pages at two data sizes."""
    rows = {}
    for i in range(n):
        dept = DepartmentFactory(account=account, function=Function.PROCUREMENT)
        other = DepartmentFactory(account=account, function=Function.TECHNICAL, parent=dept)
        DepartmentRelationFactory(source=dept, target=other)
        boss = ContactFactory(account=account, level=Level.DECISION, department=dept)
        guide = ContactFactory(
            account=account,
            level=Level.MANAGEMENT,
            function=Function.TECHNICAL,
            reports_to=boss,
            is_guide=True,
            guide_type="technical",
            department=other,
        )
        dept.head = boss
        dept.save()
        PersonalProfileFactory(contact=guide, hometown=f"Town {i}")
        ContactTieFactory(contact=boss, other=guide)
        InstalledProductFactory(account=account, satisfaction=3)
        PurchasePlanFactory(account=account, problem="slow reports")
        CompetitorPresenceFactory(account=account, satisfaction=2, rep_name="Rival rep")
        rows.setdefault("contacts", []).extend([boss, guide])
        rows.setdefault("departments", []).extend([dept, other])
    return rows


@pytest.fixture
def account(personas):
    return AccountFactory(owner=personas.owner, name="江南银行", industry="Banking")


@pytest.fixture
def contact(account):
    return ContactFactory(account=account, name="林珊")
