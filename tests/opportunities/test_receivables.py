"""Rules of move 6 (collected %, ageing, reminders, receipts, commitments) and the
receivables page: who sees what, the buckets, and a bounded number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from opportunities.moves import receivables as rules
from opportunities.moves.receivables import Bucket
from tests.opportunities.moves_factories import won_deal_with_milestones

TODAY = date(2026, 6, 30)
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2)


@pytest.mark.parametrize(
    ("amount", "received", "percent"),
    [
        ("100", "0", "0"),
        ("100", "30", "30.0"),
        ("300", "100", "33.3"),
        ("100", "99.99", "99.9"),  # never rounds up to a false 100%
        ("100", "100", "100"),
        ("100", "150", "100"),
    ],
)
def test_collected_percent(amount, received, percent):
    assert rules.collected_percent(Decimal(amount), Decimal(received)) == Decimal(percent)


@given(positive, st.lists(money, max_size=8))
def test_collected_percent_stays_within_0_and_100(amount, receipts):
    assert Decimal(0) <= rules.collected_percent(amount, sum(receipts, Decimal(0))) <= 100


@given(positive, st.lists(money, max_size=8), money)
def test_collected_percent_never_falls_when_a_receipt_is_added(amount, receipts, extra):
    before = rules.collected_percent(amount, sum(receipts, Decimal(0)))
    after = rules.collected_percent(amount, sum(receipts, Decimal(0)) + extra)
    assert after >= before


@given(positive, money)
def test_complete_exactly_at_100_percent(amount, received):
    assert rules.is_complete(amount, received) == (
        rules.collected_percent(amount, received) == 100 and received >= amount
    )


@pytest.mark.parametrize(
    ("days_overdue", "bucket"),
    [
        (-10, Bucket.NOT_DUE),
        (0, Bucket.NOT_DUE),
        (1, Bucket.D1_30),
        (30, Bucket.D1_30),
        (31, Bucket.D31_60),
        (60, Bucket.D31_60),
        (61, Bucket.D61_90),
        (90, Bucket.D61_90),
        (91, Bucket.OVER_90),
        (900, Bucket.OVER_90),
    ],
)
def test_ageing_buckets(days_overdue, bucket):
    assert rules.bucket_of(TODAY - timedelta(days=days_overdue), TODAY) == bucket


@given(st.integers(-400, 400))
def test_bucket_date_ranges_agree_with_the_buckets(offset):
    due = TODAY - timedelta(days=offset)
    matches = []
    for definition in rules.BUCKETS:
        earliest, latest = rules.due_date_range(definition, TODAY)
        if (earliest is None or due >= earliest) and (latest is None or due <= latest):
            matches.append(definition.bucket)
    assert matches == [rules.bucket_of(due, TODAY)]


def test_ageing_sums_per_bucket():
    totals = rules.ageing(
        [
            (TODAY, Decimal(5)),
            (TODAY - timedelta(days=45), Decimal(7)),
            (TODAY - timedelta(days=40), Decimal(1)),
        ],
        TODAY,
    )
    assert (
        totals[Bucket.NOT_DUE] == 5 and totals[Bucket.D31_60] == 8 and totals[Bucket.OVER_90] == 0
    )


@pytest.mark.parametrize(("due_in", "remind"), [(-1, False), (0, True), (7, True), (8, False)])
def test_reminders_come_before_the_due_date(due_in, remind):
    assert rules.needs_reminder(TODAY + timedelta(days=due_in), TODAY, 7) is remind


@pytest.mark.parametrize(
    ("received", "due_in", "state"),
    [("100", -5, "paid"), ("50", -5, "overdue"), ("0", 3, "remind"), ("0", 30, "upcoming")],
)
def test_milestone_state(received, due_in, state):
    assert (
        rules.state_of(Decimal(100), Decimal(received), TODAY + timedelta(days=due_in), TODAY, 7)
        == state
    )


@pytest.mark.parametrize(
    ("before", "amount", "ok"),
    [
        ("0", "100", True),
        ("40", "60", True),
        ("40", "60.01", False),
        ("0", "0", False),
        ("100", "1", False),
    ],
)
def test_a_receipt_cannot_exceed_what_is_still_due(before, amount, ok):
    assert rules.check_receipt(Decimal(100), Decimal(before), Decimal(amount)).ok is ok


def test_commitments_are_listed_before_the_first_milestone_they_precede():
    dues = [TODAY, TODAY + timedelta(days=30)]
    commitments = [
        (1, TODAY - timedelta(days=3), False),
        (2, TODAY + timedelta(days=10), False),
        (3, TODAY - timedelta(days=1), True),  # fulfilled: not listed
        (4, TODAY + timedelta(days=99), False),  # after the last milestone
    ]
    assert rules.commitments_before(dues, commitments) == [[1], [2]]


# --- the receivables page -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", True),
        ("teammate", False),
        ("manager", True),
        ("outsider", False),
        ("outsider_manager", False),
        ("admin", True),
    ],
)
def test_receivables_show_own_and_team_milestones_only(personas, client_for, who, sees):
    won_deal_with_milestones(personas.owner)
    response = client_for(getattr(personas, who)).get(reverse("opportunities:receivables"))
    assert response.status_code == 200
    assert (len(response.context["page"].object_list) > 0) is sees


def test_receivables_need_a_login(client):
    response = client.get(reverse("opportunities:receivables"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_receivables_bucket_totals_and_filters(personas, client_for):
    deal = won_deal_with_milestones(personas.owner)
    client = client_for(personas.owner)
    response = client.get(reverse("opportunities:receivables"))
    buckets = {b["code"]: b["amount"] for b in response.context["buckets"]}
    # The fixture: 30 000 paid, 50 000 overdue by 12 days, 20 000 due in 5 days.
    assert buckets == {"not_due": 20000, "1_30": 50000, "31_60": 0, "61_90": 0, "over_90": 0}
    assert response.context["total"] == 70000
    overdue = client.get(reverse("opportunities:receivables") + "?bucket=overdue").context["page"]
    assert [m.name for m in overdue] == ["acceptance"]
    remind = client.get(reverse("opportunities:receivables") + "?bucket=remind").context["page"]
    assert [m.name for m in remind] == ["warranty"]
    assert deal.contract.collected_at is None


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# session, user, moves setting, the summary (ageing buckets, total, count and the list's count
# for the paginator, in one aggregate), the page's rows (+opportunity, account, owner, received)
# — five; then DSO, overdue and bad-debt impact (pipeline/collections.py): the after-sale
# setting, per rep, their names, the whole scope, per account — ten, whatever the number of
# milestones
RECEIVABLES_QUERIES = 10


def test_receivables_queries_do_not_grow(personas, client_for):
    client = client_for(personas.manager)
    url = reverse("opportunities:receivables")
    won_deal_with_milestones(personas.owner)
    small = count(client, url)
    for _ in range(14):  # 30 unpaid milestones: two pages
        won_deal_with_milestones(personas.owner)
    assert count(client, url) == small == RECEIVABLES_QUERIES
    assert count(client, url + "?bucket=overdue&page=2") == RECEIVABLES_QUERIES


def test_receivables_page_through_the_listed_milestones_only(personas, client_for):
    for _ in range(13):  # 26 unpaid milestones: 13 overdue, 13 due soon
        won_deal_with_milestones(personas.owner)
    client = client_for(personas.owner)
    url = reverse("opportunities:receivables")
    first = client.get(url).context
    assert (first["count"], first["page"].paginator.count, first["page"].paginator.num_pages) == (
        26,
        26,
        2,
    )
    assert len(client.get(url + "?page=2").context["page"].object_list) == 1
    overdue = client.get(url + "?bucket=overdue").context
    assert overdue["count"] == 26  # the whole scope, under the total
    assert overdue["page"].paginator.count == 13
    assert {m.name for m in overdue["page"]} == {"acceptance"}
    assert [m.due_date for m in first["page"]] == sorted(m.due_date for m in first["page"])


def test_a_part_paid_milestone_shows_what_is_still_due(personas, client_for):
    from opportunities.models import Receipt
    from opportunities.moves import services as move_services

    deal = won_deal_with_milestones(personas.owner)
    acceptance = deal.payment_milestones.get(name="acceptance")
    Receipt.objects.create(milestone=acceptance, amount=Decimal(20000), received_on=TODAY)
    move_services.refresh_collection(deal)
    response = client_for(personas.owner).get(reverse("opportunities:receivables"))
    shown = {m.name: (m.received, m.outstanding) for m in response.context["page"]}
    assert shown == {"acceptance": (20000, 30000), "warranty": (0, 20000)}
    buckets = {b["code"]: b["amount"] for b in response.context["buckets"]}
    assert (buckets["1_30"], buckets["not_due"], response.context["total"]) == (30000, 20000, 50000)


def test_fully_collected_completes_the_sale(personas):
    from opportunities.models import Receipt
    from opportunities.moves import services as move_services

    deal = won_deal_with_milestones(personas.owner)
    for milestone in deal.payment_milestones.all():
        left = milestone.amount - sum(r.amount for r in milestone.receipts.all())
        if left:
            Receipt.objects.create(
                milestone=milestone, amount=left, received_on=timezone.localdate()
            )
    move_services.refresh_collection(deal)
    deal.contract.refresh_from_db()
    assert deal.contract.collected_at is not None
    assert set(deal.payment_milestones.values_list("status", flat=True)) == {"paid"}


@pytest.mark.django_db
def test_received_so_far_agrees_with_its_sql_form(personas):
    from opportunities.models import PaymentMilestone, Receipt
    from opportunities.models.collection import received_subquery

    deal = won_deal_with_milestones(personas.owner)
    first, second, third = PaymentMilestone.objects.filter(opportunity=deal).order_by("due_date")
    Receipt.objects.create(milestone=second, amount=Decimal("100.50"), received_on=date.today())
    Receipt.objects.create(milestone=second, amount=Decimal("0.25"), received_on=date.today())
    annotated = dict(
        PaymentMilestone.objects.filter(opportunity=deal)
        .annotate(received=received_subquery())
        .values_list("pk", "received")
    )
    assert annotated == {m.pk: m.received_so_far() for m in (first, second, third)}
    assert annotated[third.pk] == 0 and annotated[second.pk] == Decimal("100.75")
    receipt = second.receipts.order_by("pk").first()
    assert second.received_so_far(excluding=receipt.pk) == Decimal("0.25")
