"""Effort where it pays (handout step 4.2): spend effort on a deal in proportion to its budget
and to how near the customer's purchase decision is. One rule, in two forms: `effort_score`
over plain values here, and its SQL form in opportunities/effort.py (the opportunity list's
sort and the home panel); tests/opportunities/test_effort.py keeps the two in step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Weights:
    """The rule's numbers: admin settings (handout 4.2 [I]; AftersaleSetting in
    opportunities/models/aftersale.py)."""

    budget_weight: int = 60
    nearness_weight: int = 40
    full_budget: Decimal = Decimal(1_000_000)
    horizon_days: int = 180


def budget_part(budget: Decimal | None, full_budget: Decimal) -> float:
    """0 with no budget, rising in proportion up to 1 at `full_budget` and beyond."""
    if budget is None or budget <= 0 or full_budget <= 0:
        return 0.0
    return min(float(budget) / float(full_budget), 1.0)


def nearness_part(decision: date | None, today: date, horizon_days: int) -> float:
    """1 when the decision is due today or already past (it is being made now), falling in
    proportion to 0 at `horizon_days` away; 0 with no date: nothing says it is near."""
    if decision is None or horizon_days <= 0:
        return 0.0
    days = (decision - today).days
    return max(0.0, min(1.0, (horizon_days - days) / horizon_days))


def effort_score(
    budget: Decimal | None, decision: date | None, today: date, weights: Weights = Weights()
) -> float:
    """0–100: the weighted mean of the budget part and the nearness part."""
    total = weights.budget_weight + weights.nearness_weight
    if total <= 0:
        return 0.0
    value = weights.budget_weight * budget_part(budget, weights.full_budget)
    value += weights.nearness_weight * nearness_part(decision, today, weights.horizon_days)
    return 100.0 * value / total


def deal_inputs(budget_amount, amount, decision_date, expected_close_date):
    """A deal's budget (the 立项 budget, else the deal's amount) and its decision date (the
    expected decision, else the expected close)."""
    budget = budget_amount if budget_amount is not None else amount
    return budget, decision_date or expected_close_date


def explanation(weights: Weights) -> dict:
    """The numbers the home panel's tooltip states the rule with."""
    total = weights.budget_weight + weights.nearness_weight or 1
    return {
        "budget_share": round(100 * weights.budget_weight / total),
        "nearness_share": round(100 * weights.nearness_weight / total),
        "full_budget": weights.full_budget,
        "horizon_days": weights.horizon_days,
    }
