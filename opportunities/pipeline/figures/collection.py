"""Moves 3–6 data (recorded by the move-3…6 part of the app): the functions here read the models
of moves 3–6 (needs, criteria, evaluation, concerns, contract, payments) and are the only place
the dashboards touch those models.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from opportunities.models import PaymentMilestone, Receipt
from opportunities.moves.selectors import received_subquery
from opportunities.pipeline.figures.scope import ZERO, Scope, deals


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


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
