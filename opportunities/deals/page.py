"""The opportunity page's reads: within 15 queries whatever the deal holds (issue 24).

`page_opportunity()` reads the page's row in one query: the deal with its account, owner, the
competitor it was lost to and the one-to-ones of moves 3–6 (move_selectors.ONE_TO_ONES); the
override right and the move's probability as annotations; the three settings rows the page
reads (qualification, move thresholds, after-sale) as scalar subqueries; its line items with
their product LEFT JOINed and folded (folding.py). `opportunity_page()` then reads the buying
group, the move history and the sections of moves 3–6 (move_selectors.sections).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Function, Level
from crm import policy
from opportunities.deals.folding import columns, fold, instance, setting, setting_columns
from opportunities.deals.selectors import (
    buying_group,
    gate_facts,
    map_people,
    qualify,
    roles_of,
)
from opportunities.models import (
    AftersaleSetting,
    LineItem,
    MoveChange,
    MoveProbabilitySetting,
    MoveThresholdSetting,
    Opportunity,
    Product,
    PurchaseRole,
    QualificationSetting,
    Status,
)
from opportunities.moves import selectors as move_selectors
from opportunities.rules import decisions, gates, powermap, qualification, stages

# The settings rows in the page's row: (model, the prefix of its columns there).
QUALIFICATION = (QualificationSetting, "qualification_setting_")
MOVES = (MoveThresholdSetting, "moves_setting_")
AFTERSALE = (AftersaleSetting, "aftersale_setting_")
ITEM, PRODUCT = "item_", "product_"


def page_opportunities(user):
    """Opportunities as their page reads them (see the module's docstring): one row per line
    item, ordered by it, to fold (`page_opportunity`). `may_override` is can_override for
    `user`; `move_probability` the stored probability of the deal's move, None for the
    default. Not filtered: narrow through the policy."""
    may_override = policy.decides_for_annotation(user, OuterRef("owner_id"))
    probability = MoveProbabilitySetting.objects.filter(move=OuterRef("move"))
    return (
        Opportunity.objects.select_related(
            "account", "owner", "lost_to", *move_selectors.ONE_TO_ONES
        )
        .annotate(
            may_override=may_override,
            move_probability=Subquery(probability.values("probability")[:1]),
            **setting_columns(*QUALIFICATION),
            **setting_columns(*MOVES),
            **setting_columns(*AFTERSALE),
            **columns("line_items", LineItem, ITEM),
            **columns("line_items__product", Product, PRODUCT),
        )
        .order_by(f"{ITEM}id")
    )


def _line_item(row: Opportunity) -> LineItem | None:
    item = instance(row, LineItem, ITEM)
    if item is not None:
        item.product = instance(row, Product, PRODUCT)
    return item


def qualification_rules(row: Opportunity) -> qualification.Rules:
    """The qualification rules that `setting_columns(*QUALIFICATION)` read into a deal's row:
    the stored ones, or the defaults when none are stored (as QualificationSetting.rules())."""
    stored = setting(row, *QUALIFICATION)
    return stored.as_rules() if stored else qualification.Rules()


def page_opportunity(user, pk: int) -> Opportunity:
    """The deal `pk` if `user` may see it (else 404), read in one query, with `line_item_list`
    (by id), `qualification_rules`, `moves_setting` and `aftersale_setting` — the stored rows,
    or the defaults their models' own readers give when none is stored."""
    rows = fold(
        page_opportunities(user).visible_to(user).filter(pk=pk), "line_item_list", _line_item
    )
    if not rows:
        raise Http404
    opportunity = rows[0]
    opportunity.qualification_rules = qualification_rules(opportunity)
    opportunity.moves_setting = setting(opportunity, *MOVES) or MoveThresholdSetting(pk=1)
    opportunity.aftersale_setting = setting(opportunity, *AFTERSALE) or AftersaleSetting(pk=1)
    return opportunity


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
    """Everything the opportunity page shows, for an opportunity read by `page_opportunity()`.
    Queries: buying group (with roles), move history — two — plus the fixed reads of the move
    3–6 sections (move_selectors.sections), whatever the size."""
    today = today or timezone.localdate()
    now = timezone.now()
    stakeholders = buying_group(opportunity)
    result = qualify(opportunity, stakeholders, opportunity.qualification_rules, today)
    evaluators = [s for s in stakeholders if PurchaseRole.EVALUATOR in roles_of(s)]
    moves = move_selectors.sections(
        opportunity, evaluators=evaluators, today=today, setting=opportunity.moves_setting
    )
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
        "line_items": opportunity.line_item_list,
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
