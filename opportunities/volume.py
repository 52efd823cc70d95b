"""Volume data, step 4: products, opportunities over every move and status with line items,
stakeholders and their move history, and the records of moves 3–6 in proportion to how far
each deal got (see `manage.py seed_volume` and seeding/volume_moves.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.volume import BATCH, PREFIX, raw_delete
from opportunities.models import (
    LineItem,
    MoveChange,
    Opportunity,
    Product,
    Stakeholder,
    StakeholderRole,
)
from opportunities.models.buying_group import Attitude, Influence, PurchaseRole
from opportunities.models.opportunity import BuyerStage, Status
from opportunities.pipeline import facts
from opportunities.rules import qualification
from opportunities.rules.qualification import BudgetStatus, Risk
from opportunities.rules.stages import Move
from opportunities.seeding.volume_data import PRODUCTS
from opportunities.seeding.volume_moves import seed_moves

STATUSES = [Status.OPEN] * 12 + [Status.WON] * 4 + [Status.LOST] * 3 + [Status.ABANDONED]


def clear() -> None:
    # In SQL, children first (contracts and receipts are PROTECTed; see crm.volume.raw_delete).
    raw_delete(Opportunity.objects.filter(name__startswith=PREFIX))
    raw_delete(Product.objects.filter(name__startswith=PREFIX))


def seed(context: dict) -> None:
    rng, size = context["rng"], context["size"]
    accounts, contacts = context["accounts"], context["contacts"]
    per_account = size["contacts"]
    products = Product.objects.bulk_create(
        [
            Product(name=f"{PREFIX}{name}", series=series, list_price=price)
            for name, series, price in PRODUCTS
        ]
    )
    now, today = timezone.now(), timezone.localdate()
    rules = qualification.Rules()
    deals, lines, plan = [], [], []
    for index in range(size["opportunities"]):
        account = accounts[index % len(accounts)]
        status = rng.choice(STATUSES)
        move = Move.COLLECTION if status == Status.WON else rng.randint(1, 5)
        product = rng.choice(products)
        quantity, discount = rng.randint(1, 5), Decimal(rng.choice([0, 5, 10, 15]))
        amount = (product.list_price * quantity * (100 - discount) / 100).quantize(Decimal("1"))
        created = now - timedelta(days=rng.randrange(1, 700))
        inputs = qualification.Inputs(
            amount=amount,
            budget_amount=amount if rng.random() < 0.6 else None,
            budget_status=rng.choice(list(BudgetStatus.values)),
            decision_date=today + timedelta(days=rng.randrange(-30, 300)),
            fit=rng.randint(1, 5),
            margin_percent=Decimal(rng.randrange(5, 50)),
            cost_of_sale=amount / 20,
            risk=rng.choice(list(Risk.values)),
            win_estimate=rng.randrange(0, 101, 10),
        )
        result = qualification.qualify(inputs, rules, today)
        closed = status != Status.OPEN
        deals.append(
            Opportunity(
                account=account,
                owner_id=account.owner_id,
                name=f"{PREFIX}{product.series} 项目 {index:06d}",
                amount=amount,
                expected_close_date=today + timedelta(days=rng.randrange(-200, 365)),
                next_step="" if closed else "约决策层汇报 / meet the decision maker",
                next_step_date=None if closed else today + timedelta(days=rng.randrange(-10, 30)),
                status=status,
                closed_at=created + timedelta(days=rng.randrange(10, 200)) if closed else None,
                lost_reason="价格 / price" if status in (Status.LOST, Status.ABANDONED) else "",
                lost_at_buyer_stage=rng.choice(list(BuyerStage.values))
                if status == Status.LOST
                else "",
                move=move,
                entered_move_at=created + timedelta(days=rng.randrange(0, 60)),
                budget_amount=inputs.budget_amount,
                budget_status=inputs.budget_status,
                decision_date=inputs.decision_date,
                fit=inputs.fit,
                margin_percent=inputs.margin_percent,
                cost_of_sale=inputs.cost_of_sale,
                implementation_risk=inputs.risk,
                win_estimate=inputs.win_estimate,
                qualification_score=result.overall,
                qualification_verdict=result.verdict,
                qualified_on=today,
            )
        )
        lines.append((product, quantity, discount))
        plan.append((created, move, status))
    deals = Opportunity.objects.bulk_create(deals, batch_size=BATCH)
    LineItem.objects.bulk_create(
        [
            LineItem(
                opportunity=deal,
                product=product,
                quantity=quantity,
                unit_price=product.list_price,
                discount_percent=discount,
            )
            for deal, (product, quantity, discount) in zip(deals, lines, strict=True)
        ],
        batch_size=BATCH,
    )
    changes = []
    for deal, (created, move, status) in zip(deals, plan, strict=True):
        changes.append(
            MoveChange(
                opportunity=deal,
                from_move=None,
                to_move=Move.ANALYSIS,
                to_status=Status.OPEN,
                changed_at=created,
                changed_by_id=deal.owner_id,
            )
        )
        for step in range(2, move + 1):
            changes.append(
                MoveChange(
                    opportunity=deal,
                    from_move=step - 1,
                    to_move=step,
                    from_status=Status.OPEN,
                    to_status=Status.WON if step == Move.COLLECTION else Status.OPEN,
                    changed_at=created + timedelta(days=12 * step),
                    changed_by_id=deal.owner_id,
                )
            )
        if status in (Status.LOST, Status.ABANDONED):
            changes.append(
                MoveChange(
                    opportunity=deal,
                    from_move=move,
                    to_move=move,
                    from_status=Status.OPEN,
                    to_status=status,
                    changed_at=deal.closed_at,
                    changed_by_id=deal.owner_id,
                )
            )
    MoveChange.objects.bulk_create(changes, batch_size=BATCH)
    stakeholders, roles = [], []
    for deal_index, deal in enumerate(deals):
        first = (deal_index % len(accounts)) * per_account
        for offset in rng.sample(range(per_account), 3):
            stakeholders.append(
                Stakeholder(
                    opportunity=deal,
                    contact=contacts[first + offset],
                    attitude=rng.choice(list(Attitude.values)),
                    influence=rng.choice(list(Influence.values)),
                )
            )
    stakeholders = Stakeholder.objects.bulk_create(stakeholders, batch_size=BATCH)
    for stakeholder in stakeholders:
        for role in rng.sample(list(PurchaseRole.values), rng.randint(1, 2)):
            roles.append(StakeholderRole(stakeholder=stakeholder, role=role))
    StakeholderRole.objects.bulk_create(roles, batch_size=BATCH)
    context["opportunities"] = deals
    seed_moves(context, deals, [s.contact_id for s in stakeholders[::3]], plan)


def finish(context: dict) -> None:
    """The stored facts of the seeded deals (bulk-written around the services)."""
    facts.refresh(deal.pk for deal in context["opportunities"])
