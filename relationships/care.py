"""Care reminders as pure date rules: when is the next birthday, which (month, day) ranges a
window of days covers. "today" is always an argument."""

import calendar
from datetime import date, timedelta


def next_birthday(birthday: date, today: date) -> date:
    """The next occurrence of `birthday` on or after `today`. A 29 February birthday falls on
    28 February in other years."""
    for year in (today.year, today.year + 1):
        day = birthday.day
        if birthday.month == 2 and day == 29 and not calendar.isleap(year):
            day = 28
        candidate = date(year, birthday.month, day)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: a birthday recurs within a year")


def month_day_ranges(today: date, days: int) -> list[tuple[int, int, int]]:
    """(month, first day, last day) ranges covering `today` … `today + days`, for a database
    filter on the month and day of a birthday. In a non-leap year a range ending on
    28 February also covers the 29th, as next_birthday() does."""
    end = today + timedelta(days=days)
    ranges: list[tuple[int, int, int]] = []
    current = today
    while current <= end:
        last_of_month = calendar.monthrange(current.year, current.month)[1]
        last = min(end, date(current.year, current.month, last_of_month))
        last_day = last.day
        if current.month == 2 and last_day == 28 and not calendar.isleap(current.year):
            last_day = 29
        ranges.append((current.month, current.day, last_day))
        current = last + timedelta(days=1)
    return ranges
