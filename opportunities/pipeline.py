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

from django.apps import apps
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
    Max,
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
from django.utils.translation import gettext as _

from accounts.models import Account, Level
from crm import policy
from crm.models import Membership, Team, User
from opportunities import scorecard, stages
from opportunities.models import (
    BuyerStage,
    Influence,
    MoveChange,
    MoveSetting,
    Opportunity,
    PipelineSetting,
    PurchaseRole,
    SalesTarget,
    Source,
    Stakeholder,
    StakeholderRole,
    Status,
)
from opportunities.qualification import Verdict

LIST_LIMIT = 10
FORECAST_MONTHS = 6
OPEN_MOVES = [m for m in stages.Move if m < stages.WON_MOVE]
CLOSED = [Status.WON, Status.LOST, Status.ABANDONED]
ZERO = Decimal(0)

# Fallback stall limits when no MoveSetting row exists (the migration seeds the same values).
DEFAULT_STALL_DAYS = {1: 30, 2: 60, 3: 45, 4: 30, 5: 21}


# --- scope -----------------------------------------------------------------------------------


def reach(user) -> QuerySet:
    """Ids of the users whose figures `user` may see: everyone for an admin, else the policy's
    reachable owners (a rep: only themself)."""
    if not (user.is_authenticated and user.is_active):
        return User.objects.none().values("pk")
    if policy.is_admin(user):
        return User.objects.values("pk")
    return policy.reachable_owner_ids(user)


