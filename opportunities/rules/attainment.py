"""Pure rules of the pipeline dashboards (METHOD.md §9): attainment colours, win rate,
reporting periods, late entry, and the eight review questions. Plain values in, plain values
out; no database access (opportunities/pipeline/figures.py gathers the figures)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Colour(TextChoices):
    """Colour management of reps by target attainment (METHOD.md §9.1)."""

    GREEN = "green", _("green: target met")
    YELLOW = "yellow", _("yellow: close to target")
    RED = "red", _("red: poor")
    BLACK = "black", _("black: under half of target")


def attainment_percent(won: Decimal | int | None, target: Decimal | int | None) -> Decimal | None:
    """Won ÷ target in percent (one decimal), or None when there is no positive target."""
    if target is None or Decimal(target) <= 0:
        return None
    value = Decimal(won or 0) * 100 / Decimal(target)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attainment_colour(
    percent: Decimal | None, *, green: int = 100, yellow: int = 80, red: int = 50
) -> Colour | None:
    """The colour of an attainment: green ≥ `green`, yellow ≥ `yellow`, red ≥ `red`, else
    black. No target, no colour."""
    if percent is None:
        return None
    if percent >= green:
        return Colour.GREEN
    if percent >= yellow:
        return Colour.YELLOW
    if percent >= red:
        return Colour.RED
    return Colour.BLACK


def win_rate(won: int, closed: int) -> Decimal | None:
    """Won ÷ closed (won + lost + abandoned) in percent, or None with nothing closed.

    Abandoned deals count as not won: walking away is a decision about the deal too, and
    leaving them out would let a rep lift the rate by abandoning rather than losing."""
    if not closed:
        return None
    return (Decimal(won) * 100 / Decimal(closed)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Period(TextChoices):
    THIS_MONTH = "this_month", _("this month")
    LAST_MONTH = "last_month", _("last month")
    THIS_QUARTER = "this_quarter", _("this quarter")
    LAST_QUARTER = "last_quarter", _("last quarter")
    THIS_YEAR = "this_year", _("this year")
    LAST_YEAR = "last_year", _("last year")


DEFAULT_PERIOD = Period.THIS_QUARTER


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """First and last day (inclusive) of `period` as seen on `today`."""
    period = Period(period)
    if period in (Period.THIS_MONTH, Period.LAST_MONTH):
        start = add_months(today, 0 if period == Period.THIS_MONTH else -1)
        return start, add_months(start, 1) - timedelta(days=1)
    if period in (Period.THIS_QUARTER, Period.LAST_QUARTER):
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        start = first if period == Period.THIS_QUARTER else add_months(first, -3)
        return start, add_months(start, 3) - timedelta(days=1)
    year = today.year if period == Period.THIS_YEAR else today.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def is_late_entry(first_move: int | None, *, from_tender: bool, late_move: int) -> bool:
    """A deal entered late (METHOD.md §9.2 "entry point matters"): first recorded in the
    competition period (move `late_move` or later, default 4 呈现价值), or it came to us as a
    public tender / RFP, so the purchase criteria were set without us."""
    return from_tender or (first_move is not None and first_move >= late_move)


def days_from_duration(total: timedelta | None, count: int) -> float | None:
    """Average days from a summed duration over `count` deals."""
    if total is None or not count:
        return None
    return round(total.total_seconds() / 86400 / count, 1)


# --- deal review (METHOD.md §9.3) ----------------------------------------------------------


class AnswerStatus(enum.StrEnum):
    GOOD = "good"  # the data answers it and the answer is what we want
    WARNING = "warning"  # the data answers it, and it needs work
    UNKNOWN = "unknown"  # the data cannot answer it (yet)


@dataclass
class Answer:
    number: int
    question: str
    move: str
    status: AnswerStatus
    answer: str
    evidence: list[str] = field(default_factory=list)

    @property
    def is_unknown(self) -> bool:
        return self.status == AnswerStatus.UNKNOWN


QUESTIONS = {
    1: (
        _("Is the opportunity real: budget, timing, fit, worth, odds?"),
        _("move 1 客户分析"),
    ),
    2: (
        _("Who is our guide (向导)? Do we have two? What does the org and role map look like?"),
        _("move 1 客户分析"),
    ),
    3: (
        _("Which key people are at trust (信赖) or alliance (同盟)? Is anyone at decision level?"),
        _("move 2 建立信任"),
    ),
    4: (
        _(
            "Has the project been approved with a budget (立项)? "
            "Did the decision maker see an ROI case?"
        ),
        _("move 3 挖掘需求"),
    ),
    5: (
        _(
            "How many of the weighted criteria did we shape? "
            "Where are we weaker than the competitor?"
        ),
        _("moves 3–4 挖掘需求 · 呈现价值"),
    ),
    6: (
        _("Are we in the lead-in or the competition period? Did we enter late?"),
        _("buyer's process §2.2"),
    ),
    7: (
        _("What concerns (顾虑) are open, and what are the prevention and remedy plans?"),
        _("move 5 赢取承诺"),
    ),
    8: (
        _("What are the payment terms? What is overdue? What have we promised?"),
        _("move 6 回收账款"),
    ),
}


def answer(number: int, status: AnswerStatus, text: str, evidence=()) -> Answer:
    question, move = QUESTIONS[number]
    return Answer(number, str(question), str(move), status, str(text), [str(e) for e in evidence])


def unknown(number: int, why: str) -> Answer:
    return answer(number, AnswerStatus.UNKNOWN, why)
