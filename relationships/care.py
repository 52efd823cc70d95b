"""Care reminders as pure date rules: on which days a festival falls (birthdays:
accounts.birthdays). "today" is always an argument."""

import calendar
from datetime import date

from crm import lunar


def festival_days(rule, start: date, end: date) -> list[date]:
    """The days from `start` to `end` (both included) on which a festival rule falls. `rule`
    has the Festival fields: calendar ("solar", "lunar" or "term"), month, day, term and an
    optional year. A solar 29 February is kept on 28 February in other years; a lunar 30th on
    the 29th of a short month (crm.lunar)."""
    found = []
    for year in range(start.year - 1, end.year + 1):
        if rule.calendar == "term":
            day = lunar.solar_term(rule.term, year)
        elif rule.calendar == "lunar":
            day = lunar.occurrence_in(year, rule.month, rule.day).solar
        else:
            day = _solar_day(year, rule.month, rule.day)
        if start <= day <= end and (rule.year is None or day.year == rule.year):
            found.append(day)
    return found


def _solar_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
