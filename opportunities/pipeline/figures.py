"""Pipeline queries: THE module that owns the figures of the dashboards (METHOD.md §9).

Every figure is an aggregate computed in the database (grouped COUNT/SUM/AVG with filters,
subqueries and EXISTS), never by looping over deals in Python; each function costs a fixed
number of queries whatever the data size. Lists (stalled, inflated, late) are capped and say
how many more there are; the CSV export of a list has every row.

Scope: a figure is about the deals (and targets, accounts) *owned* by the people in the
viewer's reach (crm.policy.reachable_owner_ids): a rep only their own, a manager themself and
the members of the teams they manage, an admin everyone. The filters (team, rep) only ever
narrow that set: they are intersected with it, never substituted for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import Account
from crm import policy
from crm.models import Membership, Team, User
from opportunities.models import (
    BuyerStage,
    MoveProbabilitySetting,
    Opportunity,
    PaymentMilestone,
    PipelineSetting,
    Receipt,
    SalesTarget,
    Source,
    Status,
)
from opportunities.moves.selectors import received_subquery
from opportunities.pipeline import facts
from opportunities.rules import attainment, stages
from opportunities.rules.qualification import Verdict

LIST_LIMIT = 10
FORECAST_MONTHS = 6
OPEN_MOVES = [m for m in stages.Move if m < stages.WON_MOVE]
CLOSED = [Status.WON, Status.LOST, Status.ABANDONED]
ZERO = Decimal(0)

# Fallback stall limits when no MoveProbabilitySetting row exists (as the migration seeds).
DEFAULT_STALL_DAYS = {1: 30, 2: 60, 3: 45, 4: 30, 5: 21}


# --- scope -----------------------------------------------------------------------------------


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
    owners: QuerySet  # a subquery of user ids, already intersected with the viewer's reach
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
    return Scope(
        user=user,
        owners=owners.values("pk"),
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


# --- funnel over the three horizons (锅 / 盆 / 碗) ---------------------------------------------


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


def _aggregate(scope: Scope, figures: dict) -> dict:
    """One pass over the deals in scope computing `figures` (name → aggregate), with the stored
    facts each deal's first and furthest move come from."""
    return (
        deals(scope)
        .annotate(first_move=F("facts__first_move"), furthest=_furthest_move())
        .order_by()
        .aggregate(**figures)
    )


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


# --- forecast by month -------------------------------------------------------------------------


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


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- per-rep table -------------------------------------------------------------------------------


@dataclass
class RepRow:
    user: User
    open_count: int = 0
    pipeline: Decimal = ZERO
    weighted: Decimal = ZERO
    won_count: int = 0
    won_amount: Decimal = ZERO
    closed_count: int = 0
    win_rate: Decimal | None = None
    cycle_days: float | None = None
    target: Decimal | None = None
    attainment: Decimal | None = None
    colour: str | None = None

    @property
    def colour_label(self) -> str:
        return str(attainment.Colour(self.colour).label) if self.colour else ""


def rep_table(scope: Scope, settings: PipelineSetting | None = None) -> list[RepRow]:
    """One row per person in scope who is in a team or owns a deal: open count, pipeline,
    weighted, won this period, win rate (won ÷ closed in the period), average cycle days of
    the deals won in the period (created → signed), target and attainment with its colour.
    Three queries: the people, the deal aggregates grouped by owner, the targets."""
    settings = settings or PipelineSetting.current()
    people = list(
        User.objects.filter(pk__in=scope.owners)
        .filter(
            Exists(Membership.objects.filter(user=OuterRef("pk")))
            | Exists(Opportunity.objects.filter(owner=OuterRef("pk")))
        )
        .order_by("first_name", "last_name", "username")
    )
    in_period = _closed_in_period(scope)
    won = Q(status=Status.WON) & in_period
    cycle = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    figures = {
        row["owner"]: row
        for row in deals(scope)
        .order_by()
        .values("owner")
        .annotate(
            open_count=Count("pk", filter=Q(status=Status.OPEN)),
            pipeline=_sum("amount", filter=Q(status=Status.OPEN)),
            weighted=_sum("weighted_amount", filter=Q(status=Status.OPEN)),
            won_count=Count("pk", filter=won),
            won_amount=_sum("amount", filter=won),
            closed_count=Count("pk", filter=Q(status__in=CLOSED) & in_period),
            cycle=Avg(cycle, filter=won),
        )
    }
    targets = {
        row["owner"]: row["amount"]
        for row in SalesTarget.objects.filter(
            owner__in=scope.owners,
            period_start__gte=scope.period_start,
            period_end__lte=scope.period_end,
        )
        .order_by()
        .values("owner")
        .annotate(amount=Sum("amount"))
    }
    rows = []
    for person in people:
        f = figures.get(person.pk, {})
        row = RepRow(
            user=person,
            open_count=f.get("open_count", 0),
            pipeline=f.get("pipeline", ZERO),
            weighted=f.get("weighted", ZERO),
            won_count=f.get("won_count", 0),
            won_amount=f.get("won_amount", ZERO),
            closed_count=f.get("closed_count", 0),
            target=targets.get(person.pk),
        )
        row.win_rate = attainment.win_rate(row.won_count, row.closed_count)
        cycle_value = f.get("cycle")
        row.cycle_days = attainment.days_from_duration(cycle_value, 1) if cycle_value else None
        row.attainment = attainment.attainment_percent(row.won_amount, row.target)
        colour = attainment.attainment_colour(
            row.attainment,
            green=settings.green_percent,
            yellow=settings.yellow_percent,
            red=settings.red_percent,
        )
        row.colour = colour.value if colour else None
        rows.append(row)
    return rows


