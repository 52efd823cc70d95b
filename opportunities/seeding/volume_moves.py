"""Volume data of moves 3–6 (see opportunities/volume.py): the records of each deal in
proportion to how far it got, bulk-inserted."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.volume import BATCH
from opportunities.models import (
    Commitment,
    Concern,
    ConcernSignal,
    ConcernStatus,
    Contract,
    CriterionCompetitorFit,
    Evaluation,
    MilestoneStatus,
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
from opportunities.models.contract import Topic
from opportunities.models.needs import BuyDecision, CriterionStatus, Origin, Severity
from opportunities.models.value import EvaluationMethod, ProofType, Standing
from opportunities.seeding.volume_data import CONCERNS, CRITERIA, MILESTONES, PROBLEMS


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
