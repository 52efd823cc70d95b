import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Level
from opportunities.models import MoveChange, PurchaseRole
from tests.factories import ContactFactory, RelationshipFactory
from tests.opportunities.factories import LineItemFactory, OpportunityFactory, StakeholderFactory


@pytest.fixture
def deal(personas):
    """An open deal of the owner persona in move 1, with its creation recorded."""
    opportunity = OpportunityFactory(account__owner=personas.owner)
    MoveChange.objects.create(
        opportunity=opportunity, to_move=1, to_status="open", changed_by=personas.owner
    )
    return opportunity


def support(contact, stage: int, *, days_ago: int = 1, approval: str = "not_needed"):
    """A completed activity with `contact` of a type evidencing `stage` (the move-2 gate counts
    a stage only when such an activity supports it)."""
    from relationships.models import Activity, ActivityType

    kind, _created = ActivityType.objects.get_or_create(
        code=f"test-stage-{stage}",
        defaults={"name_en": f"stage {stage}", "name_zh": f"阶段{stage}", "stage": stage},
    )
    activity = Activity.objects.create(
        account=contact.account,
        type=kind,
        owner=contact.account.owner,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        approval_status=approval,
        decided_at=None if approval in ("not_needed", "pending") else timezone.now(),
    )
    activity.contacts.set([contact])
    return activity


def qualify_fully(opportunity):
    """Give the deal a passing five-criteria qualification and the buying group of move 1."""
    LineItemFactory(opportunity=opportunity, quantity=1, unit_price=Decimal("100000"))
    opportunity.amount = Decimal("100000")
    opportunity.budget_amount = Decimal("120000")
    opportunity.budget_status = "approved"
    opportunity.decision_date = timezone.localdate() + datetime.timedelta(days=30)
    opportunity.fit = 5
    opportunity.margin_percent = Decimal("45")
    opportunity.cost_of_sale = Decimal("5000")
    opportunity.implementation_risk = "low"
    opportunity.win_estimate = 60
    opportunity.save()
    boss = ContactFactory(account=opportunity.account, name="Boss", level=Level.DECISION)
    guide = ContactFactory(account=opportunity.account, name="Guide", is_guide=True)
    RelationshipFactory(contact=boss, stage=4)
    RelationshipFactory(contact=guide, stage=3)
    support(boss, 4)
    support(guide, 3)
    StakeholderFactory(
        opportunity=opportunity,
        contact=boss,
        attitude="supporter",
        influence="high",
        roles=[PurchaseRole.DECISION_MAKER],
    )
    StakeholderFactory(
        opportunity=opportunity,
        contact=guide,
        attitude="supporter",
        influence="medium",
        roles=[PurchaseRole.DESIGNER],
    )
    return opportunity
