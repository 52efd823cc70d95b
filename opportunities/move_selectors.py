"""Reads of moves 3–6 for the opportunity page and the gates, and the receivables page.

`sections()` loads every section of moves 3–6 in a fixed number of queries (listed in its
docstring) and runs the pure rules over them; `gate_facts_of()` is the lighter read the move
service uses; `receivables()` is the receivables page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from opportunities import concerns as concern_rules
from opportunities import criteria as criteria_rules
from opportunities import receivables as money_rules
from opportunities.models import (
    Commitment,
    Concern,
    ConcernSignal,
    ConcernStatus,
    CriterionCompetitorFit,
    MovesSetting,
    Need,
    NeedCategory,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    PurchaseCriterion,
    PurchaseRole,
    Receipt,
    Status,
    ValuePoint,
)
from opportunities.models.value import WINNING_STANDINGS

ZERO = Decimal(0)
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
DETECTOR_NOTES = 50  # the most recent activities the detector reads on the page


def _received():
    return Coalesce(Sum("receipts__amount"), Value(ZERO), output_field=MONEY_FIELD)


ONE_TO_ONES = ("project_approval__approver", "evaluation", "contract__signed_by")


def _one_to_ones(opportunity: Opportunity) -> Opportunity:
    """Approval, evaluation and contract in one query (reverse one-to-ones), or none when the
    opportunity was fetched with `select_related(*ONE_TO_ONES)` (the opportunity page)."""
    cached = opportunity._state.fields_cache
    if all(name in cached for name in ("project_approval", "evaluation", "contract")):
        return opportunity
    return (
        Opportunity.objects.filter(pk=opportunity.pk)
        .select_related(
            "project_approval__approver", "evaluation", "contract__signed_by", "account"
        )
        .get()
    )


def _related(holder: Opportunity, name: str):
    return getattr(holder, name, None) if hasattr(holder, name) else None


def _criteria(opportunity: Opportunity) -> list[PurchaseCriterion]:
    return list(
        PurchaseCriterion.objects.filter(opportunity=opportunity)
        .select_related("need", "origin_competitor")
        .annotate(
            n_value_points=Count("value_points", distinct=True),
            n_proven=Count("value_points", filter=~Q(value_points__proof_type=""), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "competitor_fits",
                queryset=CriterionCompetitorFit.objects.select_related("competitor").order_by(
                    "competitor__name"
                ),
            )
        )
        .order_by("-weight", "pk")
    )


def criterion_facts(criteria: list[PurchaseCriterion]) -> list[criteria_rules.CriterionFacts]:
    return [
        criteria_rules.CriterionFacts(
            text=c.text,
            weight=c.weight,
            origin=c.origin,
            our_fit=c.our_fit,
            competitor_fits={f.competitor.name: f.fit for f in c.competitor_fits.all()},
            proven_value_points=c.n_proven,
            value_points=c.n_value_points,
        )
        for c in criteria
    ]


def _facts(*, approval, criteria_facts, evaluation, concerns, contract, received) -> dict:
    """The move 3–6 part of stages.GateFacts, from loaded records."""
    unplanned = [c for c in concerns if c.blocks]
    standing = evaluation.get_standing_display() if evaluation else ""
    return {
        "budget_approved": bool(approval and approval.budget_approved),
        "approved_budget": approval.approved_budget if approval else None,
        "criteria_recorded": bool(criteria_facts),
        "criteria_count": len(criteria_facts),
        "criteria_unweighted": sum(1 for c in criteria_facts if c.weight == 0),
        "influence_percent": criteria_rules.influence_score(criteria_facts),
        "preferred_vendor": bool(evaluation and evaluation.standing in WINNING_STANDINGS),
        "standing_label": str(standing),
        "standing_evidence": evaluation.standing_evidence if evaluation else "",
        "open_concerns_without_plan": len(unplanned),
        "unplanned_concerns": tuple(c.signal for c in unplanned),
        "contract_signed": contract is not None,
        "contract_signed_on": contract.signed_on if contract else None,
        "collected_percent": money_rules.collected_percent(contract.amount, received)
        if contract
        else ZERO,
    }


def gate_facts_of(opportunity: Opportunity) -> dict:
    """The move 3–6 gate facts of a deal (six queries), for opportunities.services."""
    holder = _one_to_ones(opportunity)
    contract = _related(holder, "contract")
    received = (
        Receipt.objects.filter(milestone__opportunity=opportunity).aggregate(
            total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD)
        )["total"]
        if contract
        else ZERO
    )
    return _facts(
        approval=_related(holder, "project_approval"),
        criteria_facts=criterion_facts(_criteria(opportunity)),
        evaluation=_related(holder, "evaluation"),
        concerns=list(Concern.objects.filter(opportunity=opportunity).exclude(status="resolved")),
        contract=contract,
        received=received,
    )


def _detector(opportunity, concerns, setting, today):
    from relationships.models import Activity

    since = max(
        today - timedelta(days=setting.detector_days),
        opportunity.created_at.date() - timedelta(days=30),
    )
    notes = [
        concern_rules.Note(a["pk"], a["date"], f"{a['notes']}\n{a['outcome']}".strip())
        for a in Activity.objects.filter(account_id=opportunity.account_id, date__gte=since)
        .order_by("-date", "-pk")
        .values("pk", "date", "notes", "outcome")[:DETECTOR_NOTES]
    ]
    signals = [
        concern_rules.Signal(phrase, risk)
        for phrase, risk in ConcernSignal.objects.filter(is_active=True).values_list(
            "phrase", "risk_type"
        )
    ]
    return concern_rules.detect(
        notes, signals, already_logged={c.activity_id for c in concerns if c.activity_id}
    )


def sections(opportunity: Opportunity, *, stakeholders, today: date) -> dict:
    """Everything the move 3–6 sections of the opportunity page show. Queries (fixed):
    one-to-ones (approval, evaluation, contract), setting, need categories, needs, criteria,
    competitor fits, value points, their criteria, concerns, activities, signals, negotiation
    items, milestones, receipts, commitments — fifteen whatever the size."""
    holder = _one_to_ones(opportunity)
    approval = _related(holder, "project_approval")
    evaluation = _related(holder, "evaluation")
    contract = _related(holder, "contract")
    setting = MovesSetting.current()

    categories = list(NeedCategory.objects.filter(is_active=True))
    needs = list(
        Need.objects.filter(opportunity=opportunity)
        .select_related("contact", "category")
        .order_by("category__position", "pk")
    )
    errors = criteria_rules.three_errors(
        [
            criteria_rules.NeedFacts(
                n.problem, n.category.code, n.target, n.motive_organisation, n.motive_personal
            )
            for n in needs
        ],
        [(c.code, c.name) for c in categories if c.required],
    )

    criteria = _criteria(opportunity)
    facts_list = criterion_facts(criteria)
    card = criteria_rules.scorecard(facts_list)
    for criterion, row in zip(criteria, card.rows, strict=True):
        criterion.row = row
    value_points = list(
        ValuePoint.objects.filter(opportunity=opportunity)
        .prefetch_related("criteria")
        .order_by("pk")
    )
    evaluators = [
        s for s in stakeholders if PurchaseRole.EVALUATOR in [r.role for r in s.roles.all()]
    ]

    concerns = list(
        Concern.objects.filter(opportunity=opportunity)
        .select_related("raised_by", "owner")
        .order_by(Case(When(status=ConcernStatus.RESOLVED, then=Value(1)), default=Value(0)), "-pk")
    )
    suggestions = _detector(opportunity, concerns, setting, today)
    items = list(
        NegotiationItem.objects.filter(opportunity=opportunity)
        .select_related("decided_by")
        .order_by("topic", "pk")
    )

    milestones = list(
        PaymentMilestone.objects.filter(opportunity=opportunity)
        .annotate(received=_received())
        .prefetch_related(
            Prefetch("receipts", queryset=Receipt.objects.order_by("received_on", "pk"))
        )
        .order_by("due_date", "pk")
    )
    commitments = list(
        Commitment.objects.filter(opportunity=opportunity)
        .select_related("promised_by")
        .order_by("due_date", "pk")
    )
    received = sum((m.received for m in milestones), ZERO)
    by_id = {c.pk: c for c in commitments}
    before = money_rules.commitments_before(
        [m.due_date for m in milestones],
        [(c.pk, c.due_date, c.fulfilled) for c in commitments],
    )
    for milestone, ids in zip(milestones, before, strict=True):
        milestone.outstanding = money_rules.outstanding(milestone.amount, milestone.received)
        milestone.state = money_rules.state_of(
            milestone.amount, milestone.received, milestone.due_date, today, setting.reminder_days
        )
        milestone.state_label = money_rules.STATE_LABELS[milestone.state]
        milestone.commitments_due = [by_id[i] for i in ids]
    scheduled = sum((m.amount for m in milestones), ZERO)

    below = criteria_rules.below_trust([(s.contact.name, s.relationship_stage) for s in evaluators])
    gate = _facts(
        approval=approval,
        criteria_facts=facts_list,
        evaluation=evaluation,
        concerns=concerns,
        contract=contract,
        received=received,
    )
    return {
        "gate": gate,
        "setting": setting,
        "categories": categories,
        "needs": needs,
        "three_errors": errors,
        "approval": approval,
        "criteria": criteria,
        "influence": gate["influence_percent"],
        "scorecard": card,
        "coverage": criteria_rules.coverage(facts_list),
        "evaluation": evaluation,
        "value_points": value_points,
        "evaluators": evaluators,
        "evaluators_below_trust": below,
        "evaluators_ok": bool(evaluators) and not below,
        "concerns": concerns,
        "unplanned_concerns": gate["open_concerns_without_plan"],
        "suggestions": [
            (s, urlencode({"activity": s.activity_id, "phrase": s.phrases[0]})) for s in suggestions
        ],
        "negotiation_items": items,
        "contract": contract,
        "milestones": milestones,
        "commitments": commitments,
        "received": received,
        "scheduled": scheduled,
        "unscheduled": (contract.amount - scheduled) if contract else ZERO,
        "collected_percent": gate["collected_percent"],
        "is_won": opportunity.status == Status.WON,
    }


# --- the receivables page -----------------------------------------------------------------


def received_subquery():
    """Received on a milestone, as a correlated subquery (so it can be summed again)."""
    total = (
        Receipt.objects.filter(milestone=OuterRef("pk"))
        .order_by()
        .values("milestone")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )


def unpaid_milestones(user):
    """Milestones of won deals the user may see that still have money due, with `received`
    and `outstanding` computed in SQL."""
    return (
        PaymentMilestone.objects.visible_to(user)
        .filter(opportunity__status=Status.WON)
        .exclude(status="paid")
        .annotate(received=received_subquery())
        .annotate(
            outstanding=ExpressionWrapper(F("amount") - F("received"), output_field=MONEY_FIELD)
        )
        .filter(outstanding__gt=0)
    )


def bucket_filter(bucket: str, today: date) -> Q:
    definition = next(d for d in money_rules.BUCKETS if d.bucket == bucket)
    earliest, latest = money_rules.due_date_range(definition, today)
    condition = Q()
    if definition.min_days is None:
        return Q(due_date__gte=today)
    if earliest is not None:
        condition &= Q(due_date__gte=earliest)
    if latest is not None:
        condition &= Q(due_date__lte=latest)
    return condition


def ageing_totals(queryset, today: date) -> list[dict]:
    """Outstanding per ageing bucket, in one SQL aggregate over the filtered milestones."""
    aggregates = {
        d.bucket.value: Coalesce(
            Sum("outstanding", filter=bucket_filter(d.bucket, today)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        )
        for d in money_rules.BUCKETS
    }
    aggregates["total"] = Coalesce(Sum("outstanding"), Value(ZERO), output_field=MONEY_FIELD)
    aggregates["count"] = Count("pk")
    values = queryset.order_by().aggregate(**aggregates)
    return values
