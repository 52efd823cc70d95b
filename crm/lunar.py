"""The Chinese lunar calendar (农历) as pure date rules over lunar-python: lunar → solar for any
year, the next occurrence of a lunar anniversary, the solar terms (节气), and which lunar
(month, day) pairs fall in a window of solar days (for a database filter). No database access;
"today" is always an argument.

Two conventions, as families keep them:
- a date in a leap month (闰月) is kept in that leap month in years that have it, and in the
  ordinary month of the same number in years that do not;
- the 30th of a month that is short (29 days) in a given year is kept on the 29th.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, LunarMonth, LunarYear, Solar

SOLAR_TERMS = (
    "小寒",
    "大寒",
    "立春",
    "雨水",
    "惊蛰",
    "春分",
    "清明",
    "谷雨",
    "立夏",
    "小满",
    "芒种",
    "夏至",
    "小暑",
    "大暑",
    "立秋",
    "处暑",
    "白露",
    "秋分",
    "寒露",
    "霜降",
    "立冬",
    "小雪",
    "大雪",
    "冬至",
)
MONTHS_ZH = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
DAYS_ZH_TENS = ("初", "十", "廿", "三")
DAYS_ZH_UNITS = ("十", "一", "二", "三", "四", "五", "六", "七", "八", "九")


@dataclass(frozen=True)
class LunarDate:
    """A lunar calendar date: year (the lunar year, which begins at 春节), month 1–12, day
    1–30, and whether the month is the leap month of that year."""

    year: int
    month: int
    day: int
    leap: bool = False


@dataclass(frozen=True)
class Occurrence:
    """Where a lunar month and day fall as a solar date, and whether a convention moved it
    (`moved_to_29th`: the month is short that year; `leap_kept_ordinary`: a leap-month date in a
    year without that leap month)."""

    solar: date
    lunar: LunarDate
    moved_to_29th: bool = False
    leap_kept_ordinary: bool = False


def leap_month(year: int) -> int:
    """The leap month of the lunar year (0: none)."""
    return LunarYear.fromYear(year).getLeapMonth()


@lru_cache(maxsize=4096)
def days_in_month(year: int, month: int, leap: bool = False) -> int:
    """29 or 30: the length of a lunar month in that lunar year."""
    if leap and leap_month(year) != month:
        raise ValueError(f"lunar year {year} has no leap month {month}")
    return LunarMonth.fromYm(year, -month if leap else month).getDayCount()


# A pure function of the date, and lunar_python computes the whole year's new moons and solar
# terms for each call (about 5 ms): the home page asks for a dozen festivals and birthdays.
@lru_cache(maxsize=4096)
def to_solar(day: LunarDate) -> date:
    """The solar date of an existing lunar date (ValueError when the date does not exist)."""
    if not 1 <= day.month <= 12 or not 1 <= day.day <= days_in_month(day.year, day.month, day.leap):
        raise ValueError(f"no such lunar date: {day}")
    solar = Lunar.fromYmd(day.year, -day.month if day.leap else day.month, day.day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=4096)
def from_solar(day: date) -> LunarDate:
    """The lunar date of a solar date."""
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return LunarDate(lunar.getYear(), abs(lunar.getMonth()), lunar.getDay(), lunar.getMonth() < 0)


def occurrence_in(year: int, month: int, day: int, leap: bool = False) -> Occurrence:
    """Where a lunar month and day (as recorded, e.g. a birthday) fall in the lunar year `year`,
    by the two conventions of this module."""
    kept_leap = leap and leap_month(year) == month
    length = days_in_month(year, month, kept_leap)
    moved = day > length
    lunar = LunarDate(year, month, min(day, length), kept_leap)
    return Occurrence(to_solar(lunar), lunar, moved, leap and not kept_leap)


def next_occurrence(month: int, day: int, leap: bool, today: date) -> Occurrence:
    """The first occurrence on or after `today` of a recurring lunar month and day."""
    current = from_solar(today).year
    for year in (current - 1, current, current + 1):
        found = occurrence_in(year, month, day, leap)
        if found.solar >= today:
            return found
    raise AssertionError("unreachable: a lunar date recurs within a lunar year")


@lru_cache(maxsize=256)
def _terms_of_lunar_year(year: int) -> dict[str, date]:
    table = Lunar.fromYmd(year, 1, 1).getJieQiTable()
    return {
        name: date(solar.getYear(), solar.getMonth(), solar.getDay())
        for name, solar in table.items()
        if name in SOLAR_TERMS
    }


def solar_term(name: str, year: int) -> date:
    """The day of the solar term `name` (清明, 冬至, …) in the solar year `year`."""
    if name not in SOLAR_TERMS:
        raise ValueError(f"not a solar term: {name!r}")
    for lunar_year in (year - 1, year, year + 1):
        found = _terms_of_lunar_year(lunar_year).get(name)
        if found and found.year == year:
            return found
    raise AssertionError(f"unreachable: {name} falls in every solar year")


def window_matches(today: date, days: int) -> list[tuple[int, bool, int, int]]:
    """(month, leap, first day, last day) ranges of recorded lunar month/day/leap values whose
    occurrence falls within `today` … `today + days`: the database form of
    `next_occurrence(...).solar <= today + days` (a test keeps the two in step)."""
    hits: set[tuple[int, bool, int]] = set()
    for offset in range(days + 1):
        lunar = from_solar(today + timedelta(days=offset))
        months = [(lunar.month, lunar.leap)]
        if not lunar.leap and leap_month(lunar.year) != lunar.month:
            months.append((lunar.month, True))  # a leap-month date kept in the ordinary month
        length = days_in_month(lunar.year, lunar.month, lunar.leap)
        recorded_days = [lunar.day, 30] if lunar.day == length == 29 else [lunar.day]
        for month, leap in months:
            hits.update((month, leap, recorded) for recorded in recorded_days)
    ranges: list[tuple[int, bool, int, int]] = []
    for month, leap, day in sorted(hits):
        if ranges and ranges[-1][:2] == (month, leap) and ranges[-1][3] == day - 1:
            ranges[-1] = (month, leap, ranges[-1][2], day)
        else:
            ranges.append((month, leap, day, day))
    return ranges


def month_day_zh(month: int, day: int, leap: bool = False) -> str:
    """八月十五, 闰四月初一, 腊月三十: a lunar month and day as the calendar writes them."""
    if day == 10:
        day_name = "初十"
    elif day == 20:
        day_name = "二十"
    elif day == 30:
        day_name = "三十"
    else:
        day_name = DAYS_ZH_TENS[day // 10] + DAYS_ZH_UNITS[day % 10]
    return f"{'闰' if leap else ''}{MONTHS_ZH[month - 1]}月{day_name}"
