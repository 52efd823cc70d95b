"""Rules of moves 3–4: the three errors, weights, influence score, scorecard and coverage."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.moves import criteria
from opportunities.moves.criteria import CriterionFacts, NeedFacts

REQUIRED = [("function", "function"), ("price", "price")]


def need(category="function", target="≤ 2 days", motive="CFO target", personal=""):
    return NeedFacts("problem " + category, category, target, motive, personal)


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        ([], {"comprehensive": False, "clear": False, "deep": False}),
        ([need(), need("price")], {"comprehensive": True, "clear": True, "deep": True}),
        ([need()], {"comprehensive": False, "clear": True, "deep": True}),
        ([need(), need("price", target="")], {"comprehensive": True, "clear": False, "deep": True}),
        ([need(), need("price", motive="")], {"comprehensive": True, "clear": True, "deep": False}),
        (
            [need(), need("price", motive="", personal="promotion")],
            {"comprehensive": True, "clear": True, "deep": True},
        ),
        ([need(target="  ")], {"comprehensive": False, "clear": False, "deep": True}),
    ],
)
def test_three_errors(needs, expected):
    result = criteria.three_errors(needs, REQUIRED)
    assert {c.code: c.ok for c in result.checks} == expected
    assert result.errors == list(expected.values()).count(False)


def test_three_errors_name_what_is_missing():
    result = criteria.three_errors([need(target="")], REQUIRED)
    checks = {c.code: c for c in result.checks}
    assert checks["comprehensive"].gaps == ("price",)
    assert checks["clear"].gaps == ("problem function",)


def test_weights_that_do_not_add_up_are_normalised_and_said_so():
    note = criteria.weight_note([30, 30])
    assert note.normalised and note.total == 60
    assert criteria.shares([30, 30]) == [0.5, 0.5]
    assert not criteria.weight_note([60, 40]).normalised
    assert criteria.shares([0, 0, 0]) == [pytest.approx(1 / 3)] * 3


def crit(weight, origin="customer", ours=None, **fits):
    return CriterionFacts(f"c{weight}{origin}{ours}", weight, origin, ours, dict(fits))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], None),
        ([crit(50, "us"), crit(50)], 50),
        ([crit(30, ours=5, A=3), crit(70, ours=2, A=4)], 30),  # we lead on 30 of 100
        ([crit(30, ours=3, A=3)], 0),  # a tie is not leading
        ([crit(10, ours=4)], 100),  # no competitor scored: our known fit leads
        ([crit(0, "us"), crit(0)], 50),  # no weights yet: equal shares
        ([crit(20, "us"), crit(20, ours=5, A=1, B=5)], 50),  # best competitor counts
    ],
)
def test_influence_score(rows, expected):
    assert criteria.influence_score(rows) == expected


def test_scorecard_sums_weight_times_difference_and_flags_where_we_are_weaker():
    card = criteria.scorecard(
        [crit(60, ours=5, A=3, B=4), crit(40, ours=2, A=4), crit(10, ours=None, A=4)]
    )
    # scored rows only: 60/100 × (5 − 4) + 40/100 × (2 − 4) = 0.6 − 0.8
    assert card.score == Decimal("-0.20")
    assert card.scored == 2
    assert [r.dont_fight_here for r in card.rows] == [False, True, False]
    assert card.rows[0].competitor == "B"
    assert card.weights.normalised  # 110, not 100
    assert [r.text for r in card.dont_fight] == [card.rows[1].text]


def test_scorecard_without_fits_has_no_score():
    assert criteria.scorecard([crit(50, ours=3)]).score is None


fit = st.integers(min_value=1, max_value=5)
rows = st.lists(st.tuples(st.integers(min_value=0, max_value=100), fit, fit), max_size=12)


@given(rows)
def test_scorecard_is_antisymmetric_in_us_and_the_competitor(rows):
    swapped = [(w, theirs, ours) for w, ours, theirs in rows]
    assert criteria.advantage(rows) == -criteria.advantage(swapped)


@given(rows)
def test_scorecard_is_bounded_by_the_fit_scale(rows):
    assert Decimal(-4) <= criteria.advantage(rows) <= Decimal(4)


@given(
    st.lists(
        st.tuples(st.integers(0, 100), st.sampled_from(["us", "customer"]), fit, fit), max_size=10
    )
)
def test_influence_is_a_percentage(items):
    facts = [
        CriterionFacts(str(i), w, o, ours, {"A": theirs})
        for i, (w, o, ours, theirs) in enumerate(items)
    ]
    score = criteria.influence_score(facts)
    assert score is None if not facts else 0 <= score <= 100


def test_coverage_counts_weighted_criteria_with_proof():
    result = criteria.coverage(
        [
            CriterionFacts("a", 50, "us", proven_value_points=1, value_points=1),
            CriterionFacts("b", 30, "us", value_points=2),
            CriterionFacts("c", 20, "us"),
            CriterionFacts("unweighted", 0, "us"),
        ]
    )
    assert (result.covered, result.without_proof, result.uncovered) == (("a",), ("b",), ("c",))
    assert result.percent == 33 and not result.ok


def test_coverage_without_weights_counts_every_criterion():
    result = criteria.coverage(
        [CriterionFacts("a", 0, "us", proven_value_points=1, value_points=1)]
    )
    assert result.ok and result.percent == 100


def test_evaluators_below_trust():
    assert criteria.below_trust([("A", 3), ("B", 2), ("C", None), ("D", 4)]) == ["B", "C"]
