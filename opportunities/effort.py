"""The home panel "where effort pays" (handout step 4.2): the user's open deals ordered by the
effort rule of opportunities/rules/effort.py, computed in SQL."""

from datetime import date

from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from opportunities.models import AftersaleSetting, Opportunity, Status
from opportunities.rules import effort

SHOWN = 5


class DayNumber(Func):
    """Days since 1970-01-01 of a date column, the same integer on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(julianday(%(expressions)s) - 2440587.5)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST((%(expressions)s - DATE '1970-01-01') AS double precision)",
            **extra,
        )


def effort_expression(today: date, weights: effort.Weights):
    """`effort.effort_score` over Opportunity rows, as a float expression."""
    total = weights.budget_weight + weights.nearness_weight
    if total <= 0:
        return Value(0.0, output_field=FloatField())
    budget = Cast(Coalesce(F("budget_amount"), F("amount")), FloatField())
    if weights.full_budget > 0:
        budget_value = Case(
            When(Q(budget_amount__isnull=True, amount__lte=0) | Q(budget_amount__lte=0), then=0.0),
            default=Least(budget / Value(float(weights.full_budget)), Value(1.0)),
            output_field=FloatField(),
        )
    else:
        budget_value = Value(0.0, output_field=FloatField())
    decision = Coalesce(F("decision_date"), F("expected_close_date"))
    horizon = float(weights.horizon_days)
    if horizon > 0:
        days = DayNumber(decision) - Value(float((today - effort.EPOCH).days))
        near = Greatest(Value(0.0), Least(Value(1.0), (Value(horizon) - days) / Value(horizon)))
        near_value = Case(
            When(decision_date__isnull=True, expected_close_date__isnull=True, then=0.0),
            default=near,
            output_field=FloatField(),
        )
    else:
        near_value = Value(0.0, output_field=FloatField())
    return (
        Value(100.0 * weights.budget_weight / total) * budget_value
        + Value(100.0 * weights.nearness_weight / total) * near_value
    )


def with_effort(queryset, today: date, weights: effort.Weights):
    return queryset.annotate(effort=effort_expression(today, weights))


def effort_panel(user, *, today: date, setting: AftersaleSetting | None = None) -> dict:
    """The first deals by effort score, highest first (two queries: the setting, the deals)."""
    setting = setting or AftersaleSetting.current()
    weights = setting.weights
    rows = list(
        with_effort(Opportunity.objects.filter(owner=user, status=Status.OPEN), today, weights)
        .select_related("account")
        .order_by("-effort", "pk")[:SHOWN]
    )
    for row in rows:
        row.effort_points = round(row.effort)
        row.effort_budget, row.effort_decision = effort.deal_inputs(
            row.budget_amount, row.amount, row.decision_date, row.expected_close_date
        )
    return {"rows": rows, "rule": effort.explanation(weights), "today": today}
