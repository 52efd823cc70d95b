"""The rep's day (home page panels): the manager's pipeline at a glance."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, OuterRef, Subquery

from crm import policy
from opportunities.models import Status
from opportunities.pipeline.figures.lists import inflated, stalled
from opportunities.pipeline.figures.scope import _sum, deals, first_rows_and_count, scope_for

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
