"""Reads of moves 3–6 for the opportunity page and the gates, and the receivables page.

`sections()` loads every section of moves 3–6 in a fixed number of queries (listed in its
docstring) and runs the pure rules over them; `gate_records()` is the lighter read of the
same gate facts for the gate itself (deals.selectors.gate_facts, the one builder of
stages.GateFacts). Each section's table is read in one statement by moves/joined.py; the
receivables page reads through moves/receivables_selectors.py."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import (
    Case,
    DecimalField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from opportunities.models import (
    Commitment,
    Concern,
    ConcernStatus,
    MoveThresholdSetting,
    NegotiationItem,
    Opportunity,
    PurchaseCriterion,
    Receipt,
    Status,
)
from opportunities.models.collection import received_subquery  # noqa: F401 (read from here)
from opportunities.models.value import WINNING_STANDINGS
from opportunities.moves import concerns as concern_rules
from opportunities.moves import criteria as criteria_rules
from opportunities.moves import joined
from opportunities.moves import receivables as money_rules
from opportunities.moves.joined import DETECTOR_NOTES, ZERO  # noqa: F401 (read from here)

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


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


def criterion_facts(criteria: list[PurchaseCriterion]) -> list[criteria_rules.CriterionFacts]:
    return [
        criteria_rules.CriterionFacts(
            text=c.text,
            weight=c.weight,
            origin=c.origin,
            our_fit=c.our_fit,
            competitor_fits={f.competitor: f.fit for f in c.fits},
            proven_value_points=c.n_proven,
            value_points=c.n_value_points,
        )
        for c in criteria
    ]


def gate_records(opportunity: Opportunity) -> dict:
    """The move-2 rule and the move 3–6 facts of a deal read from its records (six queries):
    what `sections()` gives as "gate", without the rest of the page."""
    holder = _one_to_ones(opportunity)
    contract = _related(holder, "contract")
    criteria = joined.criteria(opportunity)
    joined.value_points(opportunity, criteria)  # counts each criterion's (proven) value points
    received = (
        Receipt.objects.filter(milestone__opportunity=opportunity).aggregate(
            total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD)
        )["total"]
        if contract
        else ZERO
    )
    return _facts(
        approval=_related(holder, "project_approval"),
        criteria_facts=criterion_facts(criteria),
        evaluation=_related(holder, "evaluation"),
        concerns=list(Concern.objects.filter(opportunity=opportunity).exclude(status="resolved")),
        contract=contract,
        received=received,
        setting=MoveThresholdSetting.current(),
    )


def _facts(*, approval, criteria_facts, evaluation, concerns, contract, received, setting) -> dict:
    """The move-2 rule and the move 3–6 part of stages.GateFacts, from loaded records."""
    unplanned = [c for c in concerns if c.blocks]
    standing = evaluation.get_standing_display() if evaluation else ""
    return {
        "trust": setting.trust_rule(),
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


def _detector(opportunity, concerns, setting, today):
    since = max(
        today - timedelta(days=setting.detector_days),
        opportunity.created_at.date() - timedelta(days=30),
    )
    notes, signals = joined.detector_inputs(opportunity, since)
    return concern_rules.detect(
        notes, signals, already_logged={c.activity_id for c in concerns if c.activity_id}
    )


def sections(
    opportunity: Opportunity,
    *,
    evaluators,
    today: date,
    setting: MoveThresholdSetting | None = None,
) -> dict:
    """Everything the move 3–6 sections of the opportunity page show; `evaluators` are the
    stakeholders with the evaluator role. Queries (fixed): need categories (+ the needs),
    criteria (+ competitor fits), value points (+ their criteria), concerns, the detector's
    notes (+ the signal phrases), negotiation items, milestones (+ receipts), commitments —
    seven whatever the size; the move thresholds `setting` when not given (the opportunity
    page reads it in the deal's row), and the one-to-ones (approval, evaluation, contract)
    when the opportunity was not read with them (ONE_TO_ONES): one more query each."""
    holder = _one_to_ones(opportunity)
    approval = _related(holder, "project_approval")
    evaluation = _related(holder, "evaluation")
    contract = _related(holder, "contract")
    setting = setting or MoveThresholdSetting.current()

    categories, needs = joined.needs(opportunity)
    errors = criteria_rules.three_errors(
        [
            criteria_rules.NeedFacts(
                n.problem, n.category.code, n.target, n.motive_organisation, n.motive_personal
            )
            for n in needs
        ],
        [(c.code, c.name) for c in categories if c.required],
    )

    criteria = joined.criteria(opportunity)
    value_points = joined.value_points(opportunity, criteria)
    facts_list = criterion_facts(criteria)
    card = criteria_rules.scorecard(facts_list)
    for criterion, row in zip(criteria, card.rows, strict=True):
        criterion.row = row

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

    milestones = joined.milestones(opportunity)
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
        setting=setting,
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
