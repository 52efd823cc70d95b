"""The funnel over the three horizons (锅 / 盆 / 碗), the overview (every figure of the dashboard
in one pass), and the forecast by month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Account
from opportunities.models import Opportunity, Status
from opportunities.pipeline.figures.collection import cash_forecast
from opportunities.pipeline.figures.flow import (
    _competitors,
    _flow_figures,
    _flows,
    _lost,
    _lost_figures,
    _score_figures,
    _scores,
)
from opportunities.pipeline.figures.lists import _late, _late_figures, _stalled_condition
from opportunities.pipeline.figures.scope import (
    FORECAST_MONTHS,
    OPEN_MOVES,
    ZERO,
    Scope,
    _aggregate,
    _closed_in_period,
    _sum,
    stall_limits,
)
from opportunities.rules import attainment, stages


@dataclass
class FunnelRow:
    horizon: str  # "pot", "basin" or "bowl"
    key: str
    label: str
    count: int
    amount: Decimal | None
    weighted: Decimal | None
    move: int | None = None
    note: str = ""


def funnel(scope: Scope) -> dict:
    """Target accounts (pot 锅), open deals by move (basin 盆), orders signed in the period
    (bowl 碗): count, amount and weighted amount. Two queries."""
    return _funnel(_aggregate(scope, _funnel_figures(scope)), _pot(scope))


def _pot(scope: Scope) -> dict:
    accounts = Account.objects.filter(owner__in=scope.owners, status=Account.Status.TARGET)
    return accounts.annotate(
        has_deal=Exists(Opportunity.objects.filter(account=OuterRef("pk"), status=Status.OPEN))
    ).aggregate(total=Count("pk"), without_deal=Count("pk", filter=Q(has_deal=False)))


def overview(scope: Scope, late_move: int) -> dict:
    """The funnel, the move flow, the score distribution and the late-entry summary in one
    pass over the deals in scope (plus the pot's accounts), with the counts of the stalled and
    inflated lists, so that those lists are plain top-ten queries: two queries instead of
    seven passes over the same rows."""
    figures = {
        **_funnel_figures(scope),
        **_flow_figures(),
        **_score_figures(),
        **_late_figures(late_move),
        **_forecast_figures(scope, FORECAST_MONTHS),
        **_lost_figures(scope),
        "stalled_count": Count("pk", filter=_stalled_condition(stall_limits(scope))),
        "inflated_count": Count("pk", filter=Q(facts__stage_inflated=True)),
    }
    row = _aggregate(scope, figures)
    return {
        "funnel": _funnel(row, _pot(scope)),
        "flows": _flows(row),
        "scores": _scores(row),
        "late_summary": _late(row),
        "forecast": _forecast(row, scope, FORECAST_MONTHS),
        "lost": _lost(row, _competitors(scope)),
        "stalled_count": row["stalled_count"],
        "inflated_count": row["inflated_count"],
    }


def _funnel_figures(scope: Scope) -> dict:
    figures = {}
    for move in OPEN_MOVES:
        where = Q(status=Status.OPEN, move=move)
        figures[f"count_{move}"] = Count("pk", filter=where)
        figures[f"amount_{move}"] = _sum("amount", filter=where)
        figures[f"weighted_{move}"] = _sum("weighted_amount", filter=where)
    won = Q(status=Status.WON) & _closed_in_period(scope)
    figures["won_count"] = Count("pk", filter=won)
    figures["won_amount"] = _sum("amount", filter=won)
    return figures


def _funnel(row: dict, pot: dict) -> dict:
    basin = [
        FunnelRow(
            "basin",
            f"move_{move.value}",
            f"{move.value} {stages.MOVES[move].short_name}",
            row[f"count_{move}"],
            row[f"amount_{move}"],
            row[f"weighted_{move}"],
            move=move.value,
        )
        for move in OPEN_MOVES
    ]
    return {
        "pot": FunnelRow("pot", "pot", "", pot["total"], None, None),
        "pot_without_deal": pot["without_deal"],
        "basin": basin,
        "basin_total": FunnelRow(
            "basin",
            "basin",
            "",
            sum(r.count for r in basin),
            sum((r.amount for r in basin), ZERO),
            sum((r.weighted for r in basin), ZERO),
        ),
        "bowl": FunnelRow(
            "bowl", "bowl", "", row["won_count"], row["won_amount"], row["won_amount"], move=6
        ),
    }


@dataclass
class ForecastRow:
    month: date | None  # None: "earlier" bucket (close dates already past)
    count: int = 0
    amount: Decimal = ZERO
    weighted: Decimal = ZERO
    signed: Decimal = ZERO
    cash_due: Decimal | None = None
    collected: Decimal | None = None
    later: bool = False


def forecast(scope: Scope, months: int = FORECAST_MONTHS) -> dict:
    """Weighted forecast of open deals by expected close month, orders signed per month, and
    the cash forecast by payment due month: this month and the next `months − 1`, with the
    deals whose close date has passed in an "overdue" row and the rest in a "later" row.
    Three queries (the deal figures, payments due, receipts); `overview()` folds the first
    into its pass."""
    return _forecast(_aggregate(scope, _forecast_figures(scope, months)), scope, months)


def _month_windows(scope: Scope, months: int) -> list[date]:
    first = attainment.month_start(scope.today)
    return [attainment.add_months(first, i) for i in range(months + 1)]


def _forecast_figures(scope: Scope, months: int) -> dict:
    """Count, amount and weighted amount of the open deals closing in each month window (and
    before the first, and after the last or without a date), and the amount signed in each
    month: filtered aggregates, one pass."""
    edges = _month_windows(scope, months)
    buckets = {"overdue": Q(expected_close_date__lt=edges[0])}
    for i in range(months):
        buckets[f"m{i}"] = Q(
            expected_close_date__gte=edges[i], expected_close_date__lt=edges[i + 1]
        )
    buckets["later"] = Q(expected_close_date__gte=edges[-1]) | Q(expected_close_date__isnull=True)
    figures = {}
    for key, where in buckets.items():
        where &= Q(status=Status.OPEN)
        figures[f"fc_{key}_count"] = Count("pk", filter=where)
        figures[f"fc_{key}_amount"] = _sum("amount", filter=where)
        figures[f"fc_{key}_weighted"] = _sum("weighted_amount", filter=where)
    for i in range(months):
        signed = Q(
            status=Status.WON, closed_at__gte=_aware(edges[i]), closed_at__lt=_aware(edges[i + 1])
        )
        figures[f"fc_m{i}_signed"] = _sum("amount", filter=signed)
    return figures


def _forecast(row: dict, scope: Scope, months: int) -> dict:
    edges = _month_windows(scope, months)

    def bucket(key, month=None, later=False):
        return ForecastRow(
            month,
            count=row[f"fc_{key}_count"],
            amount=row[f"fc_{key}_amount"],
            weighted=row[f"fc_{key}_weighted"],
            signed=row.get(f"fc_{key}_signed", ZERO),
            later=later,
        )

    rows = {edges[i]: bucket(f"m{i}", edges[i]) for i in range(months)}
    overdue, later = bucket("overdue"), bucket("later", later=True)
    overdue.signed = later.signed = ZERO
    cash = cash_forecast(scope, edges[0], edges[-1])
    for month, due, collected in cash["months"]:
        if month in rows:
            rows[month].cash_due = due
            rows[month].collected = collected
        elif month < edges[0]:
            overdue.cash_due = (overdue.cash_due or ZERO) + due
    for forecast_row in rows.values():
        if forecast_row.cash_due is None:
            forecast_row.cash_due, forecast_row.collected = ZERO, ZERO
    return {"overdue": overdue, "months": list(rows.values()), "later": later}


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
