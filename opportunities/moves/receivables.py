"""Rules of move 6, 回收账款 (METHOD.md §8), over plain values: collected percentage, what is
still due on a milestone, ageing buckets, reminders before the due date, and the commitments
to keep before each milestone. No database access.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


def collected_percent(contract_amount: Decimal, received: Decimal) -> Decimal:
    """Received ÷ contract amount, in percent with one decimal, within [0, 100].

    Rounded down, so that 100 means every last fen is in: the sale is complete only then
    (METHOD.md §8: "a sale is complete only when everything is collected")."""
    if contract_amount is None or contract_amount <= 0:
        return Decimal(0)
    value = (max(received or Decimal(0), Decimal(0)) * HUNDRED / contract_amount).quantize(
        Decimal("0.1"), ROUND_DOWN
    )
    return min(value, HUNDRED)


def is_complete(contract_amount: Decimal, received: Decimal) -> bool:
    return contract_amount is not None and contract_amount > 0 and received >= contract_amount


def outstanding(amount: Decimal, received: Decimal) -> Decimal:
    return max(amount - (received or Decimal(0)), Decimal(0))


class Bucket(enum.StrEnum):
    NOT_DUE = "not_due"
    D1_30 = "1_30"
    D31_60 = "31_60"
    D61_90 = "61_90"
    OVER_90 = "over_90"


@dataclass(frozen=True)
class BucketDefinition:
    bucket: Bucket
    label: str
    min_days: int | None  # days overdue, inclusive; None = not yet due
    max_days: int | None  # inclusive; None = open-ended


BUCKETS: tuple[BucketDefinition, ...] = (
    BucketDefinition(Bucket.NOT_DUE, _("not yet due"), None, 0),
    BucketDefinition(Bucket.D1_30, _("1–30 days overdue"), 1, 30),
    BucketDefinition(Bucket.D31_60, _("31–60 days overdue"), 31, 60),
    BucketDefinition(Bucket.D61_90, _("61–90 days overdue"), 61, 90),
    BucketDefinition(Bucket.OVER_90, _("over 90 days overdue"), 91, None),
)


def days_overdue(due_date: date, today: date) -> int:
    return max((today - due_date).days, 0)


def bucket_of(due_date: date, today: date) -> Bucket:
    """The ageing bucket of an unpaid amount due on `due_date` (due today = not yet due)."""
    days = days_overdue(due_date, today)
    for definition in BUCKETS[1:]:
        if days >= definition.min_days and (
            definition.max_days is None or days <= definition.max_days
        ):
            return definition.bucket
    return Bucket.NOT_DUE


def due_date_range(definition: BucketDefinition, today: date) -> tuple[date | None, date | None]:
    """The due dates (earliest, latest; None = open) that fall in a bucket, for SQL filters."""
    if definition.min_days is None:
        return today, None
    earliest = None if definition.max_days is None else today - timedelta(days=definition.max_days)
    return earliest, today - timedelta(days=definition.min_days)


def ageing(rows: Iterable[tuple[date, Decimal]], today: date) -> dict[Bucket, Decimal]:
    """Outstanding amounts (due date, amount) summed per bucket; every bucket present."""
    totals = {d.bucket: Decimal(0) for d in BUCKETS}
    for due, amount in rows:
        totals[bucket_of(due, today)] += amount
    return totals


def needs_reminder(due_date: date, today: date, reminder_days: int) -> bool:
    """Remind the customer *before* the due date (METHOD.md §8.2): due within the window."""
    return today <= due_date <= today + timedelta(days=reminder_days)


class State(enum.StrEnum):
    PAID = "paid"
    OVERDUE = "overdue"
    REMIND = "remind"
    UPCOMING = "upcoming"


STATE_LABELS = {
    State.PAID: _("paid"),
    State.OVERDUE: _("overdue"),
    State.REMIND: _("due soon: remind the customer"),
    State.UPCOMING: _("upcoming"),
}


def state_of(
    amount: Decimal, received: Decimal, due_date: date, today: date, reminder_days: int
) -> State:
    if received >= amount:
        return State.PAID
    if due_date < today:
        return State.OVERDUE
    if needs_reminder(due_date, today, reminder_days):
        return State.REMIND
    return State.UPCOMING


@dataclass(frozen=True)
class ReceiptCheck:
    ok: bool
    still_due: Decimal


def check_receipt(
    milestone_amount: Decimal, received_before: Decimal, amount: Decimal
) -> ReceiptCheck:
    """A receipt may not exceed what is still due on its milestone."""
    due = outstanding(milestone_amount, received_before)
    return ReceiptCheck(Decimal(0) < amount <= due, due)


def commitments_before(
    milestone_dues: Sequence[date], commitments: Sequence[tuple[int, date, bool]]
) -> list[list[int]]:
    """For each milestone (by due date, in order), the unfulfilled commitments (id, due,
    fulfilled) to keep before it: those due on or before its due date and not already listed
    under an earlier milestone. Commitments due after the last milestone are not listed."""
    result: list[list[int]] = []
    pending = sorted((c for c in commitments if not c[2]), key=lambda c: (c[1], c[0]))
    index = 0
    for due in milestone_dues:
        listed = []
        while index < len(pending) and pending[index][1] <= due:
            listed.append(pending[index][0])
            index += 1
        result.append(listed)
    return result