# --- stage conversion and time per move -------------------------------------------------------


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


def _furthest_move():
    """The furthest move a deal ever entered (stored by opportunities.pipeline.facts), else its
    current move."""
    return Coalesce(F("facts__furthest_move"), F("move"), output_field=IntegerField())


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


# --- stalled, stage-inflated and late-entry deals ---------------------------------------------


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


def stalled(scope: Scope, limits: dict[int, int] | None = None) -> QuerySet:
    """Open deals longer in their move than the move's stall limit, longest first, with
    `days_in_move`-ready `entered_move_at` (not evaluated here)."""
    limits = stall_limits(scope) if limits is None else limits
    return (
        deals(scope)
        .filter(_stalled_condition(limits))
        .select_related("account", "owner")
        .order_by("entered_move_at", "pk")
    )


def _stalled_condition(limits: dict[int, int]) -> Q:
    now = timezone.now()
    condition = Q(pk__in=[])
    for move, days in limits.items():
        condition |= Q(move=move, entered_move_at__lt=now - timedelta(days=days))
    return Q(status=Status.OPEN) & condition


def inflated(scope: Scope) -> QuerySet:
    """Open deals in a later move whose earlier exit checks are unmet (stored by
    opportunities.pipeline.facts), biggest first. `with_gate_checks()` says which checks."""
    return (
        deals(scope)
        .filter(facts__stage_inflated=True)  # open, or won by override (facts.py)
        .select_related("account", "owner")
        .order_by("-amount", "pk")
    )


def with_gate_checks(rows: list) -> list:
    """Set the exit checks (facts.gate_annotations) on the shown deals, in one query: computed
    for ten rows, not for every inflated deal in scope."""
    if not rows:
        return rows
    annotations = facts.gate_annotations()
    names = list(annotations)
    checks = {
        row["pk"]: row
        for row in Opportunity.objects.filter(pk__in=[deal.pk for deal in rows])
        .annotate(**annotations)
        .values("pk", *names)
    }
    for deal in rows:
        for name in names:
            setattr(deal, name, checks[deal.pk][name])
    return rows


def late_condition(late_move: int) -> Q:
    """Entered late (attainment.is_late_entry): first recorded in the late move or after, from
    a public tender, or the RFP was already out when we first recorded the deal."""
    return (
        Q(first_move__gte=late_move)
        | Q(source=Source.TENDER)
        | Q(evaluation__rfp_date__isnull=False, evaluation__rfp_date__lte=TruncDate("created_at"))
    )


def late_summary(scope: Scope, late_move: int) -> dict:
    """Open late-entry deals, and the win rate of late vs. early entries (all closed deals in
    scope). One query: conditional aggregates, early being the negation of the late condition
    (with `exclude()`'s NULL handling)."""
    return _late(_aggregate(scope, _late_figures(late_move)))


def _late_figures(late_move: int) -> dict:
    late = late_condition(late_move)
    early = ~late_condition(late_move)
    return {
        "late_open": Count("pk", filter=late & Q(status=Status.OPEN)),
        "late_amount": _sum("amount", filter=late & Q(status=Status.OPEN)),
        "late_won": Count("pk", filter=late & Q(status=Status.WON)),
        "late_closed": Count("pk", filter=late & Q(status__in=CLOSED)),
        "early_won": Count("pk", filter=early & Q(status=Status.WON)),
        "early_closed": Count("pk", filter=early & Q(status__in=CLOSED)),
    }


