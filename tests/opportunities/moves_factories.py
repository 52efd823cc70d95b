"""Builders for the records of moves 3–6 (tests only)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from opportunities.models import (
    Commitment,
    Concern,
    Contract,
    CriterionCompetitorFit,
    Evaluation,
    MoveChange,
    Need,
    NeedCategory,
    NegotiationItem,
    PaymentMilestone,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from opportunities.moves import services as move_services
from tests.factories import CompetitorFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory, StakeholderFactory


def won_deal_with_milestones(owner, amount=Decimal("100000")):
    """A won deal with its contract and three milestones: 30% paid, 50% overdue by 12 days,
    20% due in 5 days."""
    today = timezone.localdate()
    deal = OpportunityFactory(account__owner=owner, owner=owner)
    deal.status, deal.move, deal.closed_at = "won", 6, timezone.now()
    deal.save()
    Contract.objects.create(opportunity=deal, signed_on=today, amount=amount)
    plan = [
        ("signing", "0.3", -30, True),
        ("acceptance", "0.5", -12, False),
        ("warranty", "0.2", 5, False),
    ]
    for name, share, due_in, paid in plan:
        milestone = PaymentMilestone.objects.create(
            opportunity=deal,
            name=name,
            amount=amount * Decimal(share),
            due_date=today + timedelta(days=due_in),
        )
        if paid:
            Receipt.objects.create(milestone=milestone, amount=milestone.amount, received_on=today)
    move_services.refresh_collection(deal)
    deal.refresh_from_db()
    return deal


def fill_moves(deal, n=1):
    """Give a deal n records of every kind in moves 3–6 (for query counts and pages)."""
    today = timezone.localdate()
    category = NeedCategory.objects.order_by("pk").first()
    competitor = CompetitorFactory()
    contact = ContactFactory(account=deal.account)
    StakeholderFactory(opportunity=deal, contact=contact, roles=["evaluator"])
    ProjectApproval.objects.update_or_create(
        opportunity=deal,
        defaults={"decision": "yes", "approved_budget": Decimal(1000), "approver": contact},
    )
    Evaluation.objects.update_or_create(
        opportunity=deal, defaults={"standing": "preferred", "standing_evidence": "Invitation"}
    )
    contract = Contract.objects.filter(opportunity=deal).first() or Contract.objects.create(
        opportunity=deal, signed_on=today, amount=Decimal(10**7)
    )
    for i in range(n):
        need = Need.objects.create(
            opportunity=deal, category=category, problem=f"p{i}", contact=contact, target="t"
        )
        criterion = PurchaseCriterion.objects.create(
            opportunity=deal, text=f"c{i}", weight=10, our_fit=4, need=need, origin="us"
        )
        CriterionCompetitorFit.objects.create(criterion=criterion, competitor=competitor, fit=3)
        value = ValuePoint.objects.create(
            opportunity=deal, feature=f"f{i}", proof_type="test", proof="ok"
        )
        value.criteria.add(criterion)
        Concern.objects.create(
            opportunity=deal, signal=f"s{i}", owner=deal.owner, raised_by=contact
        )
        NegotiationItem.objects.create(opportunity=deal, topic="price", discount_percent=5)
        milestone = PaymentMilestone.objects.create(
            opportunity=deal, name=f"m{i}", amount=Decimal(1000), due_date=today + timedelta(days=i)
        )
        Receipt.objects.create(milestone=milestone, amount=Decimal(100), received_on=today)
        Commitment.objects.create(
            opportunity=deal, what=f"w{i}", promised_by=deal.owner, due_date=today
        )
    MoveChange.objects.get_or_create(
        opportunity=deal, to_move=1, to_status="open", changed_by=deal.owner
    )
    return contract


def ensure_moves_defaults():
    """The tests run without migrations: create the seeded rows of moves 3–6 and of the
    activity types the detector's tests use."""
    from opportunities.models import ConcernSignal, MoveThresholdSetting
    from opportunities.moves.defaults import ensure_defaults
    from relationships.defaults import ensure_defaults as ensure_relationship_defaults
    from relationships.models import ActivityType, CoolingThreshold, Festival

    ensure_defaults(NeedCategory, ConcernSignal, MoveThresholdSetting)
    ensure_relationship_defaults(ActivityType, CoolingThreshold, Festival)
