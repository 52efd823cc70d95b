"""What builds trust, as pure computations (METHOD.md §4.2: which activities move a person up
the ladder 认识 → 约会 → 信赖 → 同盟). No models, no queries: relationships/learning.py reads
the history and hands it here; tests compare both with a plain reference.

- A *case* is one done activity with one of its people. It counts as *advanced* when that
  person moved up the ladder on a day from the activity's day to `days` days after it.
- A step's duration is the days from the person's arrival on a stage to their move to the next
  one (1→2, 2→3, 3→4); a move that skips a stage is not a step.
- A figure from fewer than `min_count` cases is "too few to tell".
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

TOO_FEW = _("too few")
STEPS = ((1, 2), (2, 3), (3, 4))


def median(values: Iterable[float]) -> float | None:
    """The median, None for no values."""
    values = list(values)
    return statistics.median(values) if values else None


def rate(hits: int, count: int) -> float | None:
    """hits / count, None when there is nothing to divide."""
    return hits / count if count else None


def advanced_within(day: date, advances: Iterable[date], days: int) -> bool:
    """True when one of the person's advances (the days they moved up) falls from `day` to
    `days` days after it."""
    last = day + timedelta(days=days)
    return any(day <= moved <= last for moved in advances)


def step_durations(start: date, changes: Iterable[tuple[date, int, int]]) -> list[tuple[int, int]]:
    """(from stage, days) for each one-rung move up of one person. `changes` are (day, from,
    to) in time order; the person stood on the first change's from-stage since `start`."""
    changes = list(changes)
    if not changes:
        return []
    arrived = {changes[0][1]: start}
    found = []
    for day, from_stage, to_stage in changes:
        if to_stage == from_stage + 1 and from_stage in arrived:
            found.append((from_stage, (day - arrived[from_stage]).days))
        arrived[to_stage] = day
    return found


@dataclass
class Tally:
    """The cases of one group: how many, how many advanced, what they cost."""

    count: int = 0
    advanced: int = 0
    cost: Decimal = Decimal("0")
    min_count: int = 1

    @property
    def rate(self) -> float | None:
        return rate(self.advanced, self.count)

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage (the page and the download show this)."""
        return round(100 * self.advanced / self.count) if self.count else None

    @property
    def cost_per_advance(self) -> Decimal | None:
        return (self.cost / self.advanced).quantize(Decimal("0.01")) if self.advanced else None

    @property
    def too_few(self) -> bool:
        return self.count < self.min_count


def tally(cases: Iterable[tuple[Hashable, Decimal, bool]], min_count: int) -> dict:
    """Group (key, cost share, advanced) cases by key."""
    found: dict = {}
    for key, cost, advanced in cases:
        row = found.setdefault(key, Tally(min_count=min_count))
        row.count += 1
        row.advanced += int(advanced)
        row.cost += cost
    return found


@dataclass
class StepFigure:
    from_stage: int
    to_stage: int
    count: int
    median_days: float | None
    min_count: int

    @property
    def too_few(self) -> bool:
        return self.count < self.min_count


def step_figures(durations: Iterable[tuple[int, int]], min_count: int) -> list[StepFigure]:
    """The median days of each step of the ladder, with how many moves it rests on."""
    by_step: dict[int, list[int]] = {from_stage: [] for from_stage, _to in STEPS}
    for from_stage, days in durations:
        by_step.setdefault(from_stage, []).append(days)
    return [StepFigure(a, b, len(by_step[a]), median(by_step[a]), min_count) for a, b in STEPS]
