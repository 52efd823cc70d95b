"""Learning from our own closed deals (METHOD.md §9.2: "calibrate the default probabilities from
our own won/lost history once enough data exists"): the Wilson interval of a win rate, the Brier
score of forecasts, the reliability table and the median. Plain values in, plain values out.

A forecast is `(probability, won, weight)`: probability in [0, 1], won a bool, weight how many
deals share these values (the reads group identical deals in SQL, so the rows stay few).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal
BUCKET_EDGES = (0, 20, 40, 60, 80, 100)  # percent; the last bucket includes 100
DEFAULT_MIN_DEALS = 20


@dataclass(frozen=True)
class Forecast:
    probability: float  # 0..1
    won: bool
    weight: int = 1


@dataclass(frozen=True)
class Rate:
    """Wins among closed deals, with the Wilson 95% interval (as fractions 0..1)."""

    won: int
    closed: int
    low: float | None
    high: float | None

    @property
    def share(self) -> float | None:
        return self.won / self.closed if self.closed else None

    def percent(self, value: float | None) -> float | None:
        return None if value is None else round(100 * value, 1)

    @property
    def share_percent(self) -> float | None:
        return self.percent(self.share)

    @property
    def low_percent(self) -> float | None:
        return self.percent(self.low)

    @property
    def high_percent(self) -> float | None:
        return self.percent(self.high)


def wilson_interval(won: int, closed: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of won ÷ closed (None without any closed deal). Unlike the
    normal approximation it stays inside [0, 1] and is sensible for small counts."""
    if closed <= 0:
        return None
    if not 0 <= won <= closed:
        raise ValueError("won must be between 0 and closed")
    p = won / closed
    z2 = z * z
    denominator = 1 + z2 / closed
    centre = (p + z2 / (2 * closed)) / denominator
    half = z * math.sqrt(p * (1 - p) / closed + z2 / (4 * closed * closed)) / denominator
    # rounding can push a bound a hair past the point estimate or [0, 1]
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def rate(won: int, closed: int) -> Rate:
    interval = wilson_interval(won, closed)
    low, high = interval if interval else (None, None)
    return Rate(won=won, closed=closed, low=low, high=high)


def suggested_probability(won: int, closed: int, minimum: int) -> int | None:
    """The historical win rate as a whole percent, or None below `minimum` closed deals
    ("too few deals to suggest")."""
    if closed < max(minimum, 1):
        return None
    return round(100 * won / closed)


def brier_score(forecasts: Iterable[Forecast]) -> float | None:
    """Mean of (p − outcome)² over the forecasts (0 is perfect, 1 the worst); None if none."""
    total = weight = 0
    for f in forecasts:
        total += f.weight * (f.probability - (1.0 if f.won else 0.0)) ** 2
        weight += f.weight
    return total / weight if weight else None


@dataclass(frozen=True)
class Bucket:
    low: int  # percent, inclusive
    high: int  # percent, exclusive (the last bucket includes 100)
    count: int
    mean_estimate: float | None  # percent
    won_share: float | None  # percent

    @property
    def gap(self) -> float | None:
        """Mean estimate minus actual win share, in points: above zero is optimistic."""
        if self.mean_estimate is None or self.won_share is None:
            return None
        return round(self.mean_estimate - self.won_share, 1)


def bucket_index(probability: float) -> int:
    """Which bucket of BUCKET_EDGES a probability (0..1) falls in."""
    percent = 100 * probability
    for index, high in enumerate(BUCKET_EDGES[1:-1]):
        if percent < high:
            return index
    return len(BUCKET_EDGES) - 2


def reliability(forecasts: Iterable[Forecast]) -> list[Bucket]:
    """The reliability table: per bucket of forecast probability (0–20, 20–40 … 80–100), how
    many deals, their mean forecast and the share actually won (both in percent)."""
    size = len(BUCKET_EDGES) - 1
    counts, sums, wins = [0] * size, [0.0] * size, [0] * size
    for f in forecasts:
        i = bucket_index(f.probability)
        counts[i] += f.weight
        sums[i] += f.weight * f.probability
        wins[i] += f.weight if f.won else 0
    return [
        Bucket(
            low=BUCKET_EDGES[i],
            high=BUCKET_EDGES[i + 1],
            count=counts[i],
            mean_estimate=round(100 * sums[i] / counts[i], 1) if counts[i] else None,
            won_share=round(100 * wins[i] / counts[i], 1) if counts[i] else None,
        )
        for i in range(size)
    ]


def mean_gap(forecasts: Iterable[Forecast]) -> float | None:
    """Mean forecast minus win share over all forecasts, in points (above 0: optimistic)."""
    forecasts = list(forecasts)
    weight = sum(f.weight for f in forecasts)
    if not weight:
        return None
    mean = sum(f.weight * f.probability for f in forecasts) / weight
    won = sum(f.weight for f in forecasts if f.won) / weight
    return round(100 * (mean - won), 1)


def median(values: Iterable[float]) -> float | None:
    """The median of `values` (the mean of the middle two for an even count); None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def check_labels(overridden_checks: str) -> list[str]:
    """The labels of the checks an override passed by, from MoveChange.overridden_checks (one
    line per check, "label: status"; the status follows the last colon)."""
    labels = []
    for line in overridden_checks.splitlines():
        line = line.strip()
        if not line:
            continue
        label = line.rsplit(": ", 1)[0].strip() if ": " in line else line
        if label and label not in labels:
            labels.append(label)
    return labels
