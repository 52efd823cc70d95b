"""The five-criteria qualification (METHOD.md §3.5): table tests and properties."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.rules.qualification import (
    Inputs,
    Rules,
    Verdict,
    WinEvidence,
    evidence_win_figure,
    qualify,
    score_budget,
    score_fit,
    score_timeline,
    score_worth,
)

TODAY = datetime.date(2026, 6, 1)
RULES = Rules()
STRONG_EVIDENCE = WinEvidence(
    decision_maker_known=True,
    decision_maker_supports=True,
    guides=1,
    key_people=2,
    key_people_at_trust=2,
)
GOOD = Inputs(
    amount=Decimal("100000"),
    budget_amount=Decimal("100000"),
    budget_status="approved",
    decision_date=TODAY + datetime.timedelta(days=30),
    fit=5,
    margin_percent=Decimal("40"),
    cost_of_sale=Decimal("5000"),
    risk="low",
    win_estimate=70,
    evidence=STRONG_EVIDENCE,
)


@pytest.mark.parametrize(
    ("status", "budget", "amount", "expected"),
    [
        ("unknown", None, "100", 0),
        ("unknown", "100", "100", 0),
        ("estimated", None, "100", 30),
        ("estimated", "100", "100", 60),
        ("approved", "50", "100", 50),
        ("approved", "200", "100", 100),
        ("approved", "10", "0", 100),
    ],
)
def test_budget_scores_status_times_coverage(status, budget, amount, expected):
    inputs = Inputs(
        amount=Decimal(amount),
        budget_status=status,
        budget_amount=Decimal(budget) if budget else None,
    )
    assert score_budget(inputs)[0] == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(None, 0), (-1, 20), (0, 100), (90, 100), (227, 50), (365, 0), (800, 0)],
)
def test_timeline_scores_how_imminent_the_decision_is(days, expected):
    date = None if days is None else TODAY + datetime.timedelta(days=days)
    assert score_timeline(Inputs(decision_date=date), RULES, TODAY)[0] == expected


@pytest.mark.parametrize(("fit", "expected"), [(None, 0), (1, 0), (3, 50), (5, 100)])
def test_fit_scores_linearly(fit, expected):
    assert score_fit(Inputs(fit=fit))[0] == expected


@pytest.mark.parametrize(
    ("margin", "cost", "risk", "expected"),
    [
        (None, None, "low", 0),
        ("30", "0", "low", 100),
        ("30", "0", "medium", 75),
        ("30", "0", "high", 40),
        ("30", "0", "", 60),
        ("15", "0", "low", 50),
        ("30", "15000", "low", 50),
        ("10", "20000", "low", 0),
    ],
)
def test_worth_is_net_margin_after_cost_of_sale_and_risk(margin, cost, risk, expected):
    inputs = Inputs(
        amount=Decimal("100000"),
        margin_percent=Decimal(margin) if margin else None,
        cost_of_sale=Decimal(cost) if cost else None,
        risk=risk,
    )
    assert score_worth(inputs, RULES)[0] == expected


def test_a_strong_deal_is_qualified_in_the_methods_words():
    result = qualify(GOOD, RULES, TODAY)
    assert result.verdict == Verdict.QUALIFIED
    assert result.passes
    assert "明确" in result.verdict_label and "近在眼前" in result.verdict_label
    assert result.overall >= RULES.qualified_score


def test_one_weak_criterion_keeps_a_high_scoring_deal_at_needs_work():
    result = qualify(replace(GOOD, decision_date=None), RULES, TODAY)
    assert result.overall >= RULES.qualified_score
    assert result.verdict == Verdict.NEEDS_WORK
    assert "近在眼前" in result.summary


def test_an_empty_deal_is_not_worth_it():
    assert qualify(Inputs(), RULES, TODAY).verdict == Verdict.NOT_WORTH_IT


def test_a_deal_whose_cost_of_sale_eats_the_margin_is_not_worth_it():
    result = qualify(replace(GOOD, cost_of_sale=Decimal("50000")), RULES, TODAY)
    assert result.verdict == Verdict.NOT_WORTH_IT


def test_optimism_beyond_the_evidence_is_capped_and_flagged():
    weak = replace(GOOD, win_estimate=90, evidence=WinEvidence())
    result = qualify(weak, RULES, TODAY)
    win = next(c for c in result.criteria if c.code == "win")
    assert result.gap_flag
    assert win.score == result.evidence_figure + RULES.gap_points


def test_an_estimate_close_to_the_evidence_is_not_flagged():
    figure, _reasons = evidence_win_figure(STRONG_EVIDENCE, 5)
    result = qualify(replace(GOOD, win_estimate=figure), RULES, TODAY)
    assert not result.gap_flag


@pytest.mark.parametrize(
    ("evidence", "fit", "expected"),
    [
        (WinEvidence(), None, 0),
        (WinEvidence(decision_maker_known=True), None, 15),
        (WinEvidence(decision_maker_known=True, decision_maker_supports=True), None, 30),
        (WinEvidence(guides=1), None, 15),
        (WinEvidence(guides=2), None, 20),
        (WinEvidence(key_people=2, key_people_at_trust=1), None, 20),
        (WinEvidence(key_people=1, key_opponents=1), None, 0),
        (WinEvidence(), 5, 10),
        (STRONG_EVIDENCE, 5, 85),
    ],
)
def test_the_evidence_figure_adds_what_the_buying_group_shows(evidence, fit, expected):
    assert evidence_win_figure(evidence, fit)[0] == expected


def test_weights_come_from_the_rules():
    only_budget = Rules(
        weight_budget=1, weight_timeline=0, weight_fit=0, weight_worth=0, weight_win=0
    )
    result = qualify(replace(GOOD, budget_status="estimated"), only_budget, TODAY)
    assert result.overall == 60


# --- properties -------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
evidences = st.builds(
    WinEvidence,
    decision_maker_known=st.booleans(),
    decision_maker_supports=st.booleans(),
    guides=st.integers(0, 3),
    key_people=st.integers(0, 5),
    key_people_at_trust=st.integers(0, 5),
    key_opponents=st.integers(0, 5),
)
inputs = st.builds(
    Inputs,
    amount=money,
    budget_amount=st.none() | money,
    budget_status=st.sampled_from(["unknown", "estimated", "approved"]),
    decision_date=st.none() | st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 1, 1)),
    fit=st.none() | st.integers(1, 5),
    margin_percent=st.none() | st.decimals(0, 100, places=2),
    cost_of_sale=st.none() | money,
    risk=st.sampled_from(["", "low", "medium", "high"]),
    win_estimate=st.none() | st.integers(0, 100),
    evidence=evidences,
)
VERDICT_RANK = {Verdict.NOT_WORTH_IT: 0, Verdict.NEEDS_WORK: 1, Verdict.QUALIFIED: 2}


@given(inputs)
def test_scores_are_bounded_and_explanations_never_empty(i):
    result = qualify(i, RULES, TODAY)
    assert 0 <= result.overall <= 100
    assert 0 <= result.evidence_figure <= 90
    assert result.summary
    assert result.evidence_reasons
    for criterion in result.criteria:
        assert 0 <= criterion.score <= 100
        assert criterion.explanation.strip()


def _no_worse(before, after):
    assert after.overall >= before.overall
    assert VERDICT_RANK[after.verdict] >= VERDICT_RANK[before.verdict]


@given(inputs)
def test_monotone_in_budget_status(i):
    order = ["unknown", "estimated", "approved"]
    better = order[min(order.index(i.budget_status) + 1, 2)]
    _no_worse(qualify(i, RULES, TODAY), qualify(replace(i, budget_status=better), RULES, TODAY))


@given(inputs, money)
def test_monotone_in_budget_amount(i, extra):
    if i.budget_amount is None:
        return
    bigger = replace(i, budget_amount=i.budget_amount + extra)
    _no_worse(qualify(i, RULES, TODAY), qualify(bigger, RULES, TODAY))


@given(inputs, st.integers(0, 1000), st.integers(0, 1000))
def test_monotone_in_how_soon_the_decision_comes(i, near, extra):
    sooner = replace(i, decision_date=TODAY + datetime.timedelta(days=near))
    later = replace(i, decision_date=TODAY + datetime.timedelta(days=near + extra))
    _no_worse(qualify(later, RULES, TODAY), qualify(sooner, RULES, TODAY))


@given(inputs, st.integers(1, 5))
def test_monotone_in_fit(i, fit):
    if i.fit is None:
        return
    higher = replace(i, fit=max(i.fit, fit))
    _no_worse(qualify(i, RULES, TODAY), qualify(higher, RULES, TODAY))


@given(inputs, st.decimals(0, 100, places=2))
def test_monotone_in_margin(i, margin):
    if i.margin_percent is None:
        return
    higher = replace(i, margin_percent=max(i.margin_percent, margin))
    _no_worse(qualify(i, RULES, TODAY), qualify(higher, RULES, TODAY))


@given(inputs, money)
def test_monotone_in_lower_cost_of_sale(i, cost):
    if i.cost_of_sale is None:
        return
    lower = replace(i, cost_of_sale=min(i.cost_of_sale, cost))
    _no_worse(qualify(i, RULES, TODAY), qualify(lower, RULES, TODAY))


@given(inputs)
def test_monotone_in_lower_risk(i):
    order = ["high", "medium", "low"]
    if i.risk not in order:
        return
    lower = order[min(order.index(i.risk) + 1, 2)]
    _no_worse(qualify(i, RULES, TODAY), qualify(replace(i, risk=lower), RULES, TODAY))


@given(inputs, st.integers(0, 100))
def test_monotone_in_the_reps_estimate(i, estimate):
    if i.win_estimate is None:
        return
    higher = replace(i, win_estimate=max(i.win_estimate, estimate))
    _no_worse(qualify(i, RULES, TODAY), qualify(higher, RULES, TODAY))


@given(inputs)
def test_monotone_in_the_evidence(i):
    e = i.evidence
    stronger = replace(
        e,
        decision_maker_known=True,
        guides=e.guides + 1,
        key_people_at_trust=min(e.key_people_at_trust + 1, e.key_people),
    )
    _no_worse(qualify(i, RULES, TODAY), qualify(replace(i, evidence=stronger), RULES, TODAY))
