"""Demo records of moves 3–6 for `seed_demo`: needs, approval, criteria, evaluation, value,
concerns, negotiation, contract, payments and commitments on the demo deals that reached them."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Competitor
from opportunities.models import Status
from opportunities.rules.stages import Move
from opportunities.seeding.data import COMPETITORS, DEMO_CRITERIA, DEMO_NEEDS, MilestoneRow


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
        SatisfactionCheck,
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
            MilestoneRow(
                name="30% 签约款 On signing",
                share=Decimal("0.3"),
                due=signed_on + timedelta(days=15),
                condition="",
                paid=1,
            ),
            MilestoneRow(
                name="50% 验收款 On acceptance",
                share=Decimal("0.5"),
                due=today - timedelta(days=12),
                condition="验收报告签字 Acceptance signed",
                paid=0,
            ),
            MilestoneRow(
                name="20% 质保金 After warranty",
                share=Decimal("0.2"),
                due=today + timedelta(days=5),
                condition="质保期满 Warranty over",
                paid=0,
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
        if boss is not None:  # after acceptance: the after-sale check of move 6
            SatisfactionCheck.objects.get_or_create(
                opportunity=opportunity,
                answered_by=boss,
                defaults={
                    "score": 4,
                    "remarks": "上线顺利，培训还要加强 Smooth go-live; more training wanted",
                    "checked_on": today - timedelta(days=10),
                    "recorded_by": opportunity.owner,
                },
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
