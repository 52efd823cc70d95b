"""The per-rep table: each rep's pipeline, attainment and activity in one pass."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)

from crm.models import Membership, User
from opportunities.models import Opportunity, PipelineSetting, SalesTarget, Status
from opportunities.pipeline.figures.scope import CLOSED, ZERO, Scope, _closed_in_period, _sum, deals
from opportunities.rules import attainment


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
