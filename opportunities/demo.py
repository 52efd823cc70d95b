"""Demo products and opportunities for `seed_demo`: deals on the demo accounts in every move,
won and lost, with buying groups. Idempotent: natural keys (product name; account + deal
name); a deal's history is written only when the deal is first created."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account, Competitor, Contact, Level
from opportunities.deals import selectors, services
from opportunities.models import (
    BuyerStage,
    LineItem,
    MoveChange,
    Opportunity,
    Product,
    Stakeholder,
    StakeholderRole,
    Status,
)
from opportunities.pipeline import facts
from opportunities.rules.stages import Move
from opportunities.seeding import pipeline as demo_pipeline
from opportunities.seeding.data import (
    COMPETITORS,
    DEALS,
    DEMO_ACCOUNTS,
    FALLBACK_CONTACTS,
    GROUP,
    PRODUCTS,
)
from opportunities.seeding.moves import seed_moves


def _accounts(users) -> list[Account]:
    return [
        Account.objects.get_or_create(name=name, defaults={"owner": users[username]})[0]
        for name, username in DEMO_ACCOUNTS
    ]


def _contacts(account: Account) -> list[Contact]:
    order = {Level.DECISION: 0, Level.MANAGEMENT: 1, Level.OPERATIONAL: 2}
    contacts = list(account.contacts.filter(is_active=True).order_by("pk"))
    if not contacts:  # accounts/demo.py did not run: bring our own people
        for name, title, level, function, guide in FALLBACK_CONTACTS:
            Contact.objects.get_or_create(
                account=account,
                name=name,
                defaults={"title": title, "level": level, "function": function, "is_guide": guide},
            )
        contacts = list(account.contacts.filter(is_active=True).order_by("pk"))
    return sorted(contacts, key=lambda c: (order.get(c.level, 3), c.pk))


def _relationship(contact: Contact, stage: int) -> None:
    from relationships.models import Relationship

    Relationship.objects.get_or_create(contact=contact, defaults={"stage": stage})


def seed(context: dict) -> None:
    users = context["users"]
    manager = users["manager"]
    admin = users["admin"]
    products = [
        Product.objects.get_or_create(
            name=name, defaults={"series": series, "list_price": Decimal(price)}
        )[0]
        for name, series, price in PRODUCTS
    ]
    competitors = [Competitor.objects.get_or_create(name=name)[0] for name in COMPETITORS]
    accounts = _accounts(users)
    today = timezone.localdate()
    created = []
    for spec in DEALS:
        account_index, username, name, move, outcome, items, q, group, days_ago = spec
        account = accounts[account_index]
        owner = users[username]
        opportunity = Opportunity.objects.filter(account=account, name=name).first()
        if opportunity is None:
            opportunity = _create(account, owner, name, items, q, products, today, days_ago, spec)
            _buying_group(opportunity, group)
            approver = manager if selectors.can_override(manager, opportunity) else admin
            _walk(opportunity, move, outcome, owner, approver, competitors, days_ago)
        services.refresh_qualification(opportunity)
        created.append(opportunity)
    context["opportunities"] = created
    context["products"] = products
    # Targets and a deal review for the pipeline dashboards.
    demo_pipeline.seed(context)
    seed_moves(context)
    facts.refresh(opportunity.pk for opportunity in created)  # written around the services


def _create(account, owner, name, items, q, products, today, days_ago, spec):
    budget, budget_status, decision_in, fit, margin, cost, risk, win = q
    started = timezone.now() - timedelta(days=days_ago)
    opportunity = Opportunity.objects.create(
        account=account,
        owner=owner,
        name=name,
        source="referral" if days_ago % 2 else "existing",
        expected_close_date=today
        + timedelta(days=decision_in + 30 if decision_in >= 0 else decision_in),
        next_step="约见决策者 Meet the decision maker",
        next_step_date=today + timedelta(days=7),
        budget_amount=Decimal(budget) if budget else None,
        budget_status=budget_status,
        decision_date=today + timedelta(days=decision_in),
        fit=fit,
        margin_percent=Decimal(margin),
        cost_of_sale=Decimal(cost),
        implementation_risk=risk,
        win_estimate=win,
        entered_move_at=started,
    )
    # created_at is auto_now_add: set the demo's start date explicitly.
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=started)
    for product_index, quantity, discount in items:
        product = products[product_index]
        LineItem.objects.create(
            opportunity=opportunity,
            product=product,
            quantity=quantity,
            unit_price=product.list_price,
            discount_percent=Decimal(discount),
        )
    services.recalculate_amount(opportunity)
    MoveChange.objects.create(
        opportunity=opportunity,
        from_move=None,
        to_move=Move.ANALYSIS,
        to_status=Status.OPEN,
        changed_at=started,
        changed_by=owner,
    )
    return opportunity


def _buying_group(opportunity, size):
    for contact, (roles, attitude, influence, stage) in zip(
        _contacts(opportunity.account), GROUP[:size], strict=False
    ):
        stakeholder, _created = Stakeholder.objects.get_or_create(
            opportunity=opportunity,
            contact=contact,
            defaults={"attitude": attitude, "influence": influence},
        )
        for role in roles:
            StakeholderRole.objects.get_or_create(stakeholder=stakeholder, role=role)
        _relationship(contact, stage)


def _walk(opportunity, move, outcome, owner, manager, competitors, days_ago):
    """Take a new demo deal through the moves, then spread its history over the past."""
    target = Move.COMMITMENT if outcome == Status.WON else move
    for step in range(2, target + 1):
        services.change_move(
            opportunity,
            to_move=step,
            by=manager,
            override=True,
            reason="演示数据：历史阶段 Demo data: earlier stage from the previous CRM",
        )
    if outcome == Status.WON:
        services.set_outcome(
            opportunity,
            status=Status.WON,
            by=manager,
            data={},
            override=True,
            reason="演示数据 Demo data",
        )
    elif outcome == Status.LOST:
        services.set_outcome(
            opportunity,
            status=Status.LOST,
            by=owner,
            data={
                "lost_to": competitors[0],
                "lost_at_buyer_stage": BuyerStage.EVALUATE,
                "lost_reason": "对手价格低 20%，技术评分我们领先但商务分落后。"
                " Competitor 20% cheaper; we led the technical score but lost on price.",
            },
        )
    elif outcome == Status.ABANDONED:
        services.set_outcome(
            opportunity,
            status=Status.ABANDONED,
            by=owner,
            data={"lost_reason": "项目无预算，客户推迟到明年。 No budget; postponed a year."},
        )
    changes = list(opportunity.move_changes.order_by("changed_at", "pk"))
    now = timezone.now()
    step_days = days_ago / max(len(changes), 1)
    for index, change in enumerate(changes):
        change.changed_at = now - timedelta(days=days_ago - index * step_days)
        change.save(update_fields=["changed_at"])
    last = changes[-1].changed_at
    fields = {"entered_move_at": last}
    if outcome != Status.OPEN:
        fields["closed_at"] = last
    Opportunity.objects.filter(pk=opportunity.pk).update(**fields)
