"""Demo products and opportunities for `seed_demo`: deals on the demo accounts in every move,
won and lost, with buying groups. Idempotent: natural keys (product name; account + deal
name); a deal's history is written only when the deal is first created."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account, Competitor, Contact, Function, Level
from opportunities import demo_pipeline
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

PRODUCTS = [
    # name, series, list price
    ("摧龙 ERP 财务云 Finance Cloud", "ERP", "180000"),
    ("摧龙 ERP 供应链 Supply Chain", "ERP", "240000"),
    ("智能制造 MES 车间版 Shop-floor MES", "MES", "320000"),
    ("数据中台 Data Platform", "Data", "450000"),
    ("BI 报表 Analytics seat (per user)", "Data", "3600"),
    ("实施服务 Implementation (per day)", "Services", "4800"),
    ("年度运维 Annual support", "Services", "60000"),
    ("培训 Training course", "Services", "15000"),
]

# The accounts of accounts/demo.py (same names), created here only if that demo did not run.
DEMO_ACCOUNTS = [
    # name, owner username
    ("华东电网信息中心", "rep"),
    ("江南银行", "rep"),
    ("Shanghai Metro Group", "rep"),
    ("杭州智慧城市研究院", "rep2"),
    ("北方重工集团", "rival"),
]

FALLBACK_CONTACTS = [
    # name, title, level, function, guide
    ("张建国 Zhang Jianguo", "总经理 CEO", Level.DECISION, Function.OTHER, False),
    ("刘芳 Liu Fang", "财务总监 CFO", Level.DECISION, Function.PROCUREMENT, False),
    ("陈磊 Chen Lei", "信息部经理 IT manager", Level.MANAGEMENT, Function.TECHNICAL, True),
    ("王敏 Wang Min", "生产部主管 Production lead", Level.MANAGEMENT, Function.USER, False),
    ("赵婷 Zhao Ting", "采购专员 Buyer", Level.OPERATIONAL, Function.PROCUREMENT, False),
    ("孙浩 Sun Hao", "系统工程师 Systems engineer", Level.OPERATIONAL, Function.TECHNICAL, True),
]

COMPETITORS = ["用友 Yonyou", "浪潮 Inspur"]

# Roles by the contact's place in the account's list (decision level first).
GROUP = [
    (["decision_maker"], "supporter", "high", 3),
    (["decision_maker", "evaluator"], "neutral", "high", 2),
    (["designer", "evaluator"], "supporter", "medium", 4),
    (["initiator", "user"], "supporter", "medium", 3),
    (["evaluator"], "neutral", "low", 1),
    (["designer"], "opponent", "medium", 2),
]

# account index, owner, name, move reached, outcome, items [(product, qty, discount)],
# qualification (budget, budget status, decision in days, fit, margin, cost, risk, win),
# stakeholders (how many of GROUP), days ago created
DEALS = [
    (
        0,
        "rep",
        "变电站巡检 MES Substation inspection MES",
        1,
        Status.OPEN,
        [(2, 1, 5), (5, 40, 0)],
        ("", "unknown", 200, 4, "35", "20000", "medium", 40),
        2,
        12,
    ),
    (
        0,
        "rep",
        "财务共享中心 Finance shared-service centre",
        1,
        Status.OPEN,
        [(0, 1, 0), (5, 30, 0)],
        ("400000", "approved", 60, 5, "45", "15000", "low", 60),
        4,
        20,
    ),
    (
        1,
        "rep",
        "信贷数据中台 Credit data platform",
        2,
        Status.OPEN,
        [(3, 1, 10), (4, 50, 20), (5, 60, 0)],
        ("900000", "estimated", 120, 4, "40", "60000", "medium", 50),
        5,
        55,
    ),
    (
        1,
        "rep",
        "网点供应链升级 Branch supply chain upgrade",
        3,
        Status.OPEN,
        [(1, 1, 8), (6, 1, 0)],
        ("350000", "approved", 45, 4, "38", "25000", "low", 55),
        4,
        80,
    ),
    (
        2,
        "rep",
        "Operations BI for line control 运营分析 BI",
        4,
        Status.OPEN,
        [(4, 120, 15), (5, 20, 0), (7, 2, 0)],
        ("600000", "approved", 30, 3, "42", "30000", "medium", 60),
        6,
        110,
    ),
    (
        2,
        "rep",
        "Ticketing finance integration 票务财务对接",
        5,
        Status.OPEN,
        [(0, 1, 5), (5, 25, 0)],
        ("320000", "approved", 14, 4, "40", "18000", "low", 75),
        4,
        140,
    ),
    (
        0,
        "rep",
        "ERP 财务云一期 Finance Cloud phase 1",
        6,
        Status.WON,
        [(0, 1, 10), (6, 1, 0), (7, 1, 0)],
        ("260000", "approved", -20, 5, "45", "12000", "low", 85),
        4,
        200,
    ),
    (
        1,
        "rep",
        "移动营销平台 Mobile marketing platform",
        4,
        Status.LOST,
        [(3, 1, 0)],
        ("380000", "estimated", -40, 2, "30", "50000", "high", 45),
        3,
        170,
    ),
    (
        2,
        "rep",
        "Depot maintenance MES 车辆段维修 MES",
        1,
        Status.ABANDONED,
        [(2, 1, 0)],
        ("", "unknown", 500, 2, "20", "40000", "high", 20),
        1,
        90,
    ),
    (
        3,
        "rep2",
        "城市数据平台试点 City data platform pilot",
        2,
        Status.OPEN,
        [(1, 1, 0), (5, 15, 0)],
        ("300000", "estimated", 75, 4, "36", "15000", "medium", 50),
        3,
        40,
    ),
    (
        4,
        "rival",
        "重工 MES 改造 Heavy-industry MES retrofit",
        3,
        Status.OPEN,
        [(2, 2, 12)],
        ("700000", "approved", 90, 4, "33", "45000", "medium", 55),
        3,
        70,
    ),
]


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


# --- Moves 3–6: needs, criteria, value, concerns, contract and payments --------------------

DEMO_NEEDS = [
    # category, problem, target, organisational motive, personal motive, severity
    (
        "function",
        "月结要 5 天，报表靠手工汇总 Month-end close takes 5 days of manual consolidation",
        "月结 ≤ 2 天 Close in ≤ 2 days",
        "集团要求季度快报提前 Group wants the quarterly flash report earlier",
        "财务总监今年的考核指标 The CFO's target this year",
        "critical",
    ),
    (
        "performance",
        "高峰期系统卡顿 The system stalls at peak hours",
        "500 并发响应 < 2 秒 < 2 s at 500 concurrent users",
        "",
        "",
        "high",
    ),
    (
        "service",
        "现有厂商响应慢 The current vendor answers slowly",
        "",
        "停机影响生产 Downtime stops production",
        "",
        "medium",
    ),
]

DEMO_CRITERIA = [
    # text, threshold, weight, origin, our fit, competitor fits (by COMPETITORS index), status
    ("月结时效 Close time", "≤ 2 天 days", 30, "us", 5, (3, 4), "rfp"),
    ("本地化服务 On-site service", "4 小时到场 on site in 4 h", 25, "us", 4, (4, 3), "rfp"),
    (
        "国产化适配 Domestic stack certified",
        "信创认证 certified",
        20,
        "competitor",
        3,
        (5, 4),
        "final",
    ),
    ("价格 Price", "≤ 预算 within budget", 15, "customer", 3, (4, 4), "final"),
    ("成功案例 References in the sector", "≥ 3 家 3+", 10, "customer", 4, (4, 2), "draft"),
]


def seed_moves(context: dict) -> None:
    """Demo records of moves 3–6 on every demo deal that has reached them (idempotent:
    natural keys per deal — need problem, criterion text, concern signal, milestone name)."""
    from opportunities.models import (
        Commitment,
        Concern,
        ConcernSignal,
        Contract,
        CriterionCompetitorFit,
        Evaluation,
        MoveThresholdSetting,
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
    from opportunities.moves.defaults import ensure_defaults

    ensure_defaults(NeedCategory, ConcernSignal, MoveThresholdSetting)  # no migrations in tests
    today = timezone.localdate()
    competitors = list(Competitor.objects.filter(name__in=COMPETITORS).order_by("name"))
    categories = {c.code: c for c in NeedCategory.objects.all()}
    for opportunity in context.get("opportunities", []):
        opportunity.refresh_from_db()
        if opportunity.move < Move.NEEDS or opportunity.status in (Status.LOST, Status.ABANDONED):
            continue
        contacts = list(opportunity.account.contacts.order_by("pk"))
        boss = contacts[0] if contacts else None
        designer = contacts[2] if len(contacts) > 2 else boss
        # Move 3: needs, approval, criteria with competitor fits.
        needs = []
        for category, problem, target, motive, personal, severity in DEMO_NEEDS:
            need, _ = Need.objects.get_or_create(
                opportunity=opportunity,
                problem=problem,
                defaults={
                    "category": categories[category],
                    "contact": designer,
                    "target": target,
                    "motive_organisation": motive,
                    "motive_personal": personal,
                    "severity": severity,
                    "source": "需求调研会 Needs workshop",
                },
            )
            needs.append(need)
        approved = opportunity.move > Move.NEEDS or opportunity.status == Status.WON
        ProjectApproval.objects.get_or_create(
            opportunity=opportunity,
            defaults={
                "decision": "yes" if approved else "pending",
                "decided_on": today - timedelta(days=30) if approved else None,
                "approved_budget": opportunity.budget_amount or opportunity.amount
                if approved
                else None,
                "approver": boss,
                "roi_note": "两年回本：月结提速节省 6 人/月 Pays back in two years: faster close "
                "saves 6 person-months a year",
            },
        )
        criteria = []
        for index, (text, threshold, weight, origin, ours, fits, status) in enumerate(
            DEMO_CRITERIA
        ):
            criterion, created = PurchaseCriterion.objects.get_or_create(
                opportunity=opportunity,
                text=text,
                defaults={
                    "threshold": threshold,
                    "weight": weight,
                    "origin": origin,
                    "origin_competitor": competitors[0]
                    if origin == "competitor" and competitors
                    else None,
                    "our_fit": ours,
                    "status": status,
                    "need": needs[min(index, len(needs) - 1)],
                },
            )
            criteria.append(criterion)
            for competitor, fit in zip(competitors, fits, strict=False):
                CriterionCompetitorFit.objects.get_or_create(
                    criterion=criterion,
                    competitor=competitor,
                    defaults={"fit": fit},
                )
        if opportunity.move < Move.VALUE and opportunity.status != Status.WON:
            continue
        # Move 4: evaluation and value points.
        winning = opportunity.move > Move.VALUE or opportunity.status == Status.WON
        Evaluation.objects.get_or_create(
            opportunity=opportunity,
            defaults={
                "rfp_date": today - timedelta(days=40),
                "bid_deadline": today - timedelta(days=20),
                "method": "invited",
                "commercial_percent": 40,
                "panel": "五人评审组：信息部 2、财务 2、采购 1 Panel of five: IT 2, finance 2, "
                "procurement 1",
                "standing": "preferred" if winning else "evaluating",
                "standing_evidence": "商务谈判邀请函 Invitation to negotiate" if winning else "",
            },
        )
        value, created = ValuePoint.objects.get_or_create(
            opportunity=opportunity,
            feature="多组织并行结账 Parallel close across entities",
            defaults={
                "advantage": "子公司同时结账，不再排队 Subsidiaries close at once",
                "benefit": "月结从 5 天缩到 2 天 Close from 5 days to 2",
                "proof_type": "reference",
                "proof": "江南银行 2023 年上线，月结 1.5 天 Live at 江南银行, 1.5-day close",
            },
        )
        if created:
            value.criteria.set(criteria[:2])
        ValuePoint.objects.get_or_create(
            opportunity=opportunity,
            feature="7×24 本地服务团队 Local 24/7 service team",
            defaults={"advantage": "本地 30 人 30 engineers in town"},
        )
        if opportunity.move < Move.COMMITMENT and opportunity.status != Status.WON:
            continue
        # Move 5: concerns and negotiation.
        Concern.objects.get_or_create(
            opportunity=opportunity,
            signal="再等等，我们还在研究 Let's wait, we're still studying it",
            defaults={
                "raised_by": boss,
                "risk_type": "delivery",
                "owner": opportunity.owner,
                "prevention_plan": "提交分阶段上线计划并请参考客户背书 Phased go-live plan with a "
                "reference customer's word",
                "remedy_plan": "延期按日赔付 Daily penalty if we are late",
                "status": "planned",
            },
        )
        Concern.objects.get_or_create(
            opportunity=opportunity,
            signal="要找领导再问问 Has to ask the leader",
            defaults={
                "raised_by": designer,
                "risk_type": "career",
                "owner": opportunity.owner,
                "status": "resolved" if opportunity.status == Status.WON else "open",
                "prevention_plan": "",
            },
        )
        NegotiationItem.objects.get_or_create(
            opportunity=opportunity,
            topic="price",
            defaults={
                "our_position": "9 折 10% off",
                "their_position": "8 折 20% off",
                "concession": "8.8 折 + 免费培训 12% off and free training",
                "discount_percent": Decimal("12"),
                "status": "agreed" if opportunity.status == Status.WON else "open",
            },
        )
        NegotiationItem.objects.get_or_create(
            opportunity=opportunity,
            topic="payment",
            defaults={
                "our_position": "3-6-1",
                "their_position": "验收后一次付清 All on acceptance",
                "concession": "3-5-2",
            },
        )
        if opportunity.status != Status.WON:
            continue
        # Move 6: contract, milestones, receipts and commitments.
        created_on = timezone.localdate(opportunity.created_at)
        signed_on = max(created_on, today - timedelta(days=75))
        amount = opportunity.amount or Decimal("300000")
        contract, _ = Contract.objects.get_or_create(
            opportunity=opportunity,
            defaults={
                "number": f"CL-{opportunity.pk:05d}",
                "signed_on": signed_on,
                "amount": amount,
                "signed_by": boss,
                "payment_terms": "30% 签约 / 50% 验收 / 20% 质保期满 30% on signing, 50% on "
                "acceptance, 20% after warranty",
            },
        )
        plan = [
            ("30% 签约款 On signing", Decimal("0.3"), signed_on + timedelta(days=15), "", 1),
            (
                "50% 验收款 On acceptance",
                Decimal("0.5"),
                today - timedelta(days=12),
                "验收报告签字 Acceptance signed",
                0,
            ),
            (
                "20% 质保金 After warranty",
                Decimal("0.2"),
                today + timedelta(days=5),
                "质保期满 Warranty over",
                0,
            ),
        ]
        for name, share, due, condition, paid in plan:
            milestone, created = PaymentMilestone.objects.get_or_create(
                opportunity=opportunity,
                name=name,
                defaults={
                    "amount": (contract.amount * share).quantize(Decimal("0.01")),
                    "due_date": due,
                    "condition": condition,
                    "invoice_number": f"INV-{opportunity.pk}-{int(share * 100)}",
                },
            )
            if created and paid:
                Receipt.objects.create(
                    milestone=milestone,
                    amount=milestone.amount,
                    received_on=min(due, today),
                    reference="招行 CMB 6225",
                )
        Commitment.objects.get_or_create(
            opportunity=opportunity,
            what="上线后两周驻场支持 Two weeks on site after go-live",
            defaults={"promised_by": opportunity.owner, "due_date": today - timedelta(days=20)},
        )
        Commitment.objects.get_or_create(
            opportunity=opportunity,
            what="交付培训课程 3 场 Three training sessions",
            defaults={"promised_by": opportunity.owner, "due_date": today + timedelta(days=3)},
        )
        move_services.refresh_collection(opportunity)
    _seed_concern_signal_activity(context)


def _seed_concern_signal_activity(context: dict) -> None:
    """One visit note with a concern signal, so the detector has something to suggest."""
    from relationships.models import Activity, ActivityType

    target = next(
        (
            o
            for o in context.get("opportunities", [])
            if o.status == Status.OPEN and o.move >= Move.VALUE
        ),
        None,
    )
    kind = ActivityType.objects.filter(is_active=True).order_by("position", "pk").first()
    if target is None or kind is None:
        return
    contact = target.account.contacts.order_by("pk").first()
    activity, created = Activity.objects.get_or_create(
        account=target.account,
        notes="拜访刘总。她说方案不错，但最近忙，想再等等，还要问问专家的意见。"
        "Visited Ms Liu: likes the proposal but has been busy lately and wants to ask an expert.",
        defaults={
            "type": kind,
            "owner": target.owner,
            "date": timezone.localdate() - timedelta(days=3),
        },
    )
    if created and contact is not None:
        activity.contacts.add(contact)
