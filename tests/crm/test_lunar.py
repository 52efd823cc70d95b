"""The lunar calendar rules (crm/lunar.py): known dates, leap months, short months, and the
database form of "falls within the window" agreeing with the next occurrence."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm import lunar

# (lunar year, month, day, leap) → solar date, as published calendars print them.
KNOWN = [
    (2027, 1, 1, False, date(2027, 2, 6)),  # 春节
    (2028, 1, 1, False, date(2028, 1, 26)),
    (2029, 1, 1, False, date(2029, 2, 13)),
    (2030, 1, 1, False, date(2030, 2, 3)),
    (2031, 1, 1, False, date(2031, 1, 23)),
    (2032, 1, 1, False, date(2032, 2, 11)),
    (2033, 1, 1, False, date(2033, 1, 31)),
    (2034, 1, 1, False, date(2034, 2, 19)),
    (2035, 1, 1, False, date(2035, 2, 8)),
    (2027, 8, 15, False, date(2027, 9, 15)),  # 中秋
    (2028, 8, 15, False, date(2028, 10, 3)),
    (2031, 8, 15, False, date(2031, 10, 1)),
    (2035, 8, 15, False, date(2035, 9, 16)),
    (2027, 5, 5, False, date(2027, 6, 9)),  # 端午
    (2030, 5, 5, False, date(2030, 6, 5)),
    (2028, 5, 1, True, date(2028, 6, 23)),  # 闰五月初一
    (2033, 11, 1, True, date(2033, 12, 22)),  # 闰十一月 of 2033
]


@pytest.mark.parametrize(("year", "month", "day", "leap", "solar"), KNOWN)
def test_known_lunar_dates(year, month, day, leap, solar):
    assert lunar.to_solar(lunar.LunarDate(year, month, day, leap)) == solar
    assert lunar.from_solar(solar) == lunar.LunarDate(year, month, day, leap)


@pytest.mark.parametrize(
    ("year", "leap_month"), [(2025, 6), (2027, 0), (2028, 5), (2031, 3), (2033, 11), (2034, 0)]
)
def test_leap_months(year, leap_month):
    assert lunar.leap_month(year) == leap_month


@pytest.mark.parametrize(
    ("term", "year", "solar"),
    [
        ("清明", 2027, date(2027, 4, 5)),
        ("清明", 2028, date(2028, 4, 4)),
        ("清明", 2035, date(2035, 4, 5)),
        ("冬至", 2026, date(2026, 12, 22)),
        ("小寒", 2027, date(2027, 1, 5)),
    ],
)
def test_solar_terms(term, year, solar):
    assert lunar.solar_term(term, year) == solar


def test_a_missing_30th_is_kept_on_the_29th():
    # 腊月 of lunar 2026 has 29 days: a 腊月三十 birthday is kept on 腊月廿九 (除夕).
    assert lunar.days_in_month(2026, 12) == 29
    found = lunar.occurrence_in(2026, 12, 30)
    assert (found.solar, found.lunar.day, found.moved_to_29th) == (date(2027, 2, 5), 29, True)


def test_a_leap_month_date_is_kept_in_the_ordinary_month_of_other_years():
    in_leap_year = lunar.occurrence_in(2028, 5, 10, leap=True)
    assert in_leap_year.lunar.leap and not in_leap_year.leap_kept_ordinary
    other_year = lunar.occurrence_in(2029, 5, 10, leap=True)
    assert other_year.solar == lunar.occurrence_in(2029, 5, 10).solar
    assert other_year.leap_kept_ordinary


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 3), date(2027, 9, 15)),
        (date(2027, 9, 15), date(2027, 9, 15)),  # today counts
        (date(2027, 9, 16), date(2028, 10, 3)),
    ],
)
def test_the_next_mid_autumn(today, expected):
    assert lunar.next_occurrence(8, 15, False, today).solar == expected


def test_nonexistent_dates_are_refused():
    with pytest.raises(ValueError):
        lunar.to_solar(lunar.LunarDate(2027, 5, 1, leap=True))  # 2027 has no leap month
    with pytest.raises(ValueError):
        lunar.to_solar(lunar.LunarDate(2026, 12, 30))
    with pytest.raises(ValueError):
        lunar.solar_term("春节", 2027)


@pytest.mark.parametrize(
    ("month", "day", "leap", "text"),
    [
        (8, 15, False, "八月十五"),
        (1, 1, False, "正月初一"),
        (12, 30, False, "腊月三十"),
        (4, 1, True, "闰四月初一"),
        (11, 20, False, "冬月二十"),
        (3, 21, False, "三月廿一"),
    ],
)
def test_month_day_in_chinese(month, day, leap, text):
    assert lunar.month_day_zh(month, day, leap) == text


recorded = st.tuples(st.integers(1, 12), st.integers(1, 30), st.booleans())


@settings(max_examples=150, deadline=None)
@given(year=st.integers(1950, 2090), value=recorded)
def test_every_lunar_date_maps_to_exactly_one_solar_date_per_year(year, value):
    """Within the lunar year, the recorded month and day land on one solar day, which reads
    back as a date of that same lunar year and month, on the recorded day or the 29th."""
    month, day, leap = value
    found = lunar.occurrence_in(year, month, day, leap)
    back = lunar.from_solar(found.solar)
    assert back == found.lunar
    assert (back.year, back.month) == (year, month)
    assert back.day == day or (day == 30 and back.day == 29 and found.moved_to_29th)
    assert back.leap == (leap and lunar.leap_month(year) == month)


@settings(max_examples=150, deadline=None)
@given(
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)),
    days=st.integers(0, 60),
    value=recorded,
)
def test_the_window_ranges_hold_exactly_the_dates_coming_up(today, days, value):
    """A recorded lunar date is inside window_matches() iff its next occurrence is in the
    window: the database filter and the Python rule agree."""
    month, day, leap = value
    inside = any(
        (m, lp) == (month, leap) and first <= day <= last
        for m, lp, first, last in lunar.window_matches(today, days)
    )
    upcoming = lunar.next_occurrence(month, day, leap, today).solar <= today + timedelta(days)
    assert inside == upcoming
