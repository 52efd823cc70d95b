"""Reads of the learn page (METHOD.md §9.2, "calibrate the default probabilities from our own
won/lost history"): what our closed deals say about the stage probabilities, the reps' own win
estimates and the gates that were overridden. The deals are those of the pipeline's scope
(figures.scope_for, the policy's reach); every figure is one query, whatever the data size.

A closed deal is won, lost or abandoned. The pure computations are opportunities.rules.learning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least

from crm.models import User
from opportunities.models import MoveChange, Opportunity, Status
from opportunities.pipeline.figures.scope import CLOSED, OPEN_MOVES, Scope
from opportunities.rules import learning, stages

LAST_OPEN_MOVE = max(OPEN_MOVES)


def closed_deals(scope: Scope) -> QuerySet:
    """The won, lost and abandoned deals owned by the people in scope (any close date)."""
    return Opportunity.objects.filter(owner__in=scope.owners, status__in=CLOSED)


def _reached(move: int) -> Q:
    """The deal was ever in `move`: a change of its history entered it, or it is there now
    (a deal imported without history)."""
    entered = MoveChange.objects.filter(opportunity=OuterRef("pk"), to_move=move)
    return Q(Exists(entered)) | Q(move=move)


# --- 1. calibration -------------------------------------------------------------------------------


@dataclass
class CalibrationRow:
    move: int
    label: str
    configured: int
    rate: learning.Rate
    suggested: int | None  # None: too few deals to suggest

    @property
    def differs(self) -> bool:
        return self.suggested is not None and self.suggested != self.configured


def calibration(scope: Scope, min_deals: int) -> list[CalibrationRow]:
    """Per open move, among the closed deals in scope that ever reached it: won ÷ closed with
    its Wilson 95% interval, beside the configured stage probability, and the suggestion once
    at least `min_deals` closed deals reached the move (one aggregate query)."""
    figures = {}
    for move in OPEN_MOVES:
        figures[f"closed_{move}"] = Count("pk", filter=_reached(move))
        figures[f"won_{move}"] = Count("pk", filter=_reached(move) & Q(status=Status.WON))
    counts = closed_deals(scope).order_by().aggregate(**figures)
    rows = []
    for move in OPEN_MOVES:
        won, closed = counts[f"won_{move}"], counts[f"closed_{move}"]
        rows.append(
            CalibrationRow(
                move=move,
                label=stages.Move(move).label,
                configured=scope.probabilities[move],
                rate=learning.rate(won, closed),
                suggested=learning.suggested_probability(won, closed, min_deals),
            )
        )
    return rows


# --- 2. forecasting per rep -----------------------------------------------------------------------


def evidence_move():
    """The furthest move 1–5 a deal was in before it closed (a won deal: usually move 5), from
    its history, else its move (at most 5)."""
    furthest = (
        MoveChange.objects.filter(opportunity=OuterRef("pk"), to_move__lte=LAST_OPEN_MOVE)
        .order_by("-to_move")
        .values("to_move")[:1]
    )
    return Coalesce(
        Subquery(furthest, output_field=IntegerField()),
        Least("move", Value(LAST_OPEN_MOVE)),
        output_field=IntegerField(),
    )


@dataclass
class RepForecast:
    user: User
    estimates: list[learning.Forecast] = field(default_factory=list)
    evidence: list[learning.Forecast] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(f.weight for f in self.estimates)

    @property
    def won(self) -> int:
        return sum(f.weight for f in self.estimates if f.won)

    @property
    def brier(self) -> float | None:
        return _round(learning.brier_score(self.estimates))

    @property
    def evidence_brier(self) -> float | None:
        return _round(learning.brier_score(self.evidence))

    @property
    def gap(self) -> float | None:
        return learning.mean_gap(self.estimates)

    @property
    def evidence_gap(self) -> float | None:
        return learning.mean_gap(self.evidence)

    @property
    def buckets(self) -> list[learning.Bucket]:
        return learning.reliability(self.estimates)

    @property
    def evidence_buckets(self) -> list[learning.Bucket]:
        return learning.reliability(self.evidence)

    @property
    def bucket_pairs(self) -> list[tuple[learning.Bucket, learning.Bucket]]:
        return list(zip(self.buckets, self.evidence_buckets, strict=True))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def forecasts(scope: Scope) -> list[RepForecast]:
    """Per rep, their closed deals that carry a win estimate (赢率): the estimate and the
    evidence (the configured stage probability of the deal's furthest move before closing)
    against the outcome. Deals with the same owner, estimate, move and outcome are counted
    together in SQL (one query; the owners' names one more)."""
    groups = (
        closed_deals(scope)
        .filter(win_estimate__isnull=False)
        .annotate(evidence_move=evidence_move())
        .order_by()
        .values_list("owner", "win_estimate", "evidence_move", "status")
        .annotate(deals=Count("pk"))
    )
    by_owner: dict[int, RepForecast] = {}
    rows = list(groups)
    users = User.objects.in_bulk({owner for owner, *_rest in rows})
    for owner, estimate, move, status, deals in rows:
        rep = by_owner.setdefault(owner, RepForecast(user=users[owner]))
        won = status == Status.WON
        rep.estimates.append(learning.Forecast(estimate / 100, won, deals))
        rep.evidence.append(learning.Forecast(scope.probabilities[move] / 100, won, deals))
    return sorted(by_owner.values(), key=lambda r: (str(r.user).lower(), r.user.pk))


# --- 3. gates against results ---------------------------------------------------------------------


@dataclass
class Outcome:
    """Closed deals of a group: how many, how many won (with the interval), median days from
    creation to closing."""

    label: str
    rate: learning.Rate
    median_days: float | None


def _outcome(label, deals: dict[int, tuple[bool, int]], ids) -> Outcome:
    ids = set(ids)
    won = sum(1 for pk in ids if deals[pk][0])
    return Outcome(
        label=label,
        rate=learning.rate(won, len(ids)),
        median_days=learning.median(deals[pk][1] for pk in ids),
    )


@dataclass
class GateRow:
    move: int
    label: str
    normal: Outcome
    override: Outcome


def gates(scope: Scope) -> dict:
    """Closed deals that passed each move's exit gate normally against those moved on by a
    manager's override (MoveChange.is_override), per gate, per overridden check and per
    approving manager. A deal overridden at a gate once counts as overridden there, even if
    it passed it normally another time. One query for the changes, one for the approvers."""
    changes = MoveChange.objects.filter(
        opportunity__owner__in=scope.owners,
        opportunity__status__in=CLOSED,
        from_move__isnull=False,
        from_move__lte=LAST_OPEN_MOVE,
    )
    rows = changes.order_by().values_list(
        "opportunity_id",
        "from_move",
        "to_move",
        "is_override",
        "changed_by_id",
        "overridden_checks",
        "opportunity__status",
        "opportunity__created_at",
        "opportunity__closed_at",
    )
    deals: dict[int, tuple[bool, int]] = {}
    normal, overridden = defaultdict(set), defaultdict(set)
    by_check, by_approver = defaultdict(set), defaultdict(set)
    for pk, from_move, to_move, is_override, by, checks, status, created, closed in rows:
        if to_move <= from_move:
            continue  # not a pass of the gate: the closing change, or a step back
        deals[pk] = (status == Status.WON, (closed - created).days)
        if is_override:
            overridden[from_move].add(pk)
            by_approver[by].add(pk)
            for label in learning.check_labels(checks):
                by_check[label].add(pk)
        else:
            normal[from_move].add(pk)
    approvers = User.objects.in_bulk(by_approver)
    gate_rows = [
        GateRow(
            move=move,
            label=stages.Move(move).label,
            normal=_outcome("", deals, normal[move] - overridden[move]),
            override=_outcome("", deals, overridden[move]),
        )
        for move in OPEN_MOVES
    ]
    every_override = set().union(*overridden.values()) if overridden else set()
    return {
        "gates": gate_rows,
        "never_overridden": _outcome("", deals, set(deals) - every_override),
        "ever_overridden": _outcome("", deals, every_override),
        "checks": sorted(
            (_outcome(label, deals, ids) for label, ids in by_check.items()),
            key=lambda o: (-o.rate.closed, o.label),
        ),
        "approvers": sorted(
            (_outcome(str(approvers[pk]), deals, ids) for pk, ids in by_approver.items()),
            key=lambda o: (-o.rate.closed, o.label),
        ),
    }
