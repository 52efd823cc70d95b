"""Demo data of the pipeline dashboards for `seed_demo` (called from opportunities/demo.py):
quarterly sales targets for the demo reps, so that attainment has its colours, and one
recorded deal review. Idempotent (natural keys: rep + period; deal + reviewer)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from opportunities.models import DealReview, Opportunity, Status
from opportunities.rules import attainment

# Quarterly targets of signed orders (CNY) [I].
TARGETS = {"rep": "1200000", "rep2": "900000", "rival": "1500000", "manager": "600000"}


def seed(context: dict) -> None:
    users = context["users"]
    today = timezone.localdate()
    start, _end = attainment.period_bounds(attainment.Period.THIS_YEAR, today)
    from opportunities.models import SalesTarget

    for username, amount in TARGETS.items():
        user = users.get(username)
        if user is None:
            continue
        for quarter in range(4):
            first = attainment.add_months(start, 3 * quarter)
            last = attainment.add_months(first, 3) - timedelta(days=1)
            SalesTarget.objects.update_or_create(
                owner=user,
                period_start=first,
                period_end=last,
                defaults={"amount": Decimal(amount)},
            )
    manager = users.get("manager")
    deal = (
        Opportunity.objects.filter(owner=users.get("rep"), status=Status.OPEN, move__gte=3)
        .order_by("-amount", "pk")
        .first()
    )
    if manager is None or deal is None:
        return
    DealReview.objects.get_or_create(
        opportunity=deal,
        reviewed_by=manager,
        defaults={
            "reviewed_at": timezone.now() - timedelta(days=12),
            "agreed_next_steps": (
                "约财务总监看 ROI 测算，两周内完成。 Take the CFO through the ROI case within two "
                "weeks.\n发展第二个向导（信息部）。 Develop a second guide in the IT department."
            ),
            "notes": "决策层关系仍停留在约会。 The decision level is still at interaction (约会).",
            "next_review_date": today + timedelta(days=2),
            "unknown_answers": 3,
        },
    )
