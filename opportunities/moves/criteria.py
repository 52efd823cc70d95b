"""Rules of moves 3 and 4 over plain values (METHOD.md §5.1, §5.5, §6.2): the three errors of
needs analysis, the criteria influence score, the competitive scorecard, criteria coverage and
the evaluators below trust. No database access.

Weights (decision, see docs/decisions.md): a criterion's weight is relative. Weights that do
not add up to 100 are normalised — each weight is divided by their total — and the page says
so; weight 0 means "not known yet". When no criterion has a weight yet, every criterion counts
the same, so that the scores can be read before the RFP fixes the weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

STAGE_TRUST = 3  # 信赖 (relationships.models.Stage.TRUST)
ORIGIN_US = "us"
FULL = 100


# --- move 3: the three errors -------------------------------------------------------------


@dataclass(frozen=True)
class NeedFacts:
    problem: str
    category: str  # category code
    target: str = ""
    motive_organisation: str = ""
    motive_personal: str = ""


@dataclass(frozen=True)
class ErrorCheck:
    code: str
    label: str
    ok: bool
    gaps: tuple[str, ...]  # what is missing: category names or need problems
    advice: str


@dataclass(frozen=True)
class ThreeErrors:
    checks: tuple[ErrorCheck, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def errors(self) -> int:
        return sum(1 for c in self.checks if not c.ok)


def three_errors(needs: Sequence[NeedFacts], required: Sequence[tuple[str, str]]) -> ThreeErrors:
    """不全面 / 不清晰 / 不深入 (METHOD.md §5.1).

    comprehensive: at least one need in every required category (`required` = (code, name));
    clear: every need has a quantified target; deep: every need has a motive (organisational
    or personal). No needs at all fails all three: nothing has been uncovered yet.
    """
    covered = {n.category for n in needs}
    missing = tuple(name for code, name in required if code not in covered)
    unclear = tuple(n.problem for n in needs if not n.target.strip())
    shallow = tuple(
        n.problem for n in needs if not (n.motive_organisation.strip() or n.motive_personal.strip())
    )
    empty = not needs
    return ThreeErrors(
        (
            ErrorCheck(
                "comprehensive",
                str(_("Comprehensive (全面): needs in every category")),
                not empty and not missing,
                missing,
                str(_("Ask about the categories not covered yet, not just one attribute.")),
            ),
            ErrorCheck(
                "clear",
                str(_("Clear (清晰): every need has a quantified target")),
                not empty and not unclear,
                unclear,
                str(_("Quantify: how much, how fast, by when?")),
            ),
            ErrorCheck(
                "deep",
                str(_("Deep (深入): every need has a motive")),
                not empty and not shallow,
                shallow,
                str(_("Ask why it matters, to the organisation and to the person.")),
            ),
        )
    )


# --- weights ------------------------------------------------------------------------------


def shares(weights: Sequence[int]) -> list[Fraction]:
    """Each weight's share of the total (they sum to 1). All zero: equal shares."""
    if not weights:
        return []
    total = sum(weights)
    if total <= 0:
        return [Fraction(1, len(weights))] * len(weights)
    return [Fraction(w, total) for w in weights]


@dataclass(frozen=True)
class WeightNote:
    total: int
    normalised: bool  # the total is not 100, so the scores use shares of the total
    unweighted: int  # criteria without a weight yet


def weight_note(weights: Sequence[int]) -> WeightNote:
    total = sum(weights)
    return WeightNote(total, bool(weights) and total != FULL, sum(1 for w in weights if w == 0))


def _percent(value: Fraction) -> int:
    return int(
        (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
            Decimal(1), ROUND_HALF_UP
        )
    )


# --- criteria influence and the scorecard -------------------------------------------------


@dataclass(frozen=True)
class CriterionFacts:
    text: str
    weight: int
    origin: str
    our_fit: int | None = None
    # competitor name → their fit (1–5)
    competitor_fits: dict[str, int] = field(default_factory=dict)
    # proof-backed value points answering it (for coverage)
    proven_value_points: int = 0
    value_points: int = 0

    @property
    def best_competitor(self) -> tuple[str, int] | None:
        if not self.competitor_fits:
            return None
        name = max(sorted(self.competitor_fits), key=lambda n: self.competitor_fits[n])
        return name, self.competitor_fits[name]

    @property
    def we_lead(self) -> bool:
        best = self.best_competitor
        return self.our_fit is not None and (best is None or self.our_fit > best[1])


