"""The rep's panels of the home page (opportunities/home.py): one ranking query feeds the deals
by move, the next steps and the biggest deals; each list is checked here against the plain
query that says what it should hold."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from opportunities import home
from opportunities.models import Opportunity, PaymentMilestone, Receipt, Status
from tests.factories import AccountFactory
from tests.opportunities.pipeline_data import make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(personas):
    """Seven deals in move 1 (more than a column shows), three in move 3, eleven next steps
    around today (more than the panel shows), amounts with ties and zeros, and a teammate's
    deal that must not count."""
    today = timezone.localdate()
    shared = AccountFactory(owner=personas.owner)
    for i in range(7):
        deal = make_deal(
            personas.owner,
            move=1,
            amount=str(1000 * (i % 3)),
            close_in_days=30 + i,
            account=shared if i < 3 else None,
        )
        Opportunity.objects.filter(pk=deal.pk).update(
            next_step_date=today + datetime.timedelta(days=i - 3)
        )
    for i in range(3):
        deal = make_deal(personas.owner, move=3, amount=str(50000 + i), close_in_days=90 - i)
        Opportunity.objects.filter(pk=deal.pk).update(
            next_step_date=today + datetime.timedelta(days=2 * i)
        )
    make_deal(personas.owner, move=6, status=Status.WON, amount="99999")
    make_deal(personas.teammate, move=1, amount="777777")
    return Opportunity.objects.filter(owner=personas.owner, status=Status.OPEN)


def test_the_columns_are_the_board_of_the_open_deals(personas, deals):
    columns = home.MyOpenDeals(personas.owner, timezone.localdate()).columns()
    assert [c["move"] for c in columns] == home.OPEN_MOVES
    sums = {
        row["move"]: row
        for row in deals.order_by().values("move").annotate(n=Count("pk"), amount=Sum("amount"))
    }
    for column in columns:
        expected = list(
            deals.filter(move=column["move"]).order_by("expected_close_date", "pk")[: home.PER_MOVE]
        )
        assert column["cards"] == expected
        assert column["count"] == sums.get(column["move"], {}).get("n", 0)
        assert column["amount"] == (sums.get(column["move"], {}).get("amount") or 0)
        assert column["hidden"] == column["count"] - len(expected)
    first = columns[0]
    assert (first["count"], len(first["cards"]), first["hidden"]) == (7, 5, 2)
    assert all(card.gate_check is not None for card in first["cards"])  # move 1 is not met


def test_the_next_steps_are_the_soonest_within_a_week(personas, deals):
    today = timezone.localdate()
    steps = home.MyOpenDeals(personas.owner, today).next_steps()
    within = deals.filter(next_step_date__lte=today + datetime.timedelta(days=home.UPCOMING_DAYS))
    assert steps["rows"] == list(within.order_by("next_step_date", "pk")[: home.NEXT_STEPS])
    assert steps["overdue"] == within.filter(next_step_date__lt=today).count() == 3
    assert steps["upcoming"] == within.filter(next_step_date__gte=today).count() == 7
    assert [d.overdue_days for d in steps["rows"][:3]] == [3, 2, 1]


def test_the_thinnest_dossiers_come_from_the_biggest_deals(personas, deals):
    biggest = list(
        deals.filter(amount__gt=0, account__isnull=False).order_by("-amount", "pk")[: home.BIGGEST]
    )
    rows = home.MyOpenDeals(personas.owner, timezone.localdate()).thinnest_dossiers()
    assert len(rows) <= home.THINNEST
    assert {row["deal"].pk for row in rows} <= {deal.pk for deal in biggest}
    assert len({row["account"].pk for row in rows}) == len(rows)  # one row per account


def test_no_open_deal_reads_no_deals(personas, django_assert_num_queries):
    with django_assert_num_queries(1):  # the ranking, empty
        mine = home.MyOpenDeals(personas.owner, timezone.localdate())
    assert mine.ranked == []
    assert not any(column["count"] for column in mine.columns())
    assert mine.next_steps() == {"overdue": 0, "upcoming": 0, "rows": [], "days": 7}
    assert mine.thinnest_dossiers() == []


def test_milestones_due_are_the_unpaid_ones_of_the_user_s_deals(
    personas, django_assert_num_queries
):
    today = timezone.localdate()
    won = make_deal(personas.owner, move=6, status=Status.WON, amount="9000")
    other = make_deal(personas.teammate, move=6, status=Status.WON, amount="9000")
    part_paid = PaymentMilestone.objects.create(
        opportunity=won,
        name="Acceptance",
        amount=Decimal("3000"),
        due_date=today - datetime.timedelta(days=2),
    )
    Receipt.objects.create(
        milestone=part_paid, amount=Decimal("1000"), received_on=today - datetime.timedelta(days=1)
    )
    due = PaymentMilestone.objects.create(
        opportunity=won, name="Go-live", amount=Decimal("3000"), due_date=today
    )
    PaymentMilestone.objects.create(
        opportunity=won,
        name="Later",
        amount=Decimal("3000"),
        due_date=today + datetime.timedelta(days=home.MILESTONE_DAYS + 1),
    )
    PaymentMilestone.objects.create(
        opportunity=other, name="Not mine", amount=Decimal("3000"), due_date=today
    )
    with django_assert_num_queries(1):
        found = home.milestones_due(personas.owner, today=today)
        accounts = [m.opportunity.account.name for m in found["rows"]]
    assert [m.pk for m in found["rows"]] == [part_paid.pk, due.pk]
    assert [(m.remaining, m.overdue) for m in found["rows"]] == [
        (Decimal("2000"), True),
        (Decimal("3000"), False),
    ]
    assert accounts == [won.account.name] * 2
