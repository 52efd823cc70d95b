"""The notification rules as table tests (and a property for quiet hours)."""

from datetime import date, datetime, time

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from crm.notifications import rules

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("kinds", "kind", "expected"),
    [([], "care", True), (["care"], "care", True), (["todo_due"], "care", False)],
)
def test_wants(kinds, kind, expected):
    assert rules.wants(kinds, kind) is expected


@pytest.mark.parametrize(
    ("moment", "start", "end", "expected"),
    [
        (time(23, 0), time(22, 0), time(7, 0), True),  # past midnight wraps
        (time(6, 59), time(22, 0), time(7, 0), True),
        (time(7, 0), time(22, 0), time(7, 0), False),  # the end is not quiet
        (time(12, 0), time(22, 0), time(7, 0), False),
        (time(12, 30), time(12, 0), time(13, 0), True),  # a lunch break
        (time(13, 0), time(12, 0), time(13, 0), False),
        (time(3, 0), None, time(7, 0), False),  # half a span is none
        (time(3, 0), time(7, 0), time(7, 0), False),
    ],
)
def test_quiet_hours(moment, start, end, expected):
    assert rules.in_quiet_hours(moment, start, end) is expected


@given(st.times(), st.times(), st.times())
def test_quiet_hours_split_the_day_in_two(moment, start, end):
    """A wrapping span and its complement never both hold (nor both fail, if they differ)."""
    if start == end:
        return
    assert rules.in_quiet_hours(moment, start, end) != rules.in_quiet_hours(moment, end, start)


@pytest.mark.parametrize(
    ("hour", "digest_hour", "expected"),
    [(7, 8, False), (8, 8, True), (15, 8, True), (0, 0, True), (22, 23, False)],
)
def test_digest_is_due_from_the_users_hour(hour, digest_hour, expected):
    assert rules.digest_due(datetime(2026, 3, 2, hour, 5), digest_hour) is expected


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(0, 60), (1, 60), (2, 120), (3, 240), (5, 960), (9, 3600)]
)
def test_retry_backs_off_to_an_hour(attempts, seconds):
    assert rules.retry_delay(attempts) == seconds


@pytest.mark.parametrize(
    ("language", "due_on", "expected"),
    [
        ("en", TODAY, "due today"),
        ("en", date(2026, 2, 28), "2 days overdue"),
        ("en", date(2026, 3, 3), "due in 1 day"),
        ("zh-hans", TODAY, "今天到期"),
        ("zh-hans", date(2026, 2, 28), "已逾期 2 天"),
        ("zh-hans", date(2026, 3, 5), "3 天后到期"),
        ("en", None, ""),
    ],
)
def test_due_label_in_both_languages(language, due_on, expected):
    with translation.override(language):
        assert rules.due_label(due_on, TODAY) == expected
