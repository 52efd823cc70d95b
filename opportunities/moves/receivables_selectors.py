"""Reads of the receivables page (move 6): the milestones still due that a user may see,
their ageing buckets and one page of them, each a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from crm import policy
from opportunities.models import MilestoneStatus, Opportunity, PaymentMilestone, Status
from opportunities.models.collection import received_subquery
from opportunities.moves import receivables as money_rules
from opportunities.moves.selectors import MONEY_FIELD, ZERO


def open_receivables(user):
    """Milestones of won deals the user may see that still have money due.

    "Still due" is the stored status: `move_services.refresh_collection` sets "paid" exactly
    when the receipts cover the amount, on every write of a milestone or a receipt (admin
    included), so no received-so-far subquery is needed to find them. The policy's array holds
    the user's won deals only (2,500 of the 12,700 deals a manager sees at the large size), and
    the milestones need no join to their deal."""
    unpaid = PaymentMilestone.objects.exclude(status=MilestoneStatus.PAID)
    if policy.is_admin(user):  # within() narrows nothing for an admin
        return unpaid.filter(opportunity__status=Status.WON)
    won = Opportunity.objects.visible_to(user).filter(status=Status.WON)
    return policy.within(unpaid, user, parent="opportunity", parents=won)


def outstanding():
    """Amount less the `received` annotation (received_subquery)."""
    return ExpressionWrapper(F("amount") - F("received"), output_field=MONEY_FIELD)


def with_collected(milestones):
    """Milestones with `received` and `outstanding`, as the list and the export show them."""
    return milestones.annotate(received=received_subquery()).annotate(outstanding=outstanding())


def bucket_filter(bucket: str, today: date) -> Q:
    definition = next(d for d in money_rules.BUCKETS if d.bucket == bucket)
    earliest, latest = money_rules.due_date_range(definition, today)
    condition = Q()
    if definition.min_days is None:
        return Q(due_date__gte=today)
    if earliest is not None:
        condition &= Q(due_date__gte=earliest)
    if latest is not None:
        condition &= Q(due_date__lte=latest)
    return condition


def receivables_listed(bucket: str, today: date, reminder_days: int) -> Q | None:
    """The receivables list's filter for `bucket`: due within the reminder window ("remind"),
    overdue, one ageing bucket, or None (an unknown bucket: the whole scope)."""
    if bucket == "remind":
        return Q(due_date__gte=today, due_date__lte=today + timedelta(days=reminder_days))
    if bucket == "overdue":
        return Q(due_date__lt=today)
    if bucket in {d.bucket.value for d in money_rules.BUCKETS}:
        return bucket_filter(bucket, today)
    return None


def receivables_summary(scope, today: date, listed: Q | None) -> dict:
    """Outstanding per ageing bucket, their total, `count` (milestones in the scope) and
    `listed` (how many the list shows: those matching `listed`, None = all, the paginator's
    count), in one aggregate over the scope. The buckets split the due dates, so the total is
    their sum: each bucket's sum reads the received-so-far subquery for its own rows only."""
    owed = F("amount") - received_subquery()
    aggregates = {
        d.bucket.value: Coalesce(
            Sum(owed, filter=bucket_filter(d.bucket, today)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        )
        for d in money_rules.BUCKETS
    }
    values = scope.order_by().aggregate(
        **aggregates, count=Count("pk"), listed=Count("pk", filter=listed)
    )
    values["total"] = sum((values[d.bucket.value] for d in money_rules.BUCKETS), ZERO)
    return values


def receivables_page_rows(page_ids) -> list[PaymentMilestone]:
    """The milestones of one page, given as a sliced queryset of their ids: their deal,
    account, owner and received-so-far are read for these rows only, not for the whole scope
    before the sort."""
    return list(
        with_collected(PaymentMilestone.objects.filter(pk__in=page_ids))
        .select_related("opportunity__account", "opportunity__owner")
        .order_by("due_date", "pk")
    )