def teams_for(user) -> QuerySet:
    """Teams whose figures `user` may filter on: all for an admin, the managed ones else."""
    if policy.is_admin(user):
        return Team.objects.order_by("name")
    return Team.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ).order_by("name")


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
    period: str = scorecard.DEFAULT_PERIOD,
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
    start, end = scorecard.period_bounds(period, today)
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
            expected_close_date__lt=scorecard.add_months(scope.close_month, 1),
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
    accounts = Account.objects.filter(owner__in=scope.owners, status=Account.Status.TARGET)
    pot = accounts.annotate(
        has_deal=Exists(Opportunity.objects.filter(account=OuterRef("pk"), status=Status.OPEN))
    ).aggregate(total=Count("pk"), without_deal=Count("pk", filter=Q(has_deal=False)))
    base = deals(scope)
    figures = {}
    for move in OPEN_MOVES:
        where = Q(status=Status.OPEN, move=move)
        figures[f"count_{move}"] = Count("pk", filter=where)
        figures[f"amount_{move}"] = _sum("amount", filter=where)
        figures[f"weighted_{move}"] = _sum("weighted_amount", filter=where)
    won = Q(status=Status.WON) & _closed_in_period(scope)
    figures["won_count"] = Count("pk", filter=won)
    figures["won_amount"] = _sum("amount", filter=won)
    row = base.order_by().aggregate(**figures)
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
    Three grouped queries (open by close month, won by signing month, payments)."""
    first = scorecard.month_start(scope.today)
    last = scorecard.add_months(first, months)  # exclusive
    base = deals(scope)
    open_rows = (
        base.filter(status=Status.OPEN)
        .annotate(month=TruncMonth("expected_close_date"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"), amount=_sum("amount"), weighted=_sum("weighted_amount"))
    )
    rows = {
        scorecard.add_months(first, i): ForecastRow(scorecard.add_months(first, i))
        for i in range(months)
    }
    overdue, later = ForecastRow(None), ForecastRow(None, later=True)
    for group in open_rows:
        month = _as_date(group["month"])
        # No close date yet (e.g. an imported open deal): not overdue, so "later".
        target = rows.get(month) or (overdue if month and month < first else later)
        target.count += group["count"]
        target.amount += group["amount"]
        target.weighted += group["weighted"]
    signed = (
        base.filter(status=Status.WON, closed_at__gte=_aware(first), closed_at__lt=_aware(last))
        .annotate(month=TruncMonth("closed_at"))
        .order_by()
        .values("month")
        .annotate(amount=_sum("amount"))
    )
    for group in signed:
        month = _as_date(group["month"])
        if month in rows:
            rows[month].signed += group["amount"]
    cash = cash_forecast(scope, first, last)
    if cash is not None:
        for month, due, collected in cash["months"]:
            if month in rows:
                rows[month].cash_due = due
                rows[month].collected = collected
            elif month < first:
                overdue.cash_due = (overdue.cash_due or ZERO) + due
        for row in rows.values():
            if row.cash_due is None:
                row.cash_due, row.collected = ZERO, ZERO
    return {
        "overdue": overdue,
        "months": list(rows.values()),
        "later": later,
        "cash_measurable": cash is not None,
    }


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def cash_forecast(scope: Scope, first: date, last: date) -> dict | None:
    """Payment milestones still to collect by due month (move 6). None while the app does not
    record payment milestones (the page then says "not yet measurable")."""
    return _cash_forecast(scope, first, last)


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
        return str(scorecard.Colour(self.colour).label) if self.colour else ""


def rep_table(scope: Scope, settings: PipelineSetting | None = None) -> list[RepRow]:
    """One row per person in scope who is in a team or owns a deal: open count, pipeline,
    weighted, won this period, win rate (won ÷ closed in the period), average cycle days of
    the deals won in the period (created → signed), target and attainment with its colour.
    Three queries: the people, the deal aggregates grouped by owner, the targets."""
    settings = settings or PipelineSetting.current()
    people = list(
        User.objects.filter(pk__in=scope.owners)
        .filter(
            Q(pk__in=Membership.objects.values("user"))
            | Q(pk__in=Opportunity.objects.values("owner"))
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
        row.win_rate = scorecard.win_rate(row.won_count, row.closed_count)
        cycle_value = f.get("cycle")
        row.cycle_days = scorecard.days_from_duration(cycle_value, 1) if cycle_value else None
        row.attainment = scorecard.attainment_percent(row.won_amount, row.target)
        colour = scorecard.attainment_colour(
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
    """The furthest move a deal ever entered: the highest move of its history, else its
    current move. An aggregate over a join (grouped by deal), not a subquery per deal: at
    100,000 deals the join is ten times faster (docs/performance.md)."""
    return Coalesce(Max("move_changes__to_move"), F("move"), output_field=IntegerField())


def move_flow(scope: Scope) -> list[MoveFlow]:
    """Stage conversion and average days per move, from the move history (MoveChange).

    A deal *reached* a move when the furthest move it ever entered is that move or later;
    it *advanced* when it got further; it *dropped* when it was lost or abandoned with that
    move as its furthest. Conversion = advanced ÷ (advanced + dropped): deals still open in
    the move have not been decided yet. Days per move: the time each deal spent open in the
    move (summed over re-entries), averaged over the deals that spent time there.
    Two queries."""
    base = deals(scope).annotate(furthest=_furthest_move())
    figures = {}
    for move in OPEN_MOVES:
        figures[f"reached_{move}"] = Count("pk", filter=Q(furthest__gte=move))
        figures[f"advanced_{move}"] = Count("pk", filter=Q(furthest__gt=move))
        figures[f"dropped_{move}"] = Count(
            "pk", filter=Q(furthest=move, status__in=[Status.LOST, Status.ABANDONED])
        )
        figures[f"open_{move}"] = Count("pk", filter=Q(status=Status.OPEN, move=move))
    counts = base.order_by().aggregate(**figures)
    now = timezone.now()
    next_change = (
        MoveChange.objects.filter(
            opportunity=OuterRef("opportunity"), changed_at__gt=OuterRef("changed_at")
        )
        .order_by("changed_at")
        .values("changed_at")[:1]
    )
    until = Coalesce(Subquery(next_change, output_field=DateTimeField()), Value(now))
    spent = ExpressionWrapper(until - F("changed_at"), output_field=DurationField())
    timing = {
        row["to_move"]: row
        for row in MoveChange.objects.filter(
            opportunity__in=deals(scope).values("pk"), to_status=Status.OPEN
        )
        .order_by()
        .values("to_move")
        .annotate(total=Sum(spent), deals=Count("opportunity", distinct=True))
    }
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
        flow.conversion = scorecard.ratio(flow.advanced, flow.advanced + flow.dropped)
        timed = timing.get(move.value)
        if timed:
            flow.deals_timed = timed["deals"]
            flow.avg_days = scorecard.days_from_duration(timed["total"], timed["deals"])
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
    stored rows over the defaults (as MoveSetting.probabilities and stall_limits)."""
    probabilities = {move: d.default_probability for move, d in stages.MOVES.items()}
    limits = dict(DEFAULT_STALL_DAYS)
    for move, probability, days in MoveSetting.objects.values_list(
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
    now = timezone.now()
    condition = Q(pk__in=[])
    for move, days in limits.items():
        condition |= Q(move=move, entered_move_at__lt=now - timedelta(days=days))
    return (
        deals(scope)
        .filter(condition, status=Status.OPEN)
        .select_related("account", "owner")
        .order_by("entered_move_at", "pk")
    )


def _stakeholders(**lookups):
    return Stakeholder.objects.filter(opportunity=OuterRef("pk"), **lookups)


def gate_annotations() -> dict:
    """The exit checks of moves 1–2 (opportunities/stages.py) as SQL booleans, so that
    stage inflation is found in the database. tests/opportunities/test_pipeline_inflated.py
    keeps them in step with stages.exit_checks."""
    decision_maker = Exists(
        StakeholderRole.objects.filter(
            stakeholder__opportunity=OuterRef("pk"), role=PurchaseRole.DECISION_MAKER
        )
    )
    key = Q(roles__role=PurchaseRole.DECISION_MAKER) | Q(influence=Influence.HIGH)
    below_trust = Q(contact__relationship__isnull=True) | Q(
        contact__relationship__stage__lt=stages.STAGE_TRUST
    )
    return {
        "check_qualified": Q(qualification_verdict=Verdict.QUALIFIED),
        "check_decision_maker": decision_maker,
        "check_guide": Exists(_stakeholders(contact__is_guide=True)),
        "has_key": Exists(_stakeholders().filter(key)),
        "key_behind": Exists(_stakeholders().filter(key).filter(below_trust)),
        "check_decision_level": Exists(
            _stakeholders(
                contact__level=Level.DECISION,
                contact__relationship__stage__gte=stages.STAGE_INTERACTION,
            )
        ),
    }


def inflation_condition() -> Q:
    """Stage inflated (METHOD.md §9.2): in a later move with an earlier move's exit checks
    unmet. Only checks the data can measure count; "not yet measurable" is not "unmet"."""
    move1_unmet = (
        ~Q(qualification_verdict=Verdict.QUALIFIED)
        | Q(check_decision_maker=False)
        | Q(check_guide=False)
    )
    move2_unmet = Q(has_key=False) | Q(key_behind=True) | Q(check_decision_level=False)
    condition = (Q(move__gt=1) & move1_unmet) | (Q(move__gt=2) & move2_unmet)
    extra = _later_move_inflation()
    if extra is not None:
        condition |= extra
    return condition


def inflated(scope: Scope) -> QuerySet:
    """Open deals in a later move whose earlier exit checks are unmet, biggest first."""
    return (
        _with_checks(deals(scope).filter(status=Status.OPEN, move__gt=1))
        .filter(inflation_condition())
        .select_related("account", "owner")
        .order_by("-amount", "pk")
    )


def _with_checks(queryset: QuerySet) -> QuerySet:
    annotations = gate_annotations()
    annotations.pop("check_qualified")
    annotations.update(_later_move_annotations())
    return queryset.annotate(**annotations)


def first_move():
    first = (
        MoveChange.objects.filter(opportunity=OuterRef("pk"))
        .order_by("changed_at", "pk")
        .values("to_move")[:1]
    )
    return Subquery(first, output_field=IntegerField())


def late_condition(late_move: int) -> Q:
    condition = Q(first_move__gte=late_move) | Q(source=Source.TENDER)
    extra = _late_entry_by_rfp()
    if extra is not None:
        condition |= extra
    return condition


def late_entries(scope: Scope, late_move: int) -> QuerySet:
    """Deals entered late (scorecard.is_late_entry), annotated `late`; not yet filtered."""
    return _late_annotations(deals(scope)).annotate(
        late=ExpressionWrapper(late_condition(late_move), output_field=IntegerField())
    )


def late_summary(scope: Scope, late_move: int) -> dict:
    """Open late-entry deals, and the win rate of late vs. early entries (all closed deals in
    scope). One query: conditional aggregates, early being the negation of the late condition
    (with `exclude()`'s NULL handling)."""
    late = late_condition(late_move)
    early = ~late_condition(late_move)
    row = (
        _late_annotations(deals(scope))
        .order_by()
        .aggregate(
            open=Count("pk", filter=late & Q(status=Status.OPEN)),
            amount=_sum("amount", filter=late & Q(status=Status.OPEN)),
            won=Count("pk", filter=late & Q(status=Status.WON)),
            closed=Count("pk", filter=late & Q(status__in=CLOSED)),
            early_won=Count("pk", filter=early & Q(status=Status.WON)),
            early_closed=Count("pk", filter=early & Q(status__in=CLOSED)),
        )
    )
    return {
        "open": row["open"],
        "amount": row["amount"],
        "late_win_rate": scorecard.win_rate(row["won"], row["closed"]),
        "late_closed": row["closed"],
        "early_win_rate": scorecard.win_rate(row["early_won"], row["early_closed"]),
        "early_closed": row["early_closed"],
    }


def late_list(scope: Scope, late_move: int) -> QuerySet:
    return (
        _late_annotations(deals(scope))
        .filter(late_condition(late_move), status=Status.OPEN)
        .select_related("account", "owner")
        .order_by("-amount", "pk")
    )


def _late_annotations(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(first_move=first_move(), **_rfp_annotations())


# --- lost reasons and qualification scores -----------------------------------------------------


def lost_analysis(scope: Scope) -> dict:
    """Deals lost or abandoned in the period, by the buyer's stage they were lost at
    (§2.2), and by the competitor who won. Two grouped queries."""
    closed = deals(scope).filter(_closed_in_period(scope)).order_by()
    by_stage = {
        (row["status"], row["lost_at_buyer_stage"]): row
        for row in closed.filter(status__in=[Status.LOST, Status.ABANDONED])
        .values("status", "lost_at_buyer_stage")
        .annotate(count=Count("pk"), amount=_sum("amount"))
    }
    total = sum(row["count"] for row in by_stage.values())
    stages_rows = []
    for value, label in BuyerStage.choices:
        row = by_stage.get((Status.LOST, value), {})
        stages_rows.append(
            {
                "key": value,
                "label": label,
                "count": row.get("count", 0),
                "amount": row.get("amount", ZERO),
                "share": scorecard.ratio(row.get("count", 0), total),
            }
        )
    abandoned_count = sum(
        c["count"] for (s, _stage), c in by_stage.items() if s == Status.ABANDONED
    )
    abandoned_amount = sum(
        (c["amount"] for (s, _stage), c in by_stage.items() if s == Status.ABANDONED), ZERO
    )
    unknown_stage = by_stage.get((Status.LOST, ""), {})
    competitors = list(
        closed.filter(status=Status.LOST)
        .values("lost_to__name")
        .annotate(count=Count("pk"), amount=_sum("amount"))
        .order_by("-count", "-amount", "lost_to__name")[:LIST_LIMIT]
    )
    return {
        "stages": stages_rows,
        "abandoned": {"count": abandoned_count, "amount": abandoned_amount},
        "unknown_stage": unknown_stage.get("count", 0),
        "total": total,
        "competitors": competitors,
    }


SCORE_BUCKETS = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]


def score_distribution(scope: Scope) -> dict:
    """Open deals by stored qualification score (buckets of 20) and by verdict. One query."""
    base = deals(scope).filter(status=Status.OPEN).order_by()
    figures = {
        f"b{low}": Count(
            "pk", filter=Q(qualification_score__gte=low, qualification_score__lte=high)
        )
        for low, high in SCORE_BUCKETS
    }
    figures["unscored"] = Count("pk", filter=Q(qualification_score__isnull=True))
    for value, _label in Verdict.choices:
        figures[f"v_{value}"] = Count("pk", filter=Q(qualification_verdict=value))
    figures["average"] = Avg("qualification_score")
    row = base.aggregate(**figures)
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


def later_model(name: str):
    """A model of moves 3–6, or None while it does not exist (figures then say "unknown")."""
    try:
        return apps.get_model("opportunities", name)
    except LookupError:
        return None


def _later_move_annotations() -> dict:
    """Exit checks of moves 3–4 as SQL booleans, mirroring selectors.gate_facts: budget
    approved (立项 with an approved budget), purchase criteria recorded, preferred or
    shortlisted vendor."""
    approval = later_model("ProjectApproval")
    criterion = later_model("PurchaseCriterion")
    evaluation = later_model("Evaluation")
    annotations = {}
    if approval is not None:
        annotations["check_budget_approved"] = Exists(
            approval.objects.filter(
                opportunity=OuterRef("pk"), decision="yes", approved_budget__isnull=False
            )
        )
    if criterion is not None:
        annotations["check_criteria_recorded"] = Exists(
            criterion.objects.filter(opportunity=OuterRef("pk"))
        )
    if evaluation is not None:
        annotations["check_preferred_vendor"] = Exists(
            evaluation.objects.filter(
                opportunity=OuterRef("pk"), standing__in=["shortlisted", "preferred"]
            )
        )
    return annotations


def _later_move_inflation() -> Q | None:
    checks = _later_move_annotations()
    condition = None
    move3 = [
        Q(**{name: False})
        for name in ("check_budget_approved", "check_criteria_recorded")
        if name in checks
    ]
    if move3:
        unmet = move3[0]
        for q in move3[1:]:
            unmet |= q
        condition = Q(move__gt=3) & unmet
    if "check_preferred_vendor" in checks:
        move4 = Q(move__gt=4) & Q(check_preferred_vendor=False)
        condition = move4 if condition is None else condition | move4
    return condition


def _rfp_annotations() -> dict:
    evaluation = later_model("Evaluation")
    if evaluation is None:
        return {}
    rfp = evaluation.objects.filter(opportunity=OuterRef("pk")).values("rfp_date")[:1]
    return {"rfp_date": Subquery(rfp)}


def _late_entry_by_rfp() -> Q | None:
    """The RFP was already out when we first recorded the deal."""
    if not _rfp_annotations():
        return None
    return Q(rfp_date__isnull=False, rfp_date__lte=TruncDate("created_at"))


def _cash_forecast(scope: Scope, first: date, last: date) -> dict | None:
    """Unpaid milestone amounts (amount − receipts) by due month before `last` (earlier
    months included, for the overdue row), and receipts by month in [first, last). Two
    grouped queries."""
    milestone = later_model("PaymentMilestone")
    receipt = later_model("Receipt")
    if milestone is None or receipt is None:
        return None
    in_scope = deals(scope).values("pk")
    received = (
        receipt.objects.filter(milestone=OuterRef("pk"))
        .order_by()
        .values("milestone")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    remaining = ExpressionWrapper(
        F("amount") - Coalesce(Subquery(received), Value(ZERO), output_field=DecimalField()),
        output_field=DecimalField(),
    )
    due = {
        _as_date(row["month"]): row["due"] or ZERO
        for row in milestone.objects.filter(opportunity__in=in_scope, due_date__lt=last)
        .exclude(status="paid")
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("month")
        .annotate(due=Sum(remaining))
    }
    collected = {
        _as_date(row["month"]): row["total"] or ZERO
        for row in receipt.objects.filter(
            milestone__opportunity__in=in_scope, received_on__gte=first, received_on__lt=last
        )
        .annotate(month=TruncMonth("received_on"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
    }
    months = sorted(set(due) | set(collected))
    return {"months": [(m, due.get(m, ZERO), collected.get(m, ZERO)) for m in months]}


# --- deal review (METHOD.md §9.3) ----------------------------------------------------------------

REVIEW_LOOKBACK_DAYS = 30
REVIEW_HISTORY = 5


def _stage_label(stage: int | None) -> str:
    from relationships.models import Stage

    return str(Stage(stage).label) if stage else str(_("no relationship recorded"))


def deal_review(opportunity: Opportunity, user, *, today: date | None = None) -> dict:
    """The eight review questions answered from the data, each with its evidence or
    "unknown"; the relationship-stage and move changes since the last review; the last
    reviews. A fixed number of queries (see tests/opportunities/test_pipeline_review.py)."""
    from opportunities import powermap, selectors
    from opportunities.models import QualificationSetting
    from relationships.models import StageChange

    today = today or timezone.localdate()
    setting = PipelineSetting.current()
    stakeholders = selectors.stakeholders_of(opportunity)
    result = selectors.qualify(opportunity, stakeholders, QualificationSetting.rules(), today)
    reviews = list(
        opportunity.reviews.select_related("reviewed_by").order_by("-reviewed_at", "-pk")[
            :REVIEW_HISTORY
        ]
    )
    last = reviews[0] if reviews else None
    since = last.reviewed_at if last else timezone.now() - timedelta(days=REVIEW_LOOKBACK_DAYS)
    move_changes = list(
        MoveChange.objects.filter(opportunity=opportunity)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )
    contact_ids = [s.contact_id for s in stakeholders]
    stage_changes = list(
        StageChange.objects.filter(relationship__contact_id__in=contact_ids, changed_at__gt=since)
        .select_related("relationship__contact", "changed_by")
        .order_by("-changed_at", "-pk")[:30]
    )
    people = selectors.map_people(stakeholders)
    answers = [
        _q1_real(opportunity, result),
        _q2_guides(stakeholders, people, powermap.gaps(people)),
        _q3_trust(stakeholders),
        _q4_approval(opportunity),
        _q5_criteria(opportunity),
        _q6_period(opportunity, move_changes, setting.late_entry_move),
        _q7_concerns(opportunity),
        _q8_payment(opportunity, today),
    ]
    return {
        "answers": answers,
        "unknown_count": sum(1 for a in answers if a.is_unknown),
        "qualification": result,
        "reviews": reviews,
        "last_review": last,
        "since": since,
        "stage_changes": [
            {
                "change": change,
                "contact": change.relationship.contact,
                "from_label": _stage_label(change.from_stage),
                "to_label": _stage_label(change.to_stage),
                "up": change.to_stage > change.from_stage,
            }
            for change in stage_changes
        ],
        "move_changes": [c for c in reversed(move_changes) if c.changed_at > since],
        "may_record": selectors.can_override(user, opportunity),
    }


def _q1_real(opportunity, result) -> scorecard.Answer:
    inputs = [
        opportunity.budget_amount,
        opportunity.decision_date,
        opportunity.fit,
        opportunity.margin_percent,
        opportunity.win_estimate,
    ]
    if all(value is None for value in inputs):
        return scorecard.unknown(
            1, _("None of the five criteria is filled in on the qualification card.")
        )
    evidence = [f"{c.label}: {c.score} — {c.explanation}" for c in result.criteria]
    status = scorecard.AnswerStatus.GOOD if result.passes else scorecard.AnswerStatus.WARNING
    return scorecard.answer(1, status, result.summary, evidence)


def _q2_guides(stakeholders, people, gaps) -> scorecard.Answer:
    if not stakeholders:
        return scorecard.unknown(2, _("No buying group (采购小组) recorded yet."))
    guides = [s for s in stakeholders if s.contact.is_guide]
    if len(guides) >= 2:
        status, text = scorecard.AnswerStatus.GOOD, _("Two guides or more: a double safeguard.")
    elif guides:
        status = scorecard.AnswerStatus.WARNING
        text = _("One guide; develop a second one as a double safeguard (双向导，双保险).")
    else:
        status, text = scorecard.AnswerStatus.WARNING, _("No guide (向导) yet.")
    evidence = [
        _("Guide: %(name)s, %(stage)s")
        % {"name": s.contact.name, "stage": _stage_label(s.relationship_stage)}
        for s in guides
    ]
    roles = sorted({label for p in people for _code, label in p.roles})
    if roles:
        evidence.append(_("Roles known: %(roles)s") % {"roles": ", ".join(roles)})
    evidence += [gap.text for gap in gaps]
    return scorecard.answer(2, status, text, evidence)


def _q3_trust(stakeholders) -> scorecard.Answer:
    """Mirrors the move-2 exit checks: every key person (decision maker or high influence)
    at trust or alliance, and a decision-level contact at interaction or better."""
    if not stakeholders:
        return scorecard.unknown(3, _("No buying group (采购小组) recorded yet."))

    def is_key(s):
        roles = [r.role for r in s.roles.all()]
        return PurchaseRole.DECISION_MAKER in roles or s.influence == Influence.HIGH

    key = [s for s in stakeholders if is_key(s)]
    behind = [s for s in key if (s.relationship_stage or 0) < stages.STAGE_TRUST]
    trusted = [s for s in stakeholders if (s.relationship_stage or 0) >= stages.STAGE_TRUST]
    decision_reached = [
        s
        for s in stakeholders
        if s.contact.level == Level.DECISION
        and (s.relationship_stage or 0) >= stages.STAGE_INTERACTION
    ]
    evidence = [
        f"{s.contact.name}: {_stage_label(s.relationship_stage)}"
        + (f" · {Level.DECISION.label}" if s.contact.level == Level.DECISION else "")
        for s in sorted(stakeholders, key=lambda s: -(s.relationship_stage or 0))
    ]
    if not key:
        text = _("No key person (decision maker or high influence) in the buying group yet.")
        return scorecard.answer(3, scorecard.AnswerStatus.WARNING, text, evidence)
    if behind:
        text = _("%(n)s at trust or alliance; key people still below trust: %(names)s.") % {
            "n": len(trusted),
            "names": ", ".join(s.contact.name for s in behind),
        }
        return scorecard.answer(3, scorecard.AnswerStatus.WARNING, text, evidence)
    if not decision_reached:
        text = _("%(n)s at trust or alliance, but nobody at decision level is reached.") % {
            "n": len(trusted)
        }
        return scorecard.answer(3, scorecard.AnswerStatus.WARNING, text, evidence)
    text = _("%(n)s at trust or alliance, and a decision-level contact is reached.") % {
        "n": len(trusted)
    }
    return scorecard.answer(3, scorecard.AnswerStatus.GOOD, text, evidence)


def _not_recorded(number: int) -> scorecard.Answer:
    return scorecard.unknown(number, _("Cuilong does not record this yet: not yet measurable."))


def _one_to_one(opportunity, name: str, model):
    """The deal's `name` one-to-one (approval, evaluation, contract): from the opportunity's
    row when the view fetched it with select_related (the deal review does), else one query."""
    if name in opportunity._state.fields_cache:
        return opportunity._state.fields_cache[name]
    return model.objects.filter(opportunity=opportunity).first()


def _q4_approval(opportunity) -> scorecard.Answer:
    model = later_model("ProjectApproval")
    estimate = _("The rep's move-1 estimate: budget %(status)s.") % {
        "status": opportunity.get_budget_status_display()
    }
    if model is None:
        answer = _not_recorded(4)
        answer.evidence.append(str(estimate))
        return answer
    approval = _one_to_one(opportunity, "project_approval", model)
    if approval is None:
        return scorecard.answer(
            4,
            scorecard.AnswerStatus.UNKNOWN,
            _("No project approval (立项) recorded."),
            [estimate],
        )
    evidence = [
        f"{approval._meta.get_field('decision').verbose_name}: {approval.get_decision_display()}"
    ]
    if approval.approved_budget is not None:
        evidence.append(
            _("Approved budget: ¥%(amount)s") % {"amount": f"{approval.approved_budget:,.0f}"}
        )
    has_roi = bool(approval.roi_note.strip() or approval.value_proposal_url)
    evidence.append(
        _("ROI case / value proposal recorded.") if has_roi else _("No ROI case recorded.")
    )
    approved = approval.decision == "yes" and approval.approved_budget is not None
    if approved and has_roi:
        return scorecard.answer(
            4, scorecard.AnswerStatus.GOOD, _("Approved with a budget; ROI case seen."), evidence
        )
    text = _("Approved with a budget.") if approved else _("Not approved yet.")
    return scorecard.answer(4, scorecard.AnswerStatus.WARNING, text, evidence)


def _q5_criteria(opportunity) -> scorecard.Answer:
    model = later_model("PurchaseCriterion")
    if model is None:
        return _not_recorded(5)
    criteria = list(
        model.objects.filter(opportunity=opportunity)
        .annotate(best_competitor=Max("competitor_fits__fit"))
        .order_by("-weight", "pk")
    )
    if not criteria:
        return scorecard.unknown(5, _("No purchase criteria (采购指标) recorded."))
    total = sum(c.weight or 0 for c in criteria)
    ours = sum(c.weight or 0 for c in criteria if c.origin == "us")
    weaker = [
        c
        for c in criteria
        if c.our_fit is not None and c.best_competitor is not None and c.our_fit < c.best_competitor
    ]
    share = scorecard.ratio(ours, total)
    text = _("We shaped %(ours)s of %(total)s weight points (%(share)s%%); weaker on %(n)s.") % {
        "ours": ours,
        "total": total,
        "share": share if share is not None else "—",
        "n": len(weaker),
    }
    evidence = [
        _("Weaker than the competitor on: %(text)s (our fit %(ours)s, theirs %(theirs)s)")
        % {"text": c.text, "ours": c.our_fit, "theirs": c.best_competitor}
        for c in weaker
    ]
    status = (
        scorecard.AnswerStatus.GOOD
        if share is not None and share >= 50 and not weaker
        else scorecard.AnswerStatus.WARNING
    )
    return scorecard.answer(5, status, text, evidence)


def _q6_period(opportunity, move_changes, late_move) -> scorecard.Answer:
    first = move_changes[0].to_move if move_changes else opportunity.move
    evaluation_model = later_model("Evaluation")
    rfp_date = None
    if evaluation_model is not None:
        evaluation = _one_to_one(opportunity, "evaluation", evaluation_model)
        rfp_date = evaluation.rfp_date if evaluation is not None else None
    created = timezone.localtime(opportunity.created_at).date() if opportunity.created_at else None
    rfp_before = bool(rfp_date and created and rfp_date <= created)
    late = (
        scorecard.is_late_entry(
            first, from_tender=opportunity.source == Source.TENDER, late_move=late_move
        )
        or rfp_before
    )
    competition = opportunity.move >= stages.Move.VALUE or bool(rfp_date)
    period = _("competition period (竞争期)") if competition else _("lead-in period (引导期)")
    evidence = [_("First recorded in move %(move)s.") % {"move": first}]
    if rfp_date:
        evidence.append(_("RFP / tender issued on %(date)s.") % {"date": rfp_date.isoformat()})
    if opportunity.source == Source.TENDER:
        evidence.append(str(Source.TENDER.label))
    if late:
        text = _("%(period)s; entered late: the criteria were set without us.") % {"period": period}
        return scorecard.answer(6, scorecard.AnswerStatus.WARNING, text, evidence)
    text = _("%(period)s; entered early.") % {"period": period}
    return scorecard.answer(6, scorecard.AnswerStatus.GOOD, text, evidence)


def _q7_concerns(opportunity) -> scorecard.Answer:
    model = later_model("Concern")
    if model is None:
        return _not_recorded(7)
    concerns = list(
        model.objects.filter(opportunity=opportunity).exclude(status="resolved").order_by("pk")
    )
    if not concerns:
        if opportunity.move >= stages.Move.COMMITMENT and opportunity.is_open:
            return scorecard.answer(
                7,
                scorecard.AnswerStatus.WARNING,
                _("No concern recorded in move 5: listen for the signals (“let's wait a little”)."),
            )
        return scorecard.answer(7, scorecard.AnswerStatus.GOOD, _("No open concern."))
    without_plan = [c for c in concerns if not c.has_plan]
    evidence = [
        f"{c.get_risk_type_display()}: {c.signal}"
        + ("" if c.has_plan else f" — {_('no prevention and remedy plan')}")
        for c in concerns
    ]
    text = _("%(n)s open, %(m)s without a prevention and remedy plan.") % {
        "n": len(concerns),
        "m": len(without_plan),
    }
    status = scorecard.AnswerStatus.WARNING if without_plan else scorecard.AnswerStatus.GOOD
    return scorecard.answer(7, status, text, evidence)


def _q8_payment(opportunity, today) -> scorecard.Answer:
    contract_model = later_model("Contract")
    milestone_model = later_model("PaymentMilestone")
    commitment_model = later_model("Commitment")
    if contract_model is None or milestone_model is None:
        return _not_recorded(8)
    contract = _one_to_one(opportunity, "contract", contract_model)
    received = (
        later_model("Receipt")
        .objects.filter(milestone=OuterRef("pk"))
        .order_by()
        .values("milestone")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    milestones = list(
        milestone_model.objects.filter(opportunity=opportunity)
        .annotate(received=Coalesce(Subquery(received), Value(ZERO), output_field=DecimalField()))
        .order_by("due_date", "pk")
    )
    promises = []
    if commitment_model is not None:
        promises = list(
            commitment_model.objects.filter(
                opportunity=opportunity, fulfilled_on__isnull=True
            ).order_by("due_date", "pk")
        )
    if contract is None and not milestones:
        answer = scorecard.unknown(8, _("No contract or payment terms recorded yet."))
        answer.evidence = [
            _("Promised: %(what)s, due %(date)s") % {"what": c.what, "date": c.due_date.isoformat()}
            for c in promises
        ]
        return answer
    evidence = []
    if contract is not None and contract.payment_terms:
        evidence.append(_("Payment terms: %(terms)s") % {"terms": contract.payment_terms})
    overdue = [m for m in milestones if m.status != "paid" and m.due_date < today]
    for m in milestones:
        remaining = m.amount - m.received
        evidence.append(
            _("%(name)s: ¥%(amount)s due %(date)s, ¥%(left)s still to collect")
            % {
                "name": m.name,
                "amount": f"{m.amount:,.0f}",
                "date": m.due_date.isoformat(),
                "left": f"{max(remaining, ZERO):,.0f}",
            }
        )
    evidence += [
        _("Promised: %(what)s, due %(date)s") % {"what": c.what, "date": c.due_date.isoformat()}
        for c in promises
    ]
    overdue_amount = sum((m.amount - m.received for m in overdue), ZERO)
    if overdue:
        text = _("%(n)s milestone(s) overdue, ¥%(amount)s; %(p)s promise(s) open.") % {
            "n": len(overdue),
            "amount": f"{overdue_amount:,.0f}",
            "p": len(promises),
        }
        return scorecard.answer(8, scorecard.AnswerStatus.WARNING, text, evidence)
    text = _("Nothing overdue; %(p)s promise(s) open.") % {"p": len(promises)}
    return scorecard.answer(8, scorecard.AnswerStatus.GOOD, text, evidence)


# --- the rep's day (home page panels) ------------------------------------------------------------

HOME_PER_MOVE = 5
HOME_NEXT_STEPS = 8
HOME_UPCOMING_DAYS = 7
HOME_BIGGEST = 5
HOME_MILESTONE_DAYS = 30
HOME_TEAM_ROWS = 3


def _later_facts(queryset: QuerySet) -> QuerySet:
    """Annotate the move 3–5 gate facts (as selectors.gate_facts reads them) in SQL."""
    annotations = _later_move_annotations()
    concern = later_model("Concern")
    contract = later_model("Contract")
    if concern is not None:
        unplanned = (
            concern.objects.filter(opportunity=OuterRef("pk"))
            .exclude(status="resolved")
            .filter(Q(prevention_plan="") | Q(remedy_plan=""))
            .order_by()
            .values("opportunity")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations["unplanned_concerns_count"] = Coalesce(
            Subquery(unplanned, output_field=IntegerField()), Value(0)
        )
    if contract is not None:
        annotations["has_contract"] = Exists(contract.objects.filter(opportunity=OuterRef("pk")))
    return queryset.annotate(**annotations)


def _moves_facts(deal) -> dict:
    facts = {}
    if hasattr(deal, "check_budget_approved"):
        facts["budget_approved"] = deal.check_budget_approved
    if hasattr(deal, "check_criteria_recorded"):
        facts["criteria_recorded"] = deal.check_criteria_recorded
    if hasattr(deal, "check_preferred_vendor"):
        facts["preferred_vendor"] = deal.check_preferred_vendor
    if hasattr(deal, "unplanned_concerns_count"):
        facts["open_concerns_without_plan"] = deal.unplanned_concerns_count
    if hasattr(deal, "has_contract"):
        facts["contract_signed"] = deal.has_contract
    return facts


def my_open_deals(user, *, today: date, per_move: int = HOME_PER_MOVE) -> list[dict]:
    """The user's open deals by move (moves 1–5): count and amount of each move, and its
    `per_move` deals closing soonest, each with its first unmet (or not yet measurable) exit
    check and that check's next action (opportunities/stages.py). Six queries: move
    settings, sums, ranked deals, stakeholders, their roles, qualification rules."""
    from opportunities import selectors
    from opportunities.models import QualificationSetting

    mine = _later_facts(
        Opportunity.objects.filter(owner=user, status=Status.OPEN)
        .select_related("account")
        .with_weighted_amount(MoveSetting.probabilities())
    )
    columns = [c for c in selectors.board(mine, per_move=per_move) if c["move"] in OPEN_MOVES]
    shown = [deal for column in columns for deal in column["cards"]]
    groups: dict[int, list] = {deal.pk: [] for deal in shown}
    if shown:
        for stakeholder in (
            Stakeholder.objects.filter(opportunity__in=[d.pk for d in shown])
            .select_related("contact")
            .annotate(relationship_stage=F("contact__relationship__stage"))
            .prefetch_related("roles")
            .order_by("contact__name", "pk")
        ):
            groups[stakeholder.opportunity_id].append(stakeholder)
        rules = QualificationSetting.rules()
        for deal in shown:
            group = groups[deal.pk]
            result = selectors.qualify(deal, group, rules, today)
            facts = selectors.gate_facts(group, result, moves=_moves_facts(deal))
            checks = stages.exit_checks(deal.move, facts)
            deal.gate_check = next(
                (c for c in checks if c.status == stages.CheckStatus.UNMET),
                next((c for c in checks if not c.is_met), None),
            )
            deal.checks_met = sum(1 for c in checks if c.is_met)
            deal.checks_total = len(checks)
            deal.next_step_overdue = bool(deal.next_step_date and deal.next_step_date < today)
    return columns


def my_next_steps(user, *, today: date) -> dict:
    """The next steps of the user's open deals that are overdue or due within a week, soonest
    first, and how many are overdue and upcoming: window counts over the same rows, so one
    query."""
    horizon = today + timedelta(days=HOME_UPCOMING_DAYS)
    rows = list(
        Opportunity.objects.filter(owner=user, status=Status.OPEN, next_step_date__lte=horizon)
        .annotate(
            overdue_total=Window(Count("pk", filter=Q(next_step_date__lt=today))),
            upcoming_total=Window(Count("pk", filter=Q(next_step_date__gte=today))),
        )
        .select_related("account")
        .order_by("next_step_date", "pk")[:HOME_NEXT_STEPS]
    )
    counts = {
        "overdue": rows[0].overdue_total if rows else 0,
        "upcoming": rows[0].upcoming_total if rows else 0,
    }
    for deal in rows:
        deal.overdue_days = (today - deal.next_step_date).days if deal.next_step_date < today else 0
    return {**counts, "rows": rows, "days": HOME_UPCOMING_DAYS}


def my_thinnest_dossiers(user) -> list[dict]:
    """Among the user's biggest open deals, the accounts whose dossier is least complete,
    with the next question to find out (accounts.selectors; 9 queries at most)."""
    from accounts import selectors as account_selectors

    biggest = list(
        Opportunity.objects.filter(
            owner=user, status=Status.OPEN, amount__gt=0, account__isnull=False
        )
        .select_related("account")
        .order_by("-amount", "pk")[:HOME_BIGGEST]
    )
    accounts = list({deal.account_id: deal.account for deal in biggest}.values())
    assessments = account_selectors.assessments(accounts)
    rows = []
    for deal in biggest:
        if deal.account_id in {row["account"].pk for row in rows}:
            continue
        assessment = assessments[deal.account_id]
        questions = assessment.next_questions
        rows.append(
            {
                "account": deal.account,
                "deal": deal,
                "percent": assessment.percent,
                "next_question": questions[0] if questions else "",
            }
        )
    return sorted(rows, key=lambda row: (row["percent"], -row["deal"].amount))[:3]


def my_milestones_due(user, *, today: date) -> dict | None:
    """Unpaid payment milestones of the user's deals overdue or due within 30 days (one
    query), or None while payment milestones are not recorded."""
    milestone = later_model("PaymentMilestone")
    receipt = later_model("Receipt")
    if milestone is None or receipt is None:
        return None
    received = (
        receipt.objects.filter(milestone=OuterRef("pk"))
        .order_by()
        .values("milestone")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    rows = list(
        milestone.objects.filter(
            opportunity__owner=user,
            due_date__lte=today + timedelta(days=HOME_MILESTONE_DAYS),
        )
        .exclude(status="paid")
        .annotate(received=Coalesce(Subquery(received), Value(ZERO), output_field=DecimalField()))
        .select_related("opportunity__account")
        .order_by("due_date", "pk")[:HOME_NEXT_STEPS]
    )
    for row in rows:
        row.remaining = row.amount - row.received
        row.overdue = row.due_date < today
    return {"rows": rows, "days": HOME_MILESTONE_DAYS}


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


def owns_open_deals(user) -> bool:
    return Opportunity.objects.filter(owner=user, status=Status.OPEN).exists()
