"""Move 6's money per rep and per account (METHOD.md §8.2): DSO, overdue, the amounts at risk
of bad debt with their impact, and the cash collected in a period, summed in SQL (one grouped
query each) for the receivables page and the pipeline's rep table. The plain-Python reference
these sums must agree with is in tests/opportunities/test_aftersale_collections.py."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce

from crm import policy
from crm.models import User
from opportunities.models import (
    AftersaleSetting,
    Basis,
    Opportunity,
    PaymentMilestone,
    Receipt,
    Status,
)
from opportunities.models.collection import MONEY_FIELD, received_subquery
from opportunities.moves.receivables import Bucket
from opportunities.moves.receivables_selectors import bucket_filter
from opportunities.rules import aftersale, attainment

ZERO = Decimal(0)
ACCOUNTS_SHOWN = 10


def milestones_in_reach(user):
    """Every payment milestone (paid ones too: they count in what fell due) of the won deals
    `user` may see."""
    milestones = PaymentMilestone.objects.filter(opportunity__status=Status.WON)
    if policy.is_admin(user):
        return milestones
    won = Opportunity.objects.visible_to(user).filter(status=Status.WON)
    return policy.within(milestones, user, parent="opportunity", parents=won)


def _sum(expression, condition):
    return Coalesce(Sum(expression, filter=condition), Value(ZERO), output_field=MONEY_FIELD)


def _aggregates(today: date, days: int) -> dict:
    owed = F("amount") - received_subquery()
    # In floating point: SQLite stores a whole-number decimal as an integer, and would divide
    # two of them as integers.
    margin = Cast(F("opportunity__margin_percent"), FloatField())
    recovery = ExpressionWrapper(
        Cast(owed, FloatField()) * Value(100.0) / margin, output_field=FloatField()
    )
    at_risk = bucket_filter(Bucket.OVER_90, today)
    known = Q(opportunity__margin_percent__gt=0)
    return {
        "receivable": _sum(owed, Q(due_date__lte=today)),
        "overdue": _sum(owed, Q(due_date__lt=today)),
        "fell_due": _sum("amount", Q(due_date__gt=today - timedelta(days=days))),
        "at_risk": _sum(owed, at_risk),
        "recovery": _sum(recovery, at_risk & known),
        "unknown_margin": _sum(owed, at_risk & ~known),
    }


def _figures(row: dict, days: int) -> aftersale.Collections:
    # To the fen: SQLite sums decimals in floating point.
    def money(name):
        return Decimal(row[name]).quantize(Decimal("0.01"))

    return aftersale.Collections(
        receivable=money("receivable"),
        overdue=money("overdue"),
        fell_due=money("fell_due"),
        at_risk=money("at_risk"),
        recovery=money("recovery"),
        unknown_margin=money("unknown_margin"),
        days=days,
    )


def collections_by(milestones, group: str, today: date, days: int) -> dict:
    """{group value: Collections} over the milestones due by `today` (one query)."""
    rows = (
        milestones.filter(due_date__lte=today)
        .order_by()
        .values(group)
        .annotate(**_aggregates(today, days))
    )
    return {row[group]: _figures(row, days) for row in rows}


def by_account(milestones, today: date, days: int, limit: int = ACCOUNTS_SHOWN) -> list[dict]:
    """The accounts owing the most overdue money first, `limit` of them (one query)."""
    rows = (
        milestones.filter(due_date__lte=today)
        .order_by()
        .values("opportunity__account", "opportunity__account__name")
        .annotate(**_aggregates(today, days))
        .filter(receivable__gt=0)
        .order_by("-overdue", "-receivable", "opportunity__account")[:limit]
    )
    return [
        {
            "account_id": row["opportunity__account"],
            "name": row["opportunity__account__name"],
            "figures": _figures(row, days),
        }
        for row in rows
    ]


def receivables_context(user, today: date, *, mine: bool) -> dict:
    """The receivables page's DSO, overdue and bad-debt impact per rep and per account, and
    for the whole scope (five queries: the setting, per rep, the reps' names, the scope,
    per account)."""
    setting = AftersaleSetting.current()
    milestones = milestones_in_reach(user)
    if mine:
        milestones = milestones.filter(opportunity__owner=user)
    days = setting.dso_days
    per_rep = collections_by(milestones, "opportunity__owner", today, days)
    totals = milestones.filter(due_date__lte=today).order_by().aggregate(**_aggregates(today, days))
    people = {u.pk: u for u in User.objects.filter(pk__in=list(per_rep))} if per_rep else {}
    reps = sorted(
        ({"user": people.get(pk), "figures": f} for pk, f in per_rep.items() if f.receivable),
        key=lambda r: (-r["figures"].overdue, str(r["user"])),
    )
    return {
        "collections": {
            "days": days,
            "total": _figures(totals, days),
            "reps": reps,
            "accounts": by_account(milestones, today, days),
        }
    }


def collected_by_owner(owners, start: date, end: date) -> dict:
    """Cash received in [start, end] per deal owner (one query)."""
    rows = (
        Receipt.objects.filter(
            milestone__opportunity__owner__in=owners, received_on__gte=start, received_on__lte=end
        )
        .order_by()
        .values("milestone__opportunity__owner")
        .annotate(total=Sum("amount", output_field=DecimalField()))
    )
    return {row["milestone__opportunity__owner"]: row["total"] for row in rows}


def add_to_rep_rows(rows: list, scope, pipeline_setting, setting=None) -> AftersaleSetting:
    """Give each rep-table row its cash collected in the period with its attainment and
    colour, its DSO and overdue; the colour shown follows the after-sale setting's basis
    (three queries: the setting, the receipts, the receivables)."""
    setting = setting or AftersaleSetting.current()
    collected = collected_by_owner(scope.owners, scope.period_start, scope.period_end)
    milestones = PaymentMilestone.objects.filter(
        opportunity__owner__in=scope.owners, opportunity__status=Status.WON
    )
    money = collections_by(milestones, "opportunity__owner", scope.today, setting.dso_days)
    thresholds = {
        "green": pipeline_setting.green_percent,
        "yellow": pipeline_setting.yellow_percent,
        "red": pipeline_setting.red_percent,
    }
    for row in rows:
        row.collected_amount = collected.get(row.user.pk, ZERO)
        row.cash_attainment = attainment.attainment_percent(row.collected_amount, row.target)
        cash_colour = attainment.attainment_colour(row.cash_attainment, **thresholds)
        row.cash_colour = cash_colour.value if cash_colour else None
        row.signed_attainment, row.signed_colour = row.attainment, row.colour
        if setting.colour_basis == Basis.COLLECTED:
            row.attainment, row.colour = row.cash_attainment, row.cash_colour
        row.collections = money.get(row.user.pk, aftersale.Collections(days=setting.dso_days))
    return setting
