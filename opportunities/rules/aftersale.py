"""Move 6 after the sale (METHOD.md §8.2 [I]), over plain values: when to ask for the
satisfaction check and for a referral, days sales outstanding, and the bad-debt impact.
The figures are summed in SQL by opportunities/pipeline/collections.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def satisfaction_due(won: bool, checks: int) -> bool:
    """A won deal (the contract signed, delivery under way) with no satisfaction check yet."""
    return won and checks == 0


def referral_due(complete: bool, latest_score: int | None, threshold: int, referrals: int) -> bool:
    """Ask for a referral once the money is all in and the customer's latest satisfaction
    check reached the threshold (METHOD.md §8.1: the account as a stronghold, 堡垒), until
    one is recorded. A dissatisfied customer is not asked."""
    return complete and latest_score is not None and latest_score >= threshold and not referrals


def dso(receivable: Decimal, fell_due: Decimal, days: int) -> int | None:
    """Days sales outstanding: what is due and unpaid ÷ what fell due in the last `days` days
    × `days`, rounded to whole days. None when nothing fell due in the window: the ratio says
    nothing then (the overdue amount still shows)."""
    if fell_due is None or fell_due <= 0 or days <= 0:
        return None
    value = max(receivable or ZERO, ZERO) * days / fell_due
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def bad_debt_impact(amount: Decimal, margin_percent: Decimal | None) -> Decimal | None:
    """The new orders needed to earn back a written-off amount: amount ÷ gross margin
    (METHOD.md §8.1: at 10% margin, ten times the debt). None without a positive margin."""
    if margin_percent is None or margin_percent <= 0:
        return None
    return (amount * HUNDRED / margin_percent).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Collections:
    """One rep's or one account's receivables (sums from SQL) and what follows from them."""

    receivable: Decimal = ZERO  # due by today, unpaid
    overdue: Decimal = ZERO  # due before today, unpaid
    fell_due: Decimal = ZERO  # milestone amounts due within the DSO window
    at_risk: Decimal = ZERO  # unpaid over 90 days: likely bad debt
    recovery: Decimal = ZERO  # Σ at-risk ÷ its deal's margin: orders needed to earn it back
    unknown_margin: Decimal = ZERO  # at-risk amounts of deals with no margin recorded
    days: int = 90

    @property
    def dso(self) -> int | None:
        return dso(self.receivable, self.fell_due, self.days)