def _late(row: dict) -> dict:
    return {
        "open": row["late_open"],
        "amount": row["late_amount"],
        "late_win_rate": attainment.win_rate(row["late_won"], row["late_closed"]),
        "late_closed": row["late_closed"],
        "early_win_rate": attainment.win_rate(row["early_won"], row["early_closed"]),
        "early_closed": row["early_closed"],
    }


def late_list(scope: Scope, late_move: int) -> QuerySet:
    """Open late-entry deals, biggest first. Ordered by an expression, not the column: late
    entries are rare and PostgreSQL cannot estimate the OR across joins, so it would walk the
    amount index (opp_status_amount_idx) through every open deal hoping to meet ten early."""
    return (
        _late_annotations(deals(scope))
        .filter(late_condition(late_move), status=Status.OPEN)
        .select_related("account", "owner")
        .order_by(Coalesce("amount", Value(ZERO)).desc(), "pk")
    )


def _late_annotations(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(first_move=F("facts__first_move"))


# --- lost reasons and qualification scores -----------------------------------------------------


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


# --- moves 3–6 data (recorded by the move-3…6 part of the app) --------------------------------
#
# The functions below read the models of moves 3–6 (needs, criteria, evaluation, concerns,
# contract, payments). They are the only place the dashboards touch those models.


def cash_forecast(scope: Scope, first: date, last: date) -> dict:
    """Payment milestones still to collect (move 6): unpaid milestone amounts (amount −
    receipts) by due month before `last` (earlier months included, for the overdue row), and
    receipts by month in [first, last). Two grouped queries."""
    in_scope = deals(scope).values("pk")
    remaining = ExpressionWrapper(F("amount") - received_subquery(), output_field=DecimalField())
    due = {
        _as_date(row["month"]): row["due"] or ZERO
        for row in PaymentMilestone.objects.filter(opportunity__in=in_scope, due_date__lt=last)
        .exclude(status="paid")
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("month")
        .annotate(due=Sum(remaining))
    }
    collected = {
        _as_date(row["month"]): row["total"] or ZERO
        for row in Receipt.objects.filter(
            milestone__opportunity__in=in_scope, received_on__gte=first, received_on__lt=last
        )
        .annotate(month=TruncMonth("received_on"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
    }
    months = sorted(set(due) | set(collected))
    return {"months": [(m, due.get(m, ZERO), collected.get(m, ZERO)) for m in months]}


# --- the rep's day (home page panels) ------------------------------------------------------------

HOME_UPCOMING_DAYS = 7
HOME_TEAM_ROWS = 3


def manages_anyone(user) -> bool:
    return policy.manages_a_team(user)  # cached for the request


def team_summary(user, *, today: date) -> dict:
    """The manager's pipeline at a glance over everyone in reach: open deals and weighted
    amount, the stalled and stage-inflated deals (counts and the first three), and the deals
    whose agreed next review is due within a week. Seven queries."""
    from opportunities.models import DealReview

    scope = scope_for(user, today=today)
    totals = (
        deals(scope)
        .filter(status=Status.OPEN)
        .order_by()
        .aggregate(count=Count("pk"), amount=_sum("amount"), weighted=_sum("weighted_amount"))
    )
    stalled_deals = stalled(scope)
    inflated_deals = inflated(scope)
    next_review = (
        DealReview.objects.filter(opportunity=OuterRef("pk"))
        .order_by("-reviewed_at", "-pk")
        .values("next_review_date")[:1]
    )
    reviews_due = list(
        deals(scope)
        .filter(status=Status.OPEN)
        .annotate(next_review=Subquery(next_review))
        .filter(next_review__lte=today + timedelta(days=HOME_UPCOMING_DAYS))
        .select_related("owner")
        .order_by("next_review", "pk")[:HOME_TEAM_ROWS]
    )
    stalled_rows, stalled_count = first_rows_and_count(stalled_deals, HOME_TEAM_ROWS)
    inflated_rows, inflated_count = first_rows_and_count(inflated_deals, HOME_TEAM_ROWS)
    return {
        **totals,
        "stalled": stalled_count,
        "stalled_rows": stalled_rows,
        "inflated": inflated_count,
        "inflated_rows": inflated_rows,
        "reviews_due": reviews_due,
        "today": today,
    }
