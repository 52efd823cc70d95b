"""Solar birthday rules (accounts/birthdays.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import birthdays


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        (date(1980, 12, 5), date(2026, 11, 26), date(2026, 12, 5)),
        (date(1980, 11, 26), date(2026, 11, 26), date(2026, 11, 26)),  # today
        (date(1980, 1, 3), date(2026, 12, 30), date(2027, 1, 3)),  # over new year
        (date(1980, 2, 29), date(2026, 2, 1), date(2026, 2, 28)),  # not a leap year
        (date(1980, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_next_birthday(birthday, today, expected):
    assert birthdays.next_solar_birthday(birthday, today) == expected


def test_month_day_ranges_over_the_new_year():
    assert birthdays.month_day_ranges(date(2026, 12, 20), 30) == [(12, 20, 31), (1, 1, 19)]


def test_a_window_ending_on_28_february_covers_the_29th():
    assert birthdays.month_day_ranges(date(2026, 2, 20), 8) == [(2, 20, 29)]


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 60),
)
def test_the_ranges_hold_exactly_the_birthdays_of_the_window(birthday, today, days):
    """A birthday is inside the (month, day) ranges iff its next occurrence is in the window."""
    ranges = birthdays.month_day_ranges(today, days)
    inside = any(
        birthday.month == month and first <= birthday.day <= last for month, first, last in ranges
    )
    upcoming = birthdays.next_solar_birthday(birthday, today) <= today + timedelta(days=days)
    assert inside == upcoming
