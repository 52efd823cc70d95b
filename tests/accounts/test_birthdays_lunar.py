"""Lunar birthdays (accounts/birthdays.py, PersonalProfile): recorded as 农历 month and day,
shown and reminded as the next solar date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts import birthdays
from accounts.birthdays import Birthday
from accounts.models import PersonalProfile

LUNAR = birthdays.LUNAR


@pytest.mark.parametrize(
    ("birthday", "today", "when", "label", "moved"),
    [
        (Birthday(LUNAR, None, 8, 15), date(2026, 12, 3), date(2027, 9, 15), "农历八月十五", False),
        (Birthday(LUNAR, None, 1, 1), date(2027, 2, 6), date(2027, 2, 6), "农历正月初一", False),
        (Birthday(LUNAR, None, 12, 30), date(2026, 12, 3), date(2027, 2, 5), "农历腊月三十", True),
        (
            Birthday(LUNAR, None, 5, 10, True),
            date(2028, 1, 1),
            date(2028, 7, 2),
            "农历闰五月初十",
            False,
        ),
        (
            Birthday(LUNAR, None, 5, 10, True),
            date(2029, 1, 1),
            date(2029, 6, 21),
            "农历闰五月初十",
            False,
        ),
        (Birthday("solar", date(1980, 2, 29)), date(2027, 2, 1), date(2027, 2, 28), "", False),
    ],
)
def test_next_birthday(birthday, today, when, label, moved):
    upcoming = birthdays.next_birthday(birthday, today)
    assert (upcoming.when, upcoming.lunar_label, upcoming.moved_to_29th) == (when, label, moved)


@pytest.mark.parametrize(
    "birthday", [Birthday(), Birthday(LUNAR, date(1980, 1, 1)), Birthday(LUNAR, None, 8, None)]
)
def test_an_unknown_birthday_has_no_next_occurrence(birthday):
    assert birthdays.next_birthday(birthday, date(2026, 12, 3)) is None


def profile(**values):
    return PersonalProfile(birthday_calendar=LUNAR, **values)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "lunar_birthday_month"),
        ({"lunar_birthday_month": 8}, "lunar_birthday_month"),
        (
            {
                "lunar_birthday_month": 5,
                "lunar_birthday_day": 1,
                "lunar_birthday_leap": True,
                "lunar_birthday_year": 1985,
            },
            "lunar_birthday_leap",
        ),  # 1985 had no leap fifth month
        (
            {"lunar_birthday_month": 12, "lunar_birthday_day": 30, "lunar_birthday_year": 2026},
            "lunar_birthday_day",
        ),  # 腊月 of 2026 has 29 days
        (
            {"lunar_birthday_month": 1, "lunar_birthday_day": 1, "lunar_birthday_year": 2099},
            "lunar_birthday_year",
        ),
    ],
)
def test_an_impossible_lunar_birthday_is_refused_at_its_field(values, field):
    with pytest.raises(ValidationError) as refused:
        profile(**values).clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize(
    "values",
    [
        {"lunar_birthday_month": 8, "lunar_birthday_day": 15},
        {"lunar_birthday_month": 6, "lunar_birthday_day": 30, "lunar_birthday_leap": True},
    ],
)
def test_a_possible_lunar_birthday_is_accepted(values):
    profile(**values).clean()


def test_a_leap_month_birthday_with_its_year():
    profile(
        lunar_birthday_month=6,
        lunar_birthday_day=1,
        lunar_birthday_leap=True,
        lunar_birthday_year=2025,  # 2025 had 闰六月
    ).clean()
