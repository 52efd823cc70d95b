"""Pure rules of the dashboards: attainment colours (METHOD.md §9.1), win rate, periods,
late entry (§9.2)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.rules import attainment as scorecard
from opportunities.rules.attainment import Colour, Period


@pytest.mark.parametrize(
    ("percent", "colour"),
    [
        (None, None),
        (Decimal("150"), Colour.GREEN),
        (Decimal("100"), Colour.GREEN),
        (Decimal("99.9"), Colour.YELLOW),
        (Decimal("80"), Colour.YELLOW),
        (Decimal("79.9"), Colour.RED),
        (Decimal("50"), Colour.RED),
        (Decimal("49.9"), Colour.BLACK),
        (Decimal("0"), Colour.BLACK),
    ],
)
def test_the_methods_colours_at_the_default_thresholds(percent, colour):
    assert scorecard.attainment_colour(percent) == colour


def test_thresholds_are_the_admins():
    assert scorecard.attainment_colour(Decimal(90), green=90, yellow=70, red=40) == Colour.GREEN
    assert scorecard.attainment_colour(Decimal(45), green=90, yellow=70, red=40) == Colour.RED


RANK = {Colour.BLACK: 0, Colour.RED: 1, Colour.YELLOW: 2, Colour.GREEN: 3}
percents = st.decimals(min_value=0, max_value=500, places=1)


@given(percents, percents)
def test_more_attainment_never_gives_a_worse_colour(a, b):
    low, high = sorted([a, b])
    assert RANK[scorecard.attainment_colour(low)] <= RANK[scorecard.attainment_colour(high)]


@pytest.mark.parametrize(
    ("won", "target", "expected"),
    [
        (0, 100, Decimal("0.0")),
        (80, 100, Decimal("80.0")),
        (1, 3, Decimal("33.3")),
        (5, 0, None),
        (5, None, None),
        (None, 10, Decimal("0.0")),
    ],
)
def test_attainment_percent(won, target, expected):
    assert scorecard.attainment_percent(won, target) == expected


@pytest.mark.parametrize(
    ("won", "closed", "expected"), [(0, 0, None), (1, 3, Decimal("33.3")), (2, 2, Decimal("100.0"))]
)
def test_win_rate_counts_every_closed_deal(won, closed, expected):
    assert scorecard.win_rate(won, closed) == expected


@pytest.mark.parametrize(
    ("period", "today", "start", "end"),
    [
        (Period.THIS_MONTH, date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
        (Period.LAST_MONTH, date(2026, 1, 5), date(2025, 12, 1), date(2025, 12, 31)),
        (Period.THIS_QUARTER, date(2026, 11, 26), date(2026, 10, 1), date(2026, 12, 31)),
        (Period.LAST_QUARTER, date(2026, 2, 1), date(2025, 10, 1), date(2025, 12, 31)),
        (Period.THIS_YEAR, date(2024, 2, 29), date(2024, 1, 1), date(2024, 12, 31)),
        (Period.LAST_YEAR, date(2024, 2, 29), date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_period_bounds(period, today, start, end):
    assert scorecard.period_bounds(period, today) == (start, end)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from(Period))
def test_a_current_period_contains_today_and_a_past_one_ends_before_it(today, period):
    start, end = scorecard.period_bounds(period, today)
    assert start <= end
    assert start.day == 1 and (end + timedelta(days=1)).day == 1
    if period.value.startswith("this"):
        assert start <= today <= end
    else:
        assert end < today


@pytest.mark.parametrize(
    ("first", "tender", "late"),
    [
        (1, False, False),
        (3, False, False),
        (4, False, True),
        (5, False, True),
        (1, True, True),
        (None, False, False),
    ],
)
def test_late_entry(first, tender, late):
    assert scorecard.is_late_entry(first, from_tender=tender, late_move=4) is late
