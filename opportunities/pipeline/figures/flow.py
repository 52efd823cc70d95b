"""How deals move and leave: stage conversion and time per move, lost reasons, and the
distribution of qualification scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.utils import timezone

from opportunities.models import BuyerStage, Status
from opportunities.pipeline.figures.scope import (
    LIST_LIMIT,
    OPEN_MOVES,
    Scope,
    _aggregate,
    _closed_in_period,
    _sum,
    deals,
)
from opportunities.rules import attainment, stages
from opportunities.rules.qualification import Verdict


@dataclass
class MoveFlow:
    move: int
    label: str
    reached: int = 0
    advanced: int = 0
    dropped: int = 0
    still_open: int = 0
    conversion: Decimal | None = None
    avg_days: float | None = None
    deals_timed: int = 0


def move_flow(scope: Scope) -> list[MoveFlow]:
    """Stage conversion and average days per move, from the move history (MoveChange).

    A deal *reached* a move when the furthest move it ever entered is that move or later;
    it *advanced* when it got further; it *dropped* when it was lost or abandoned with that
    move as its furthest. Conversion = advanced ÷ (advanced + dropped): deals still open in
    the move have not been decided yet. Days per move: the time each deal spent open in the
    move (summed over re-entries), averaged over the deals that spent time there.
    One query."""
    return _flows(_aggregate(scope, _flow_figures()))


def _flow_figures() -> dict:
    now = Value(timezone.now(), output_field=DateTimeField())
    open_now = ExpressionWrapper(now - F("facts__open_since"), output_field=DurationField())
    figures = {}
    for move in OPEN_MOVES:
        figures[f"reached_{move}"] = Count("pk", filter=Q(furthest__gte=move))
        figures[f"advanced_{move}"] = Count("pk", filter=Q(furthest__gt=move))
        figures[f"dropped_{move}"] = Count(
            "pk", filter=Q(furthest=move, status__in=[Status.LOST, Status.ABANDONED])
        )
        figures[f"open_{move}"] = Count("pk", filter=Q(status=Status.OPEN, move=move))
        stayed = f"facts__time_in_move_{move}"
        staying = Q(move=move, facts__open_since__isnull=False)
        figures[f"stayed_{move}"] = Sum(stayed)
        figures[f"staying_{move}"] = Sum(open_now, filter=staying)
        figures[f"timed_{move}"] = Count("pk", filter=Q(**{f"{stayed}__isnull": False}) | staying)
    return figures


def _flows(counts: dict) -> list[MoveFlow]:
    flows = []
    for move in OPEN_MOVES:
        flow = MoveFlow(
            move.value,
            f"{move.value} {stages.MOVES[move].short_name}",
            reached=counts[f"reached_{move}"],
            advanced=counts[f"advanced_{move}"],
            dropped=counts[f"dropped_{move}"],
            still_open=counts[f"open_{move}"],
        )
        flow.conversion = attainment.ratio(flow.advanced, flow.advanced + flow.dropped)
        spent = [counts[f"stayed_{move}"], counts[f"staying_{move}"]]
        total = sum((t for t in spent if t is not None), timedelta()) if any(spent) else None
        flow.deals_timed = counts[f"timed_{move}"]
        flow.avg_days = attainment.days_from_duration(total, flow.deals_timed)
        flows.append(flow)
    return flows


def lost_analysis(scope: Scope) -> dict:
    """Deals lost or abandoned in the period, by the buyer's stage they were lost at
    (§2.2), and by the competitor who won. Two queries; `overview()` folds the first into its
    pass."""
    return _lost(_aggregate(scope, _lost_figures(scope)), _competitors(scope))


def _lost_figures(scope: Scope) -> dict:
    in_period = _closed_in_period(scope)
    figures = {}
    for value in [*BuyerStage.values, ""]:
        where = in_period & Q(status=Status.LOST, lost_at_buyer_stage=value)
        figures[f"lost_{value}_count"] = Count("pk", filter=where)
        figures[f"lost_{value}_amount"] = _sum("amount", filter=where)
    abandoned = in_period & Q(status=Status.ABANDONED)
    figures["abandoned_count"] = Count("pk", filter=abandoned)
    figures["abandoned_amount"] = _sum("amount", filter=abandoned)
    return figures


def _competitors(scope: Scope) -> list[dict]:
    return list(
        deals(scope)
        .filter(_closed_in_period(scope), status=Status.LOST)
        .order_by()
        .values("lost_to__name")
        .annotate(count=Count("pk"), amount=_sum("amount"))
        .order_by("-count", "-amount", "lost_to__name")[:LIST_LIMIT]
    )


def _lost(row: dict, competitors: list[dict]) -> dict:
    lost_total = sum(row[f"lost_{value}_count"] for value in [*BuyerStage.values, ""])
    total = lost_total + row["abandoned_count"]
    stages_rows = [
        {
            "key": value,
            "label": label,
            "count": row[f"lost_{value}_count"],
            "amount": row[f"lost_{value}_amount"],
            "share": attainment.ratio(row[f"lost_{value}_count"], total),
        }
        for value, label in BuyerStage.choices
    ]
    return {
        "stages": stages_rows,
        "abandoned": {"count": row["abandoned_count"], "amount": row["abandoned_amount"]},
        "unknown_stage": row["lost__count"],
        "total": total,
        "competitors": competitors,
    }


SCORE_BUCKETS = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]


def score_distribution(scope: Scope) -> dict:
    """Open deals by stored qualification score (buckets of 20) and by verdict. One query."""
    return _scores(_aggregate(scope, _score_figures()))


def _score_figures() -> dict:
    open_ = Q(status=Status.OPEN)
    figures = {
        f"b{low}": Count(
            "pk", filter=open_ & Q(qualification_score__gte=low, qualification_score__lte=high)
        )
        for low, high in SCORE_BUCKETS
    }
    figures["unscored"] = Count("pk", filter=open_ & Q(qualification_score__isnull=True))
    for value, _label in Verdict.choices:
        figures[f"v_{value}"] = Count("pk", filter=open_ & Q(qualification_verdict=value))
    figures["average"] = Avg("qualification_score", filter=open_)
    return figures


def _scores(row: dict) -> dict:
    return {
        "buckets": [
            {"label": f"{low}–{high}", "count": row[f"b{low}"]} for low, high in SCORE_BUCKETS
        ],
        "unscored": row["unscored"],
        "verdicts": [
            {"key": value, "label": label, "count": row[f"v_{value}"]}
            for value, label in Verdict.choices
        ],
        "average": round(row["average"], 1) if row["average"] is not None else None,
    }
