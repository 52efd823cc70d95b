"""The pure rules of the learn page: Wilson interval, Brier score, reliability, median."""

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.rules import learning
from opportunities.rules.learning import Forecast

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
forecasts = st.lists(
    st.builds(
        Forecast,
        st.floats(min_value=0, max_value=1, allow_nan=False),
        st.booleans(),
        st.integers(min_value=1, max_value=5),
    ),
    max_size=40,
)


@pytest.mark.parametrize(
    ("won", "closed", "low", "high"),
    [
        # reference values (R: binom::binom.wilson, prop.test without continuity correction)
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_interval_table(won, closed, low, high):
    got_low, got_high = learning.wilson_interval(won, closed)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_wilson_interval_without_deals_is_none():
    assert learning.wilson_interval(0, 0) is None
    assert learning.rate(0, 0).share is None


@given(counts)
def test_wilson_interval_contains_the_estimate_and_lies_in_0_1(sample):
    won, closed = sample
    low, high = learning.wilson_interval(won, closed)
    assert 0 <= low <= won / closed <= high <= 1


@given(counts)
def test_wilson_interval_narrows_with_more_of_the_same(sample):
    won, closed = sample
    low, high = learning.wilson_interval(won, closed)
    low4, high4 = learning.wilson_interval(4 * won, 4 * closed)
    assert high4 - low4 <= high - low + 1e-12


@given(counts, st.integers(min_value=1, max_value=100))
def test_suggestion_only_from_the_minimum(sample, minimum):
    won, closed = sample
    suggested = learning.suggested_probability(won, closed, minimum)
    if closed < minimum:
        assert suggested is None
    else:
        assert suggested == round(100 * won / closed)
        assert 0 <= suggested <= 100


@given(st.lists(st.booleans(), max_size=30))
def test_brier_of_perfect_forecasts_is_zero(outcomes):
    score = learning.brier_score([Forecast(1.0 if won else 0.0, won) for won in outcomes])
    assert score == (0 if outcomes else None)


@given(forecasts)
def test_brier_is_between_0_and_1_and_is_the_weighted_mean(items):
    score = learning.brier_score(items)
    if not items:
        assert score is None
        return
    expanded = [f for f in items for _ in range(f.weight)]
    reference = sum((f.probability - f.won) ** 2 for f in expanded) / len(expanded)
    assert 0 <= score <= 1
    assert math.isclose(score, reference, abs_tol=1e-9)


def test_brier_of_always_wrong_is_one_and_a_coin_toss_a_quarter():
    assert learning.brier_score([Forecast(1.0, False), Forecast(0.0, True)]) == 1
    assert learning.brier_score([Forecast(0.5, True), Forecast(0.5, False)]) == 0.25


@given(forecasts)
def test_reliability_counts_every_forecast_once_in_its_bucket(items):
    buckets = learning.reliability(items)
    assert [(b.low, b.high) for b in buckets] == [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]
    assert sum(b.count for b in buckets) == sum(f.weight for f in items)
    for b in buckets:
        if b.count:
            assert b.low - 0.05 <= b.mean_estimate <= b.high + 0.05
            assert 0 <= b.won_share <= 100
        else:
            assert b.mean_estimate is None and b.won_share is None


@pytest.mark.parametrize(
    ("probability", "index"),
    [(0, 0), (0.1999, 0), (0.2, 1), (0.5, 2), (0.79, 3), (0.8, 4), (1.0, 4)],
)
def test_bucket_edges(probability, index):
    assert learning.bucket_index(probability) == index


@given(st.lists(st.integers(min_value=-1000, max_value=1000), max_size=30))
def test_median_agrees_with_statistics(values):
    expected = statistics.median(values) if values else None
    assert learning.median(values) == expected


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("", []),
        ("Guide identified: missing", ["Guide identified"]),
        (
            "move 1: five criteria pass: not met\nDecision maker: missing\n\nDecision maker: x",
            ["move 1: five criteria pass", "Decision maker"],
        ),
        ("no status here", ["no status here"]),
    ],
)
def test_check_labels(text, labels):
    assert learning.check_labels(text) == labels
