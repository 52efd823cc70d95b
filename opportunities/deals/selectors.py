"""Reads used by the opportunity screens: each one a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, OuterRef, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Function, Level
from crm import policy
from opportunities.deals.folding import fold
from opportunities.models import (
    Attitude,
    Influence,
    MoveChange,
    MoveProbabilitySetting,
    Opportunity,
    PurchaseRole,
    QualificationSetting,
    Stakeholder,
    Status,
)
from opportunities.moves import selectors as move_selectors
from opportunities.rules import decisions, gates, powermap, qualification, stages

BOARD_CARDS_PER_MOVE = 8


def opportunities_for(user, probabilities: dict[int, int] | None = None):
    """The deals `user` may see, with account, owner and the SQL-computed weighted amount."""
    if probabilities is None:
        probabilities = MoveProbabilitySetting.probabilities()
    return (
        Opportunity.objects.visible_to(user)
        .select_related("account", "owner")
        .with_weighted_amount(probabilities)
    )


def totals(queryset) -> dict:
    """Count, amount and weighted amount of a filtered set, in one SQL aggregate."""
    values = queryset.order_by().aggregate(
        count=Count("pk"), amount=Sum("amount"), weighted=Sum("weighted_amount")
    )
    return {k: v or 0 for k, v in values.items()}


def board(queryset, *, per_move: int = BOARD_CARDS_PER_MOVE) -> list[dict]:
    """Columns of the board, one per move: count, amount and weighted amount for all deals in
    the filtered set, and at most `per_move` cards (the soonest to close) so the page stays
    bounded. Two queries whatever the data size."""
    live = queryset.filter(status__in=[Status.OPEN, Status.WON])
    sums = {
        row["move"]: row
        for row in live.order_by()
        .values("move")
        .annotate(count=Count("pk"), amount=Sum("amount"), weighted=Sum("weighted_amount"))
    }
    # Rank the narrow rows first, then fetch the few cards with their joins: the window runs
    # over every live deal in reach (12,700 for a manager at the large size).
    ranked = (
        live.order_by()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("move")],
                order_by=[F("expected_close_date").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=per_move)
        .values("pk")
    )
    cards: dict[int, list] = {}
    for opportunity in live.filter(pk__in=ranked).order_by("move", "expected_close_date", "pk"):
        cards.setdefault(opportunity.move, []).append(opportunity)
    columns = []
    for move in stages.Move:
        row = sums.get(move.value, {})
        count = row.get("count", 0)
        shown = cards.get(move.value, [])
        columns.append(
            {
                "move": move,
                "definition": stages.MOVES[move],
                "count": count,
                "amount": row.get("amount") or 0,
                "weighted": row.get("weighted") or 0,
                "cards": shown,
                "hidden": max(count - len(shown), 0),
            }
        )
    return columns


def can_override(user, opportunity: Opportunity) -> bool:
    """A manager of one of the owner's teams, or an admin, may override a gate, decide on the
    deal's negotiation items and record its review — never on their own deal."""
    return policy.decides_for(user, opportunity.owner_id)


def page_opportunities(user):
    """Opportunities as their page reads them: with account, owner, the competitor lost to and
    the one-to-ones of moves 3–6 (move_selectors.ONE_TO_ONES) in the same row, and two
    annotations instead of two queries: `may_override` (can_override for `user`) and
    `move_probability` (the stored probability of the deal's move, None for the default).
    Not filtered: fetch through crm.policy.get_visible_or_404."""
    may_override = policy.decides_for_annotation(user, OuterRef("owner_id"))
    return Opportunity.objects.select_related(
        "account", "owner", "lost_to", *move_selectors.ONE_TO_ONES
    ).annotate(
        may_override=may_override,
        move_probability=Subquery(
            MoveProbabilitySetting.objects.filter(move=OuterRef("move")).values("probability")[:1]
        ),
    )


def evidence_stage(today: date | None = None) -> Subquery:
    """The highest relationship stage a completed activity with the stakeholder's contact
    supports: done (dated today or before) and not refused or still waiting for approval
    (METHOD.md §9.2: a stage counts only when such an activity supports it)."""
    from relationships.models import Activity

    today = today or timezone.localdate()
    done = (
        Activity.objects.filter(
            contacts=OuterRef("contact_id"),
            date__lte=today,
            approval_status__in=[Activity.Approval.NOT_NEEDED, Activity.Approval.APPROVED],
            type__stage__isnull=False,
        )
        .order_by("-type__stage")
        .values("type__stage")[:1]
    )
    return Subquery(done)


def stakeholders_of(opportunity: Opportunity) -> list[Stakeholder]:
    """The buying group with contacts, relationship stages, the stage their completed
    activities support, and roles (two queries)."""
    return list(
        Stakeholder.objects.filter(opportunity=opportunity)
        .select_related("contact")
        .annotate(
            relationship_stage=F("contact__relationship__stage"), evidence_stage=evidence_stage()
        )
        .prefetch_related("roles")
        .order_by("contact__name", "pk")
    )


