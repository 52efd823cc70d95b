"""The pool's arithmetic (pool.rules): when neglect is counted from, when an account returns,
when its owner hears of it, how many claims are left."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pool import rules

DAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("last_done", "owned_since", "expected"),
    [
        (None, date(2026, 1, 1), date(2026, 1, 1)),  # never worked: since it was got
        (date(2026, 3, 1), date(2026, 1, 1), date(2026, 3, 1)),  # worked after getting it
        (date(2025, 12, 1), date(2026, 1, 1), date(2026, 1, 1)),  # the old owner's work
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1)),
    ],
)
def test_neglect_counts_from_the_later_of_the_last_work_and_the_handing(
    last_done, owned_since, expected
):
    assert rules.worked_since(last_done, owned_since) == expected


@pytest.mark.parametrize(
    ("since", "days", "warned"),
    [
        (DAY - timedelta(days=90), 90, False),  # returns today: too late to warn
        (DAY - timedelta(days=89), 90, True),  # tomorrow
        (DAY - timedelta(days=83), 90, True),  # in 7 days: the first warning
        (DAY - timedelta(days=82), 90, False),  # in 8 days: not yet
        (DAY, 90, False),
    ],
)
def test_the_owner_is_warned_in_the_week_before_the_return(since, days, warned):
    assert rules.warned(since, days, DAY, 7) is warned


@pytest.mark.parametrize(
    ("limit", "claimed", "left"), [(10, 0, 10), (10, 9, 1), (10, 10, 0), (10, 12, 0)]
)
def test_claims_left(limit, claimed, left):
    assert rules.claims_left(limit, claimed) == left


@given(
    since=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    days=st.integers(min_value=8, max_value=3650),
    offset=st.integers(min_value=-4000, max_value=4000),
)
def test_an_account_is_warned_on_exactly_seven_days(since, days, offset):
    """Over every day, the warning falls on the 7 days before the return, never on it."""
    today = since + timedelta(days=offset)
    back = rules.return_day(since, days)
    assert rules.warned(since, days, today, 7) == (1 <= (back - today).days <= 7)
