"""Effort where it pays (handout step 4.2): the rule over plain values, its SQL form (the home
panel and the list's sort) agreeing with it, and the panel's queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.effort import effort_panel, with_effort
from opportunities.models import AftersaleSetting, Opportunity
from opportunities.rules import effort
from opportunities.rules.effort import Weights
from tests.opportunities.factories import OpportunityFactory

TODAY = date(2026, 11, 18)
W = Weights(budget_weight=60, nearness_weight=40, full_budget=Decimal(1000), horizon_days=100)


@pytest.mark.parametrize(
    ("budget", "days", "score"),
    [
        (None, None, 0.0),
        ("0", None, 0.0),
        ("1000", None, 60.0),  # full budget, no date
        ("5000", None, 60.0),  # beyond full marks counts as full
        ("500", None, 30.0),
        (None, 0, 40.0),  # decision due today
        (None, -30, 40.0),  # already past: being made now
        (None, 50, 20.0),
        (None, 100, 0.0),  # at the horizon
        (None, 400, 0.0),
        ("1000", 0, 100.0),
        ("250", 75, 15.0 + 10.0),
    ],
)
def test_effort_score(budget, days, score):
    decision = None if days is None else TODAY + timedelta(days=days)
    value = effort.effort_score(None if budget is None else Decimal(budget), decision, TODAY, W)
    assert value == pytest.approx(score)


def test_no_weight_scores_nothing():
    assert effort.effort_score(Decimal(10**6), TODAY, TODAY, Weights(0, 0)) == 0


@pytest.mark.parametrize(
    ("budget_amount", "amount", "decision", "close", "expected"),
    [
        ("10", "20", date(2027, 1, 1), date(2027, 2, 1), ("10", date(2027, 1, 1))),
        (None, "20", None, date(2027, 2, 1), ("20", date(2027, 2, 1))),
    ],
)
def test_deal_inputs_fall_back_to_amount_and_close(
    budget_amount, amount, decision, close, expected
):
    budget_amount = None if budget_amount is None else Decimal(budget_amount)
    result = effort.deal_inputs(budget_amount, Decimal(amount), decision, close)
    assert result == (Decimal(expected[0]), expected[1])


budgets = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2))
offsets = st.one_of(st.none(), st.integers(min_value=-400, max_value=400))


@given(budgets, offsets, st.integers(0, 100), st.integers(0, 100))
def test_score_within_0_and_100(budget, offset, wb, wn):
    decision = None if offset is None else TODAY + timedelta(days=offset)
    assert 0 <= effort.effort_score(budget, decision, TODAY, Weights(wb, wn)) <= 100


@given(budgets, st.decimals(min_value=0, max_value=10**6, places=2), offsets)
def test_more_budget_never_scores_less(budget, extra, offset):
    decision = None if offset is None else TODAY + timedelta(days=offset)
    before = effort.effort_score(budget, decision, TODAY, W)
    assert effort.effort_score((budget or 0) + extra, decision, TODAY, W) >= before


@given(budgets, st.integers(-400, 400), st.integers(0, 400))
def test_a_nearer_decision_never_scores_less(budget, offset, sooner):
    later = effort.effort_score(budget, TODAY + timedelta(days=offset), TODAY, W)
    nearer = effort.effort_score(budget, TODAY + timedelta(days=offset - sooner), TODAY, W)
    assert nearer >= later


CASES = [
    # budget_amount, amount, decision offset, close offset
    (None, "0", None, None),
    (None, "800", None, 30),
    ("0", "800", 10, 30),
    ("2000", "800", -5, 30),
    ("400", "100", 60, None),
    (None, "999.99", 99, 200),
    ("1", "1", 100, 0),
    ("1000", "0", None, 365),
]


@pytest.mark.django_db
def test_the_sql_form_agrees_with_the_rule(personas):
    deals = []
    for budget_amount, amount, decision, close in CASES:
        deals.append(
            OpportunityFactory(
                account__owner=personas.owner,
                budget_amount=None if budget_amount is None else Decimal(budget_amount),
                amount=Decimal(amount),
                decision_date=None if decision is None else TODAY + timedelta(days=decision),
                expected_close_date=None if close is None else TODAY + timedelta(days=close),
            )
        )
    rows = with_effort(Opportunity.objects.filter(pk__in=[d.pk for d in deals]), TODAY, W)
    sql = {row.pk: row.effort for row in rows}
    for deal in deals:
        budget, decision = effort.deal_inputs(
            deal.budget_amount, deal.amount, deal.decision_date, deal.expected_close_date
        )
        assert sql[deal.pk] == pytest.approx(effort.effort_score(budget, decision, TODAY, W))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(budgets, offsets)
def test_the_sql_form_agrees_on_any_deal(budget, offset):
    from tests.factories import AccountFactory

    deal = OpportunityFactory(
        account=AccountFactory(),
        budget_amount=budget,
        amount=Decimal(0),
        decision_date=None if offset is None else TODAY + timedelta(days=offset),
        expected_close_date=None,
    )
    row = with_effort(Opportunity.objects.filter(pk=deal.pk), TODAY, W).get()
    assert row.effort == pytest.approx(
        effort.effort_score(budget, deal.decision_date, TODAY, W), abs=1e-9
    )


def _deals(owner, n):
    today = timezone.localdate()
    return [
        OpportunityFactory(
            account__owner=owner,
            amount=Decimal(100 * (i + 1)),
            decision_date=today + timedelta(days=10 * i),
        )
        for i in range(n)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 12])
def test_panel_orders_by_effort_in_two_queries(personas, django_assert_num_queries, n):
    _deals(personas.owner, n)
    AftersaleSetting.objects.create(full_budget=Decimal(100_000))
    with django_assert_num_queries(2):
        panel = effort_panel(personas.owner, today=timezone.localdate())
    scores = [row.effort for row in panel["rows"]]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == min(n, 5)


@pytest.mark.django_db
def test_the_weights_are_the_admin_setting(personas):
    near_small, far_big = _deals(personas.owner, 2)
    far_big.amount, far_big.decision_date = Decimal(10**6), timezone.localdate() + timedelta(200)
    far_big.save()
    AftersaleSetting.objects.create(budget_weight=100, nearness_weight=0)
    today = timezone.localdate()
    assert [r.pk for r in effort_panel(personas.owner, today=today)["rows"]][0] == far_big.pk
    AftersaleSetting.objects.update(budget_weight=0, nearness_weight=100)
    assert [r.pk for r in effort_panel(personas.owner, today=today)["rows"]][0] == near_small.pk


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_home_shows_the_panel_with_its_rule(client, personas, language):
    _deals(personas.owner, 3)
    client.force_login(personas.owner)
    response = client.get(reverse("crm:home"), HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert "data-effort-rule" in body
    assert ("Effort score 0–100" in body) == (language == "en")
    if language == "zh-hans":
        assert "投入价值分 0–100" in body


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["-effort", "effort"])
def test_the_list_sorts_by_effort(client, personas, direction):
    deals = _deals(personas.owner, 4)
    client.force_login(personas.owner)
    response = client.get(reverse("opportunities:list"), {"sort": direction})
    assert response.status_code == 200
    listed = [d.pk for d in response.context["page"].object_list]
    expected = [d.pk for d in deals]  # later decision and more budget: the rule decides
    scored = {
        d.pk: effort.effort_score(d.amount, d.decision_date, timezone.localdate(), Weights())
        for d in deals
    }
    expected = sorted(scored, key=lambda pk: (-scored[pk], pk))
    if direction == "effort":
        expected = sorted(scored, key=lambda pk: (scored[pk], pk))
    assert listed == expected
