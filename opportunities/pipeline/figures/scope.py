"""The scope of every figure: the deals (and targets, accounts) owned by the people in the viewer's
reach (crm.policy.reachable_owner_ids), narrowed, never widened, by the team and rep filters;
and the one-pass aggregate and the move settings every figure shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm import policy
from crm.models import Team, User
from opportunities.models import MoveProbabilitySetting, Opportunity, Status
from opportunities.rules import attainment, stages

LIST_LIMIT = 10
FORECAST_MONTHS = 6
OPEN_MOVES = [m for m in stages.Move if m < stages.WON_MOVE]
CLOSED = [Status.WON, Status.LOST, Status.ABANDONED]
ZERO = Decimal(0)

# Fallback stall limits when no MoveProbabilitySetting row exists (as the migration seeds).
DEFAULT_STALL_DAYS = {1: 30, 2: 60, 3: 45, 4: 30, 5: 21}


def reach(user) -> QuerySet:
    """Ids of the users whose figures `user` may see: everyone for an admin, else the policy's
    reachable owners (a rep: only themself)."""
    return policy.reachable_user_ids(user)


def teams_for(user) -> QuerySet:
    """Teams whose figures `user` may filter on: all for an admin, the managed ones else."""
    return policy.teams_in_reach(user)


def reps_for(user) -> QuerySet:
    """People whose figures `user` may see, for the rep filter."""
    return User.objects.filter(pk__in=reach(user)).order_by("first_name", "username")


@dataclass
class Scope:
    """Whose figures, for which period and close month. Build it with `scope_for()`."""

    user: object
    owners: list  # user ids, already intersected with the viewer's reach
    today: date
    period: str
    period_start: date
    period_end: date
    close_month: date | None = None
    team: Team | None = None
    rep: User | None = None
    probabilities: dict = field(default_factory=dict)
    stall_limits: dict | None = None  # {move: days}; read with the probabilities

    @property
    def period_from(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.period_start, time.min))

    @property
    def period_until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.period_end + timedelta(days=1), time.min))

    @property
    def narrowed(self) -> bool:
        return bool(self.team or self.rep or self.close_month)


def scope_for(
    user,
    *,
    team: Team | None = None,
    rep: User | None = None,
    period: str = attainment.DEFAULT_PERIOD,
    close_month: date | None = None,
    today: date | None = None,
) -> Scope:
    """The scope of the dashboards. `team` and `rep` narrow the viewer's reach; a team or rep
    outside it gives an empty scope, never a wider one (the form refuses them first)."""
    today = today or timezone.localdate()
    owners = User.objects.filter(pk__in=reach(user))
    if team is not None:
        owners = owners.filter(memberships__team=team)
    if rep is not None:
        owners = owners.filter(pk=rep.pk)
    start, end = attainment.period_bounds(period, today)
    probabilities, limits = move_settings()
    # The ids themselves, not a subquery: PostgreSQL then estimates the deals of these owners
    # from its statistics (a subquery of the policy was guessed at five times the rows, and
    # every figure hashed whole tables: docs/performance.md).
    return Scope(
        user=user,
        owners=sorted(set(owners.values_list("pk", flat=True))),
        today=today,
        period=period,
        period_start=start,
        period_end=end,
        close_month=close_month,
        team=team,
        rep=rep,
        probabilities=probabilities,
        stall_limits=limits,
    )


def deals(scope: Scope) -> QuerySet:
    """The deals in scope, with the SQL-computed probability and weighted amount. The close
    month, when chosen, narrows them to deals expected to close in that month."""
    queryset = Opportunity.objects.filter(owner__in=scope.owners).with_weighted_amount(
        scope.probabilities
    )
    if scope.close_month:
        queryset = queryset.filter(
            expected_close_date__gte=scope.close_month,
            expected_close_date__lt=attainment.add_months(scope.close_month, 1),
        )
    return queryset


def _closed_in_period(scope: Scope) -> Q:
    return Q(closed_at__gte=scope.period_from, closed_at__lt=scope.period_until)


def _sum(expression, **kwargs):
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=DecimalField())


def _aggregate(scope: Scope, figures: dict) -> dict:
    """One pass over the deals in scope computing `figures` (name → aggregate), with the stored
    facts each deal's first and furthest move come from."""
    return (
        deals(scope)
        .annotate(first_move=F("facts__first_move"), furthest=_furthest_move())
        .order_by()
        .aggregate(**figures)
    )


def _furthest_move():
    """The furthest move a deal ever entered (stored by opportunities.pipeline.facts), else its
    current move."""
    return Coalesce(F("facts__furthest_move"), F("move"), output_field=IntegerField())


def first_rows_and_count(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows of `queryset` and how many rows it has, in one query: the count
    is a window aggregate over the whole result, computed before the LIMIT."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return rows, rows[0].total_rows if rows else 0


def move_settings() -> tuple[dict[int, int], dict[int, int]]:
    """({move: probability}, {move: stall days}) from the move settings in one query: the
    stored rows over the defaults (as MoveProbabilitySetting.probabilities and stall_limits)."""
    probabilities = {move: d.default_probability for move, d in stages.MOVES.items()}
    limits = dict(DEFAULT_STALL_DAYS)
    for move, probability, days in MoveProbabilitySetting.objects.values_list(
        "move", "probability", "stall_days"
    ):
        probabilities[move] = probability
        if days:
            limits[move] = days
        else:
            limits.pop(move, None)
    return probabilities, {move: days for move, days in limits.items() if move in OPEN_MOVES}


def stall_limits(scope: Scope | None = None) -> dict[int, int]:
    """{move: days} for the moves that have a stall limit (read with the scope, else one
    query)."""
    if scope is not None and scope.stall_limits is not None:
        return scope.stall_limits
    return move_settings()[1]
