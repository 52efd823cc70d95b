"""The lists: stalled, stage-inflated and late-entry deals (capped by the caller with
scope.first_rows_and_count, which also says how many there are).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from opportunities.models import Opportunity, Source, Status
from opportunities.pipeline import facts
from opportunities.pipeline.figures.scope import (
    CLOSED,
    ZERO,
    Scope,
    _aggregate,
    _sum,
    deals,
    stall_limits,
)
from opportunities.rules import attainment


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
