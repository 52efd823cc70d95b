"""Festivals as rules computed for any year (relationships/care.py, Festival), and the care
page that shows them with lunar birthdays converted to solar dates."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import PersonalProfile
from relationships import care
from relationships.defaults import FESTIVALS
from relationships.models import Festival

SHANGHAI = ZoneInfo("Asia/Shanghai")


def rule(calendar, month=None, day=None, term="", year=None):
    return SimpleNamespace(calendar=calendar, month=month, day=day, term=term, year=year)


@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        ("春节", 2035, date(2035, 2, 8)),
        ("元宵节", 2035, date(2035, 2, 22)),
        ("清明节", 2035, date(2035, 4, 5)),
        ("端午节", 2035, date(2035, 6, 10)),
        ("七夕节", 2035, date(2035, 8, 10)),
        ("中秋节", 2035, date(2035, 9, 16)),
        ("重阳节", 2035, date(2035, 10, 9)),
        ("腊八节", 2035, date(2035, 1, 16)),  # 腊八 of lunar 2034
        ("小年", 2035, date(2035, 1, 31)),
        ("元旦", 2035, date(2035, 1, 1)),
        ("劳动节", 2035, date(2035, 5, 1)),
        ("国庆节", 2035, date(2035, 10, 1)),
        ("中秋节", 2029, date(2029, 9, 22)),
        ("春节", 2031, date(2031, 1, 23)),
    ],
)
def test_the_default_festivals_fall_on_their_days(name, year, expected):
    values = next(f for f in FESTIVALS if f["name_zh"] == name)
    festival = rule(
        values["calendar"], values.get("month"), values.get("day"), values.get("term", "")
    )
    assert care.festival_days(festival, date(year, 1, 1), date(year, 12, 31)) == [expected]


def test_every_default_festival_has_its_greeting_advice_in_both_languages():
    assert {f["name_zh"] for f in FESTIVALS} == {
        "春节",
        "元宵节",
        "清明节",
        "端午节",
        "七夕节",
        "中秋节",
        "重阳节",
        "腊八节",
        "小年",
        "元旦",
        "劳动节",
        "国庆节",
    }
    assert all(f["advice_en"] and f["advice_zh"] for f in FESTIVALS)


@pytest.mark.parametrize(
    ("festival", "start", "end", "expected"),
    [
        (rule("solar", 2, 29), date(2027, 2, 1), date(2027, 3, 1), [date(2027, 2, 28)]),
        (rule("solar", 2, 29), date(2028, 2, 1), date(2028, 3, 1), [date(2028, 2, 29)]),
        (
            rule("solar", 5, 20, year=2027),
            date(2026, 1, 1),
            date(2028, 12, 31),
            [date(2027, 5, 20)],
        ),
        (rule("lunar", 12, 30), date(2027, 1, 1), date(2027, 12, 31), [date(2027, 2, 5)]),  # 除夕
        (rule("solar", 1, 1), date(2026, 12, 20), date(2027, 1, 19), [date(2027, 1, 1)]),
        (
            rule("solar", 6, 1),
            date(2026, 1, 1),
            date(2027, 12, 31),
            [date(2026, 6, 1), date(2027, 6, 1)],
        ),
        (rule("term", term="冬至"), date(2026, 12, 1), date(2026, 12, 31), [date(2026, 12, 22)]),
    ],
)
def test_festival_days(festival, start, end, expected):
    assert care.festival_days(festival, start, end) == expected


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"calendar": "solar", "month": 13, "day": 1}, "month"),
        ({"calendar": "solar", "month": 2, "day": 30}, "day"),
        ({"calendar": "solar", "month": 4, "day": 31, "year": 2027}, "day"),
        ({"calendar": "lunar", "month": 8, "day": 31}, "day"),
        ({"calendar": "lunar", "day": 1}, "month"),
        ({"calendar": "term"}, "term"),
    ],
)
def test_an_incomplete_festival_rule_is_refused_at_its_field(values, field):
    with pytest.raises(ValidationError) as refused:
        Festival(name_en="Our day", name_zh="司庆", **values).clean()
    assert field in refused.value.message_dict


@pytest.fixture
def in_2035():
    with time_machine.travel(datetime(2035, 9, 1, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2035, 9, 1)


@pytest.mark.django_db
def test_the_care_page_shows_2035s_festivals(world, personas, client_for, in_2035):
    response = client_for(personas.owner).get(reverse("relationships:care"))
    festivals = [(r.festival.name_zh, r.when) for r in response.context["reminders"] if r.festival]
    assert festivals == [("中秋节", date(2035, 9, 16)), ("国庆节", date(2035, 10, 1))]
    body = response.content.decode()
    assert "2035-09-16" in body and "农历八月十五" in body
    assert "月饼等小礼品在额度内，节前送到。" in body


@pytest.mark.django_db
def test_a_lunar_birthday_is_reminded_on_its_solar_day(world, personas, client_for, in_2035):
    PersonalProfile.objects.create(
        contact=world.contact,
        birthday_calendar="lunar",
        lunar_birthday_month=8,
        lunar_birthday_day=1,
    )
    client = client_for(personas.owner)
    reminders = client.get(reverse("relationships:care")).context["reminders"]
    birthday = next(r for r in reminders if r.kind == "birthday")
    assert (birthday.contact, birthday.when) == (world.contact, date(2035, 9, 2))
    body = client.get(reverse("accounts:contact", args=[world.contact.pk])).content.decode()
    assert "农历八月初一 → 2035-09-02" in body
