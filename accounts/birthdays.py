"""Birthdays as pure date rules: a birthday kept by the Gregorian calendar (公历) or the lunar one
(农历), its next occurrence as a solar date, and the database form of "falls within the next N
days". "today" is always an argument; the lunar calendar comes from crm.lunar."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from crm import lunar

SOLAR, LUNAR = "solar", "lunar"


@dataclass(frozen=True)
class Birthday:
    """A birthday as recorded on a personal profile: a solar date, or a lunar month and day
    (with the leap-month flag; the year may be unknown)."""

    calendar: str = SOLAR
    solar: date | None = None
    lunar_month: int | None = None
    lunar_day: int | None = None
    lunar_leap: bool = False

    @property
    def known(self) -> bool:
        if self.calendar == LUNAR:
            return bool(self.lunar_month and self.lunar_day)
        return self.solar is not None

    @property
    def lunar_label(self) -> str:
        """农历八月十五 (empty for a solar birthday)."""
        if self.calendar != LUNAR or not self.known:
            return ""
        return "农历" + lunar.month_day_zh(self.lunar_month, self.lunar_day, self.lunar_leap)


@dataclass(frozen=True)
class NextBirthday:
    when: date
    lunar_label: str = ""
    moved_to_29th: bool = False
    lunar_short: str = ""  # "8/15", "leap 4/1": for readers of the English pages


def next_solar_birthday(birthday: date, today: date) -> date:
    """The next occurrence of a solar `birthday` on or after `today`. A 29 February birthday
    falls on 28 February in other years."""
    for year in (today.year, today.year + 1):
        day = birthday.day
        if birthday.month == 2 and day == 29 and not calendar.isleap(year):
            day = 28
        candidate = date(year, birthday.month, day)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: a birthday recurs within a year")


def next_birthday(birthday: Birthday, today: date) -> NextBirthday | None:
    """The next occurrence on or after `today`, as a solar date (None when unknown)."""
    if not birthday.known:
        return None
    if birthday.calendar != LUNAR:
        return NextBirthday(next_solar_birthday(birthday.solar, today))
    found = lunar.next_occurrence(
        birthday.lunar_month, birthday.lunar_day, birthday.lunar_leap, today
    )
    short = f"{birthday.lunar_month}/{birthday.lunar_day}"
    return NextBirthday(
        found.solar,
        birthday.lunar_label,
        found.moved_to_29th,
        f"leap {short}" if birthday.lunar_leap else short,
    )


def month_day_ranges(today: date, days: int) -> list[tuple[int, int, int]]:
    """(month, first day, last day) ranges covering `today` … `today + days`, for a database
    filter on the month and day of a solar birthday. In a non-leap year a range ending on
    28 February also covers the 29th, as next_solar_birthday() does."""
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