def _stagnation() -> dict:
    """relationships.stagnation.annotate_stagnant over each stakeholder's relationship, as
    subqueries of the same row: `stagnant` and `stage_since`, no query of their own."""
    from relationships.models import Relationship
    from relationships.stagnation import annotate_stagnant

    rows = annotate_stagnant(
        Relationship.objects.filter(contact_id=OuterRef("contact_id")), timezone.localdate()
    )
    return {
        "stagnant": Subquery(rows.values("stagnant")[:1]),
        "stage_since": Subquery(rows.values("stage_since")[:1]),
    }


def buying_group(opportunity: Opportunity) -> list[Stakeholder]:
    """The buying group as the opportunity page reads it, in one query: contacts and
    relationship stages joined, the purchase roles LEFT JOINed and folded into `role_codes`
    (stakeholders_of, for the other screens, prefetches them)."""
    rows = (
        Stakeholder.objects.filter(opportunity=opportunity)
        .select_related("contact")
        .annotate(
            relationship_stage=F("contact__relationship__stage"),
            evidence_stage=evidence_stage(),
            **_stagnation(),
            role_code=F("roles__role"),
            role_pk=F("roles__pk"),
        )
        .order_by("contact__name", "pk", "role_pk")
    )
    return fold(rows, "role_codes", lambda row: row.role_code)


def _roles(stakeholder: Stakeholder) -> list[str]:
    if hasattr(stakeholder, "role_codes"):  # read by buying_group()
        return stakeholder.role_codes
    return [r.role for r in stakeholder.roles.all()]


def _is_key(stakeholder: Stakeholder) -> bool:
    return (
        PurchaseRole.DECISION_MAKER in _roles(stakeholder)
        or stakeholder.influence == Influence.HIGH
    )


def win_evidence(stakeholders: list[Stakeholder]) -> qualification.WinEvidence:
    decision_makers = [s for s in stakeholders if PurchaseRole.DECISION_MAKER in _roles(s)]
    key = [s for s in stakeholders if _is_key(s)]
    return qualification.WinEvidence(
        decision_maker_known=bool(decision_makers),
        decision_maker_supports=any(s.attitude == Attitude.SUPPORTER for s in decision_makers),
        guides=sum(1 for s in stakeholders if s.contact.is_guide),
        key_people=len(key),
        key_people_at_trust=sum(
            1 for s in key if (s.relationship_stage or 0) >= stages.STAGE_TRUST
        ),
        key_opponents=sum(1 for s in key if s.attitude == Attitude.OPPONENT),
    )


def qualification_inputs(
    opportunity: Opportunity, stakeholders: list[Stakeholder]
) -> qualification.Inputs:
    return qualification.Inputs(
        amount=opportunity.amount,
        budget_amount=opportunity.budget_amount,
        budget_status=opportunity.budget_status,
        decision_date=opportunity.decision_date,
        fit=opportunity.fit,
        margin_percent=opportunity.margin_percent,
        cost_of_sale=opportunity.cost_of_sale,
        risk=opportunity.implementation_risk,
        win_estimate=opportunity.win_estimate,
        evidence=win_evidence(stakeholders),
    )


def qualify(
    opportunity: Opportunity,
    stakeholders: list[Stakeholder],
    rules: qualification.Rules,
    today: date,
) -> qualification.Qualification:
    return qualification.qualify(qualification_inputs(opportunity, stakeholders), rules, today)


def gate_facts(
    stakeholders: list[Stakeholder],
    result: qualification.Qualification,
    *,
    opportunity: Opportunity | None = None,
    moves: dict | None = None,
) -> stages.GateFacts:
    """The facts the exit checks look at. The facts of moves 3–6 and the move-2 rule come from
    `moves` (already loaded by move_selectors.sections) or are read for `opportunity`; with
    neither they stay None ("not yet measurable") and the rule its defaults."""
    if moves is None and opportunity is not None:
        moves = move_selectors.gate_records(opportunity)
    people = tuple(
        stages.Person(
            name=s.contact.name,
            is_decision_maker=PurchaseRole.DECISION_MAKER in _roles(s),
            is_key=_is_key(s),
            is_decision_level=s.contact.level == Level.DECISION,
            is_guide=s.contact.is_guide,
            stage=s.relationship_stage,
            evidence=getattr(s, "evidence_stage", None),
        )
        for s in stakeholders
    )
    return stages.GateFacts(
        qualification_passes=result.passes,
        qualification_verdict_label=result.summary,
        people=people,
        **(moves or {}),
    )


