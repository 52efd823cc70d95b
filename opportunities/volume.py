"""Volume data, step 4: products, opportunities over every move and status with line items,
stakeholders and their move history, and the records of moves 3–6 in proportion to how far
each deal got (see `manage.py seed_volume` and `seed_moves`)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.volume import BATCH, PREFIX, raw_delete
from opportunities.models import (
    Commitment,
    Concern,
    ConcernSignal,
    ConcernStatus,
    Contract,
    CriterionCompetitorFit,
    Evaluation,
    LineItem,
    MilestoneStatus,
    MoveChange,
    MoveThresholdSetting,
    Need,
    NeedCategory,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    Product,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    Stakeholder,
    StakeholderRole,
    ValuePoint,
)
from opportunities.models.buying_group import Attitude, Influence, PurchaseRole
from opportunities.models.contract import RiskType, Topic
from opportunities.models.needs import BuyDecision, CriterionStatus, Origin, Severity
from opportunities.models.opportunity import BuyerStage, Status
from opportunities.models.value import EvaluationMethod, ProofType, Standing
from opportunities.pipeline import facts
from opportunities.rules import qualification
from opportunities.rules.qualification import BudgetStatus, Risk
from opportunities.rules.stages import Move

PRODUCTS = [
    ("ERP 企业版 Enterprise", "ERP", 480_000),
    ("ERP 标准版 Standard", "ERP", 120_000),
    ("数据平台 Data Platform", "Data", 350_000),
    ("存储阵列 Storage Array", "Infra", 260_000),
    ("网络交换 Switching", "Infra", 90_000),
    ("运维服务 Managed Service", "Service", 60_000),
    ("咨询 Consulting", "Service", 30_000),
]
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


PROBLEMS = [
    (
        "月结要5天，管理层看不到实时数据 / month-end close takes 5 days",
        "月结 ≤ 2 天 / close ≤ 2 days",
    ),
    ("系统高峰期宕机 / the system goes down at peak load", "可用性 99.9% / 99.9% uptime"),
    ("库存数据不准 / inventory figures are wrong", "准确率 ≥ 99% / ≥ 99% accurate"),
    ("上线周期太长 / projects take too long to go live", "6 个月内上线 / live within 6 months"),
]
CRITERIA = [
    ("支持多组织合并报表 / consolidated multi-entity reports", "≤ 2 天"),
    ("7×24 本地服务 / 24×7 local support", "4 小时到场"),
    ("国产化适配 / domestic stack certified", "信创目录"),
    ("总拥有成本 / total cost of ownership", "5 年 ≤ 预算"),
]
CONCERNS = [
    (RiskType.PRICE, "再等等，预算还要再看看 / let's wait, budget under review"),
    (RiskType.DELIVERY, "担心上线延期 / worried the go-live slips"),
    (RiskType.CAREER, "项目失败谁负责？ / who answers if it fails?"),
]
MILESTONES = [("签约 30% / 30% at signing", "0.3", 0), ("验收 50% / 50% at acceptance", "0.5", 90)]
MILESTONES += [("质保 20% / 20% after warranty", "0.2", 365)]


def seed_moves(context: dict, deals: list, contacts: list, plan: list) -> None:
    """Moves 3–6 for the deals that reached them: a deal in move 3 or later has its project
    approval, two needs and two purchase criteria with competitors' fits; from move 4 its
    evaluation and value points; from move 5 concerns and a negotiation item; a won deal its
    contract, three payment milestones (paid, part-paid or due, as time has passed), receipts
    and commitments. `contacts[i]` is a stakeholder of `deals[i]`."""
    rng = context["rng"]
    today = timezone.localdate()
    if not NeedCategory.objects.exists():
        from opportunities.moves.defaults import ensure_defaults

        ensure_defaults(NeedCategory, ConcernSignal, MoveThresholdSetting)
    categories = list(NeedCategory.objects.order_by("position", "pk").values_list("pk", flat=True))
    competitors = [c.pk for c in context.get("competitors", [])]
    approvals, evaluations, needs, negotiation, concerns, contracts = [], [], [], [], [], []
    milestones, received_amounts, commitments = [], [], []
    reached = []  # (deal, contact, move) for deals in move 3 or later
    for deal, contact, (created, move, _status) in zip(deals, contacts, plan, strict=True):
        if move < 3:
            continue
        reached.append((deal, contact, move))
        approved = move >= 4 or rng.random() < 0.4
        approvals.append(
            ProjectApproval(
                opportunity=deal,
                decision=BuyDecision.YES if approved else BuyDecision.PENDING,
                decided_on=(created + timedelta(days=40)).date() if approved else None,
                approved_budget=(deal.budget_amount or deal.amount) if approved else None,
                approver_id=contact,
                roi_note="三年回本 / pays back in three years" if approved else "",
            )
        )
        for n in range(2):
            problem, target = PROBLEMS[(deal.pk + n) % len(PROBLEMS)]
            needs.append(
                Need(
                    opportunity=deal,
                    category_id=categories[(deal.pk + n) % len(categories)],
                    contact_id=contact,
                    problem=problem,
                    severity=rng.choice(list(Severity.values)),
                    target=target,
                    motive_organisation="降本增效 / lower cost",
                    source="需求调研会 / discovery workshop",
                )
            )
        if move >= 4:
            evaluations.append(
                Evaluation(
                    opportunity=deal,
                    method=rng.choice(list(EvaluationMethod.values)),
                    commercial_percent=rng.choice([30, 40, 50]),
                    standing=Standing.PREFERRED if move >= 5 else Standing.EVALUATING,
                    standing_evidence="议标邀请 / invited to negotiate" if move >= 5 else "",
                )
            )
        if move >= 5:
            for risk, signal in rng.sample(CONCERNS, rng.randint(1, 2)):
                state = rng.choice(list(ConcernStatus.values))
                planned = state != ConcernStatus.OPEN
                concerns.append(
                    Concern(
                        opportunity=deal,
                        raised_by_id=contact,
                        risk_type=risk,
                        signal=signal,
                        prevention_plan="试点先行 / pilot first" if planned else "",
                        remedy_plan="免费延保 / free extended warranty" if planned else "",
                        owner_id=deal.owner_id,
                        status=state,
                    )
                )
            negotiation.append(
                NegotiationItem(
                    opportunity=deal,
                    topic=rng.choice([Topic.PRICE, Topic.PAYMENT, Topic.SERVICE]),
                    our_position="标准价 / list price",
                    their_position="再降 10% / 10% more off",
                    discount_percent=Decimal(rng.choice([0, 5, 8])),
                )
            )
        if move == 6:
            signed = min(today, (deal.closed_at or timezone.now()).date())
            contracts.append(
                Contract(
                    opportunity=deal,
                    number=f"HT-{deal.pk:08d}",
                    signed_on=signed,
                    amount=deal.amount,
                    signed_by_id=contact,
                    payment_terms="3-5-2",
                )
            )
            for number, (name, share, days) in enumerate(MILESTONES):
                amount = (deal.amount * Decimal(share)).quantize(Decimal("0.01"))
                due = signed + timedelta(days=days)
                overdue = (today - due).days
                # Due long enough ago: paid; just due: paid, part-paid or not yet; later: planned.
                if overdue > 20 or (overdue >= 0 and rng.random() < 0.5):
                    state, received = MilestoneStatus.PAID, amount
                elif overdue >= 0 and rng.random() < 0.5:
                    state, received = MilestoneStatus.INVOICED, (amount / 2).quantize(amount)
                else:
                    state, received = MilestoneStatus.PLANNED, None
                milestones.append(
                    PaymentMilestone(
                        opportunity=deal,
                        name=name,
                        amount=amount,
                        due_date=due,
                        condition="验收签字 / acceptance sign-off" if days else "",
                        invoice_number=f"FP-{deal.pk:08d}-{number}" if received else "",
                        status=state,
                    )
                )
                received_amounts.append(received)
            for days in (30, 120):
                due = signed + timedelta(days=days)
                commitments.append(
                    Commitment(
                        opportunity=deal,
                        what="现场培训两次 / two on-site trainings",
                        promised_by_id=deal.owner_id,
                        due_date=due,
                        fulfilled_on=due if due < today and rng.random() < 0.8 else None,
                    )
                )
    ProjectApproval.objects.bulk_create(approvals, batch_size=BATCH)
    needs = Need.objects.bulk_create(needs, batch_size=BATCH)
    criteria = []
    for index, need in enumerate(needs):
        text, threshold = CRITERIA[(need.opportunity_id + index) % len(CRITERIA)]
        origin = rng.choice([Origin.US, Origin.CUSTOMER, Origin.CUSTOMER, Origin.COMPETITOR])
        if origin == Origin.COMPETITOR and not competitors:
            origin = Origin.CUSTOMER
        criteria.append(
            PurchaseCriterion(
                opportunity_id=need.opportunity_id,
                need=need,
                text=text,
                threshold=threshold,
                weight=rng.choice([10, 20, 30]),
                origin=origin,
                origin_competitor_id=rng.choice(competitors)
                if origin == Origin.COMPETITOR
                else None,
                our_fit=rng.randint(2, 5),
                status=rng.choice(list(CriterionStatus.values)),
            )
        )
    criteria = PurchaseCriterion.objects.bulk_create(criteria, batch_size=BATCH)
    fits = []
    for criterion in criteria:
        for competitor in rng.sample(competitors, min(len(competitors), rng.randint(1, 2))):
            fits.append(
                CriterionCompetitorFit(
                    criterion=criterion,
                    competitor_id=competitor,
                    fit=rng.randint(1, 5),
                    weakness="服务网点少 / few service centres",
                )
            )
    CriterionCompetitorFit.objects.bulk_create(fits, batch_size=BATCH)
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    # Value points answer the deal's criteria (two per deal, in order): one per criterion.
    by_deal = {}
    for criterion in criteria:
        by_deal.setdefault(criterion.opportunity_id, []).append(criterion)
    values, links = [], []
    for deal, _contact, move in reached:
        if move < 4:
            continue
        for criterion in by_deal.get(deal.pk, []):
            values.append(
                ValuePoint(
                    opportunity=deal,
                    feature="多组织合并引擎 / multi-entity consolidation",
                    advantage="一次过账 / post once",
                    benefit="月结缩短到 2 天 / close in 2 days",
                    proof_type=ProofType.REFERENCE,
                    proof="某能源集团 / an energy group",
                )
            )
            links.append(criterion)
    values = ValuePoint.objects.bulk_create(values, batch_size=BATCH)
    Through = ValuePoint.criteria.through  # noqa: N806
    Through.objects.bulk_create(
        [
            Through(valuepoint_id=value.pk, purchasecriterion_id=criterion.pk)
            for value, criterion in zip(values, links, strict=True)
        ],
        batch_size=BATCH,
    )
    Concern.objects.bulk_create(concerns, batch_size=BATCH)
    NegotiationItem.objects.bulk_create(negotiation, batch_size=BATCH)
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    Contract.objects.bulk_create(contracts, batch_size=BATCH)
    milestones = PaymentMilestone.objects.bulk_create(milestones, batch_size=BATCH)
    receipts, unpaid = [], set()
    for milestone, received in zip(milestones, received_amounts, strict=True):
        if received:
            receipts.append(
                Receipt(
                    milestone=milestone,
                    amount=received,
                    received_on=min(today, milestone.due_date + timedelta(days=10)),
                    reference=f"BANK-{milestone.pk:08d}",
                )
            )
        if milestone.status != MilestoneStatus.PAID:
            unpaid.add(milestone.opportunity_id)
    Receipt.objects.bulk_create(receipts, batch_size=BATCH)
    # A contract whose milestones are all paid is complete (as refresh_collection keeps it).
    complete = [contract.opportunity_id for contract in contracts]
    complete = [pk for pk in complete if pk not in unpaid]
    for start in range(0, len(complete), BATCH):
        Contract.objects.filter(opportunity_id__in=complete[start : start + BATCH]).update(
            collected_at=timezone.now()
        )
