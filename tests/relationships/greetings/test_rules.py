"""Consent, addresses, one greeting per occasion and quiet hours, as tables."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from relationships.greetings import rules
from relationships.greetings.rules import Reach

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("reach", "refusal"),
    [
        (Reach("email", "a@example.com", True), ""),
        (Reach("email", "a@example.com", False), "Does not want e-mail."),
        (Reach("email", "", True), "No e-mail address."),
        (Reach("email", "", False), "Does not want e-mail."),
        (Reach("sms", "138", True), ""),
        (Reach("sms", "138", False), "Does not want SMS."),
        (Reach("sms", "", True), "No mobile number."),
        (Reach("wechat", "", True), ""),
        (Reach("wechat", "", False), ""),  # no address leaves the CRM: the rep sends it
        (
            Reach("email", "a@example.com", True, date(2026, 9, 20)),
            "Already greeted for this occasion on 2026-09-20.",
        ),
        (Reach("wechat", "", True, date(2026, 9, 20)), "Already greeted"),
    ],
)
def test_refusal(reach, refusal):
    with translation.override("en"):
        found = rules.refusal(reach)
    assert found.startswith(refusal) if refusal else found == ""


def at(hour, minute=0, day=18):
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "quiet", "held_until"),
    [
        (at(10), (time(21), time(8)), None),
        (at(21), (time(21), time(8)), at(8, day=19)),
        (at(23, 30), (time(21), time(8)), at(8, day=19)),
        (at(7, 59), (time(21), time(8)), at(8)),
        (at(8), (time(21), time(8)), None),
        (at(13), (time(12), time(14)), at(14)),
        (at(13), (time(8), time(8)), None),  # equal ends: no quiet hours
    ],
)
def test_sms_quiet_hours(now, quiet, held_until):
    assert rules.sms_hold_until(now, *quiet) == held_until


@pytest.mark.parametrize(
    ("day", "now", "expected"),
    [
        (date(2026, 11, 20), at(10), at(9, day=20)),
        (date(2026, 11, 18), at(8), at(9)),
        (date(2026, 11, 18), at(10), None),  # this morning has passed
    ],
)
def test_morning_of(day, now, expected):
    assert rules.morning_of(day, time(9), now) == expected