def influence_score(criteria: Sequence[CriterionFacts]) -> int | None:
    """Share of the criteria, by weight, that we shaped (origin: us) or where our fit beats the
    best competitor's (METHOD.md §5.5), in percent 0–100; None without criteria."""
    if not criteria:
        return None
    weights = shares([c.weight for c in criteria])
    ours = sum(
        (s for s, c in zip(weights, criteria, strict=True) if c.origin == ORIGIN_US or c.we_lead),
        Fraction(0),
    )
    return _percent(ours)


def advantage(rows: Sequence[tuple[int, int, int]]) -> Decimal:
    """Σ share × (our fit − their fit) over (weight, our fit, their fit) rows, rounded to two
    places (half away from zero, so that swapping the sides negates the result exactly).
    Between −4 and +4 on the 1–5 scale."""
    weights = shares([w for w, _, _ in rows])
    total = sum(
        (s * (ours - theirs) for s, (_, ours, theirs) in zip(weights, rows, strict=True)),
        Fraction(0),
    )
    value = Decimal(total.numerator) / Decimal(total.denominator)
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoreRow:
    text: str
    share: int  # percent of the total weight
    our_fit: int | None
    competitor: str
    their_fit: int | None
    difference: int | None
    dont_fight_here: bool  # 别在这里打: the best competitor is stronger here (METHOD.md §6.1)


@dataclass(frozen=True)
class Scorecard:
    rows: tuple[ScoreRow, ...]
    score: Decimal | None  # None until a criterion has both our fit and a competitor's
    scored: int
    weights: WeightNote

    @property
    def dont_fight(self) -> tuple[ScoreRow, ...]:
        return tuple(r for r in self.rows if r.dont_fight_here)


def scorecard(criteria: Sequence[CriterionFacts]) -> Scorecard:
    """The competitive scorecard (METHOD.md §6.2): Σ weight × (our fit − best competitor fit)
    over the criteria where both fits are known, weights normalised over those criteria."""
    weights = shares([c.weight for c in criteria])
    rows, scored = [], []
    for s, c in zip(weights, criteria, strict=True):
        best = c.best_competitor
        diff = None if (best is None or c.our_fit is None) else c.our_fit - best[1]
        rows.append(
            ScoreRow(
                c.text,
                _percent(s),
                c.our_fit,
                best[0] if best else "",
                best[1] if best else None,
                diff,
                diff is not None and diff < 0,
            )
        )
        if diff is not None:
            scored.append((c.weight, c.our_fit, best[1]))
    return Scorecard(
        tuple(rows),
        advantage(scored) if scored else None,
        len(scored),
        weight_note([c.weight for c in criteria]),
    )


@dataclass(frozen=True)
class Coverage:
    covered: tuple[str, ...]
    without_proof: tuple[str, ...]  # answered by a value point, but none with proof
    uncovered: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.without_proof) + len(self.uncovered)

    @property
    def percent(self) -> int | None:
        return None if not self.total else round(100 * len(self.covered) / self.total)

    @property
    def ok(self) -> bool:
        return self.total > 0 and not self.without_proof and not self.uncovered


def coverage(criteria: Sequence[CriterionFacts]) -> Coverage:
    """Every weighted criterion has a value point with proof (METHOD.md §6.2). When no
    criterion is weighted yet, every criterion counts."""
    weighted = [c for c in criteria if c.weight > 0] or list(criteria)
    return Coverage(
        tuple(c.text for c in weighted if c.proven_value_points),
        tuple(c.text for c in weighted if c.value_points and not c.proven_value_points),
        tuple(c.text for c in weighted if not c.value_points),
    )


def below_trust(evaluators: Sequence[tuple[str, int | None]]) -> list[str]:
    """Evaluators (name, relationship stage) below 信赖; no relationship counts as below."""
    return [name for name, stage in evaluators if (stage or 0) < STAGE_TRUST]