def map_people(stakeholders: list[Stakeholder]) -> list[powermap.MapPerson]:
    from relationships.models import Stage

    stage_labels = dict(Stage.choices)
    role_labels = dict(PurchaseRole.choices)
    return [
        powermap.MapPerson(
            pk=s.pk,
            name=s.contact.name,
            title=s.contact.title,
            level=s.contact.level,
            function=s.contact.function,
            roles=[(r, str(role_labels.get(r, r))) for r in _roles(s)],
            attitude=s.attitude,
            attitude_label=s.get_attitude_display(),
            influence=s.influence,
            influence_label=s.get_influence_display(),
            is_guide=s.contact.is_guide,
            stage=s.relationship_stage,
            stage_label=str(stage_labels.get(s.relationship_stage, "")),
            stagnant=bool(getattr(s, "stagnant", False)),
            stage_since=getattr(s, "stage_since", None),
        )
        for s in stakeholders
    ]


@dataclass
class HistoryRow:
    change: MoveChange
    days: float


def history_of(opportunity: Opportunity, now: datetime) -> tuple[list[HistoryRow], dict]:
    """The move history, newest first, with the days each row's move lasted, and the days
    per move (one query)."""
    changes = list(
        MoveChange.objects.filter(opportunity=opportunity)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )
    end = opportunity.closed_at if opportunity.status in (Status.LOST, Status.ABANDONED) else now
    end = end or now
    rows = []
    for index, change in enumerate(changes):
        until = changes[index + 1].changed_at if index + 1 < len(changes) else end
        rows.append(HistoryRow(change, max((until - change.changed_at).total_seconds(), 0) / 86400))
    per_move = stages.days_per_move([(c.to_move, c.changed_at) for c in changes], end)
    return list(reversed(rows)), per_move


def _probability(opportunity: Opportunity) -> int:
    """Won 100 %, lost or abandoned 0, open the probability of its move (METHOD.md §9.2)."""
    if opportunity.status == Status.WON:
        return 100
    if not opportunity.is_open:
        return 0
    if opportunity.move_probability is not None:
        return opportunity.move_probability
    return stages.MOVES[stages.Move(opportunity.move)].default_probability


def five_decisions(moves: dict) -> list[decisions.Decision]:
    """The five decisions from the records the page already loaded (no query)."""
    approval, evaluation, contract = moves["approval"], moves["evaluation"], moves["contract"]
    return decisions.five_decisions(
        decisions.DecisionFacts(
            buy_decision=approval.decision if approval else None,
            decided_on=approval.decided_on if approval else None,
            purchase_by=approval.purchase_by if approval else None,
            approved_budget=approval.approved_budget if approval else None,
            standing=evaluation.standing if evaluation else None,
            standing_label=str(evaluation.get_standing_display()) if evaluation else "",
            preferred=bool(moves["gate"]["preferred_vendor"]),
            contract_signed_on=contract.signed_on if contract else None,
        )
    )


def opportunity_page(opportunity: Opportunity, *, today: date | None = None) -> dict:
    """Everything the opportunity page shows, for an opportunity read through
    `page_opportunities()`. Queries: qualification setting, line items, buying group (with
    roles), move history — four — plus the fixed reads of the move 3–6 sections
    (move_selectors.sections), whatever the size."""
    today = today or timezone.localdate()
    now = timezone.now()
    rules = QualificationSetting.rules()
    line_items = list(opportunity.line_items.select_related("product").order_by("pk"))
    stakeholders = buying_group(opportunity)
    result = qualify(opportunity, stakeholders, rules, today)
    evaluators = [s for s in stakeholders if PurchaseRole.EVALUATOR in _roles(s)]
    moves = move_selectors.sections(opportunity, evaluators=evaluators, today=today)
    facts = gate_facts(stakeholders, result, moves=moves["gate"])
    current = stages.Move(opportunity.move)
    checks = gates.exit_checks(current, facts)
    history, days = history_of(opportunity, now)
    people = map_people(stakeholders)
    gaps = powermap.gaps(people)
    tracker = [
        {
            "move": move,
            "definition": stages.MOVES[move],
            "state": "done" if move < current else ("current" if move == current else "todo"),
            "days": days.get(move.value),
        }
        for move in stages.Move
    ]
    return {
        "line_items": line_items,
        "stakeholders": stakeholders,
        "qualification": result,
        "facts": facts,
        "current": stages.MOVES[current],
        "end_flag": gates.end_flag(current, facts),
        "checks": checks,
        "all_met": all(c.is_met for c in checks),
        "tracker": tracker,
        "history": history,
        "probability": _probability(opportunity),
        "power_rows": powermap.build_grid(people, Level.choices, Function.choices),
        "functions": Function.choices,
        "gaps": gaps,
        "role_gaps": [g for g in gaps if g.code in powermap.ROLE_GAP_CODES],
        "decisions": five_decisions(moves),
        "can_override": opportunity.may_override,
        "map_people": people,
        "moves": moves,
    }
